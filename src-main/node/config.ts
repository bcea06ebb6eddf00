import { isIP } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import path from 'node:path'
// Constants and the address check straight from their files: the fluence and p2p entries load
// libp2p, which the node loads only after its API socket listens (node.ts, heavy.ts).
import { MAX_PARTICLES_PER_SECOND_PER_PEER } from '../fluence/constants.js'
import { relayPeerIdOf } from '../fluence/relay-address.js'
import { DEFAULT_P2P_HOST, RELAY_MAX_RESERVATIONS } from '../p2p/constants.js'
import { PUBLIC_RATE_BURST, PUBLIC_RATE_PER_SECOND } from '../api/gateway/constants.js'
import { DEFAULT_GATEWAY_PORT, DEFAULT_P2P_PORT, DEFAULT_RPC_HOST, DEFAULT_RPC_PORT } from './constants.js'
import { ConfigError } from './errors.js'
import { defaultDataDir, packageInfo } from './local/index.js'

export interface NodeConfig {
  /** Folder holding the database, identity and api file. */
  dataDir: string
  rpcHost: string
  /** Preferred API port; 0 asks the OS for any free port. */
  rpcPort: number
  p2pPort: number
  /** Interface libp2p listens on; every interface by default, so LAN peers can reach the node. */
  p2pHost: string
  /** Start nothing that listens on or dials the network beyond the local API. */
  offline: boolean
  /** Built Svelte UI served at /app/. */
  uiDir: string
  /** Built Marine services (keys.wasm, formatter.wasm, the built-in contracts). */
  servicesDir: string
  /** The compiled Aqua API (relay/ and direct/ variants of lineage.js). */
  aquaDir: string
  /** An external relay (a Nox node or another Lineage node) to join a network through: a multiaddr ending in /p2p/<peer id>. */
  relay: string | null
  /** Find Lineage peers on the LAN by multicast DNS. On by default, except on a loopback-only host (tests). */
  mdns: boolean
  /** Peers (multiaddrs ending in /p2p/<peer id>) dialled at start and kept in touch with. */
  bootstrap: string[]
  /**
   * Join the IPFS network's Kademlia DHT and announce the node's CIDs there (src-main/dht). On by
   * default, except on a loopback-only host (tests), where the DHT is a private one of the
   * bootstrap peers when asked for.
   */
  dht: boolean
  /**
   * Where AquaVM runs: 'main' (the default; a local Aqua call takes about 4 ms instead of 6, with
   * no worker round trip per AquaVM run) or 'worker' (js-client's own worker thread, so a flood of
   * particles does not compete with the gateway for the main thread).
   */
  aquaVmThread: 'main' | 'worker'
  /**
   * Particles a second each peer may send to the Fluence peer (bursts up to twice that); more are
   * dropped unread. 0 turns the limit off.
   */
  particleRateLimit: number
  /**
   * Web origins trusted as this node's own UI besides the one it serves: only for the project's
   * own dev server (the component harness tests load from Vite). Empty by default; neither the
   * CLI nor the app sets it. Each is `http://` on a loopback name with a port.
   */
  devUiOrigins: string[]
  /**
   * Interface of the public, read-only gateway listener (only /metadata, /ta, /tk, /ipfs, /ipns, to any
   * Host); null (the default) opens none. The API always stays on rpcHost.
   */
  gatewayHost: string | null
  /** Port of the public gateway listener; taken exactly (0: any free one). */
  gatewayPort: number
  /** Reads a second each client may make on the public listener (0: no limit), and the burst allowed. */
  gatewayRatePerSecond: number
  gatewayRateBurst: number
  /** Reverse proxies (IP addresses) whose X-Forwarded-For names the client on the public listener. */
  trustedProxies: string[]
  /** False: no TCP/WebSocket listener; peers reach the node only through a circuit relay, as behind a NAT. */
  p2pListen: boolean
  /** Offer a libp2p circuit relay v2 service to other nodes (not the Fluence `relay` above). Off by default. */
  circuitRelayService: boolean
  /** Relay slots the circuit relay service gives at once. */
  circuitRelayMaxReservations: number
  /**
   * Public addresses of this node the operator states (e.g. /ip4/203.0.113.7/tcp/5481 or
   * /dns4/relay.example.org/tcp/5481), announced to peers as they are: libp2p announces a public
   * listen address only once AutoNAT confirmed it.
   */
  p2pAnnounce: string[]
}

export type NodeConfigInit = Partial<NodeConfig>

function checkRelay (value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null
  try {
    relayPeerIdOf(value)
  } catch {
    throw new ConfigError('relay', `must be a multiaddr ending in /p2p/<peer id>, got "${value}"`)
  }
  return value
}

function checkBootstrap (value: string[] | undefined): string[] {
  return (value ?? []).map(address => {
    try {
      relayPeerIdOf(address)
    } catch {
      throw new ConfigError('bootstrap', `every entry must be a multiaddr ending in /p2p/<peer id>, got "${address}"`)
    }
    return address
  })
}

function checkAquaVmThread (value: string | undefined): 'main' | 'worker' {
  if (value === undefined || value === 'main' || value === 'worker') return value ?? 'main'
  throw new ConfigError('aquaVmThread', `must be "main" or "worker", got "${value}"`)
}

function checkRate (field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(field, `must be a whole number of particles a second, 0 for no limit; got ${String(value)}`)
  return value
}

function checkDevUiOrigins (value: string[] | undefined): string[] {
  return (value ?? []).map(origin => {
    const url = URL.canParse(origin) ? new URL(origin) : undefined
    if (url?.protocol !== 'http:' || url.origin !== origin || url.port === '' || !isLoopback(url.hostname.replace(/^\[(.*)\]$/, '$1'))) {
      throw new ConfigError('devUiOrigins', `every entry must be an origin such as http://127.0.0.1:5173 (http, a loopback name, a port, nothing after), got "${origin}"`)
    }
    return origin
  })
}

function checkHost (field: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null
  if (isIP(value) === 0) throw new ConfigError(field, `must be an IP address of this machine, such as 0.0.0.0 (every interface) or 203.0.113.7, got "${value}"`)
  return value
}

function checkTrustedProxies (value: string[] | undefined): string[] {
  return (value ?? []).map(address => {
    if (isIP(address) === 0) throw new ConfigError('trustedProxies', `every entry must be an IP address of a reverse proxy, such as 127.0.0.1, got "${address}"`)
    return address
  })
}

function checkGatewayRate (value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new ConfigError('gatewayRatePerSecond', `must be a number of reads a second, 0 for no limit; got ${String(value)}`)
  return value
}

function checkBurst (value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError('gatewayRateBurst', `must be a whole number of reads, at least 1; got ${String(value)}`)
  return value
}

function checkReservations (value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError('circuitRelayMaxReservations', `must be a whole number of relay slots, at least 1; got ${String(value)}`)
  return value
}

/** A relay is dialled by the peers it serves: it cannot be one without a listener. */
function checkRelayService (service: boolean, listen: boolean): boolean {
  if (service && !listen) throw new ConfigError('circuitRelayService', 'a relay must accept connections: do not combine it with p2pListen false (--no-listen)')
  return service
}

function checkAnnounce (value: string[] | undefined): string[] {
  return (value ?? []).map(address => {
    let parts
    try {
      parts = multiaddr(address).getComponents()
    } catch {
      throw new ConfigError('p2pAnnounce', `every entry must be a multiaddr such as /ip4/203.0.113.7/tcp/5481 or /dns4/relay.example.org/tcp/5481, got "${address}"`)
    }
    if (parts.some(c => c.name === 'p2p' || c.name === 'p2p-circuit')) throw new ConfigError('p2pAnnounce', `entries are this node's own addresses, without /p2p/<peer id> (it is added) or /p2p-circuit; got "${address}"`)
    return address
  })
}

function checkPort (field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(field, `must be a whole number from 0 to 65535, got ${String(value)}`)
  }
  return value
}

/** Fills defaults and checks every field, so the rest of the node can trust its config. */
export function resolveConfig (init: NodeConfigInit = {}): NodeConfig {
  return {
    dataDir: path.resolve(init.dataDir ?? defaultDataDir()),
    rpcHost: init.rpcHost ?? DEFAULT_RPC_HOST,
    rpcPort: checkPort('rpcPort', init.rpcPort ?? DEFAULT_RPC_PORT),
    p2pPort: checkPort('p2pPort', init.p2pPort ?? DEFAULT_P2P_PORT),
    p2pHost: init.p2pHost ?? DEFAULT_P2P_HOST,
    offline: init.offline ?? false,
    uiDir: init.uiDir ?? path.join(packageInfo().root, 'dist', 'renderer'),
    servicesDir: init.servicesDir ?? path.join(packageInfo().root, 'dist', 'services'),
    aquaDir: init.aquaDir ?? path.join(packageInfo().root, 'dist', 'aqua'),
    relay: checkRelay(init.relay),
    mdns: init.mdns ?? !isLoopback(init.p2pHost ?? DEFAULT_P2P_HOST),
    bootstrap: checkBootstrap(init.bootstrap),
    dht: init.dht ?? !isLoopback(init.p2pHost ?? DEFAULT_P2P_HOST),
    aquaVmThread: checkAquaVmThread(init.aquaVmThread),
    particleRateLimit: checkRate('particleRateLimit', init.particleRateLimit ?? MAX_PARTICLES_PER_SECOND_PER_PEER),
    devUiOrigins: checkDevUiOrigins(init.devUiOrigins),
    gatewayHost: checkHost('gatewayHost', init.gatewayHost),
    gatewayPort: checkPort('gatewayPort', init.gatewayPort ?? DEFAULT_GATEWAY_PORT),
    gatewayRatePerSecond: checkGatewayRate(init.gatewayRatePerSecond ?? PUBLIC_RATE_PER_SECOND),
    gatewayRateBurst: checkBurst(init.gatewayRateBurst ?? PUBLIC_RATE_BURST),
    trustedProxies: checkTrustedProxies(init.trustedProxies),
    p2pListen: init.p2pListen ?? true,
    circuitRelayService: checkRelayService(init.circuitRelayService ?? false, init.p2pListen ?? true),
    circuitRelayMaxReservations: checkReservations(init.circuitRelayMaxReservations ?? RELAY_MAX_RESERVATIONS),
    p2pAnnounce: checkAnnounce(init.p2pAnnounce),
  }
}

/** A host only this machine reaches: the node's DHT there is a private one (tests), and mDNS is off by default. */
export function isLoopback (host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1'
}
