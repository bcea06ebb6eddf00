import { createLineageNode, readApiToken } from '../node/index.js'
import type { NodeConfigInit } from '../node/index.js'
// Not the API's entry: it loads the engine and libp2p, which the node loads after it listens.
import { UI_PREFIX } from '../api/constants.js'
import { watchReachability } from './reachability.js'

export interface StartOptions {
  dataDir?: string
  rpcPort?: number
  p2pPort?: number
  p2pHost?: string
  offline?: boolean
  /** Multiaddr of an external Fluence relay to join a network through. */
  relay?: string
  bootstrap?: string[]
  /** False with --no-mdns; commander sets true when the flag is absent, so only false is passed on. */
  mdns?: boolean
  /** --dht / --no-dht; undefined (neither) keeps the default: on unless the p2p host is loopback. */
  dht?: boolean
  /** --aquavm-thread main|worker */
  aquavmThread?: 'main' | 'worker'
  /** --gateway-host/--gateway-port: the public, read-only gateway listener. */
  gatewayHost?: string
  gatewayPort?: number
  /** --gateway-rate/--gateway-burst: reads a second per client, and the burst. */
  gatewayRate?: number
  gatewayBurst?: number
  /** --trusted-proxy: reverse proxies whose X-Forwarded-For is believed. */
  trustedProxy?: string[]
  /** False with --no-listen: reached only through a relay. */
  listen?: boolean
  /** --relay-service and --relay-max-reservations: the libp2p circuit relay this node offers. */
  relayService?: boolean
  relayMaxReservations?: number
  /** --p2p-announce: public addresses the operator states. */
  p2pAnnounce?: string[]
}

export interface Output {
  out(line: string): void
  err(line: string): void
}

/**
 * The tokenURI base the public listener serves, as `start` prints it. A wildcard bind address
 * (0.0.0.0, ::) is not one a marketplace can use, so the line says what goes in its place.
 */
export function publicGatewayLine (publicGatewayUrl: string): string {
  const url = new URL(publicGatewayUrl)
  if (url.hostname !== '0.0.0.0' && url.hostname !== '[::]') return `Public gateway: ${publicGatewayUrl}/metadata/<chainId>/<address>/`
  return `Public gateway: http://<this server's address>:${url.port}/metadata/<chainId>/<address>/ (listening on ${url.host}, every interface)`
}

/**
 * Runs a node in the foreground until SIGINT/SIGTERM. Resolves once the node has stopped again;
 * the lines it prints first are what scripts (and `npm start`) read to find the UI.
 */
export async function runStart (options: StartOptions, output: Output): Promise<void> {
  const init: NodeConfigInit = {}
  if (options.dataDir !== undefined) init.dataDir = options.dataDir
  if (options.rpcPort !== undefined) init.rpcPort = options.rpcPort
  if (options.p2pPort !== undefined) init.p2pPort = options.p2pPort
  if (options.p2pHost !== undefined) init.p2pHost = options.p2pHost
  if (options.offline !== undefined) init.offline = options.offline
  if (options.relay !== undefined) init.relay = options.relay
  if (options.bootstrap !== undefined) init.bootstrap = options.bootstrap
  if (options.mdns === false) init.mdns = false
  if (options.dht !== undefined) init.dht = options.dht
  if (options.aquavmThread !== undefined) init.aquaVmThread = options.aquavmThread
  if (options.gatewayHost !== undefined) init.gatewayHost = options.gatewayHost
  if (options.gatewayPort !== undefined) init.gatewayPort = options.gatewayPort
  if (options.gatewayRate !== undefined) init.gatewayRatePerSecond = options.gatewayRate
  if (options.gatewayBurst !== undefined) init.gatewayRateBurst = options.gatewayBurst
  if (options.trustedProxy !== undefined) init.trustedProxies = options.trustedProxy
  if (options.listen === false) init.p2pListen = false
  if (options.relayService !== undefined) init.circuitRelayService = options.relayService
  if (options.relayMaxReservations !== undefined) init.circuitRelayMaxReservations = options.relayMaxReservations
  if (options.p2pAnnounce !== undefined) init.p2pAnnounce = options.p2pAnnounce
  const node = createLineageNode(init)
  // Listened for before the start: the node answers while it starts, so a supervisor (or a person)
  // may signal then; the start then ends and undoes itself, and the process exits cleanly.
  const stopped = new Promise<void>(resolve => {
    const shutdown = (): void => {
      process.off('SIGINT', shutdown)
      process.off('SIGTERM', shutdown)
      if (node.status().state === 'starting') void node.stop()
      resolve()
    }
    process.on('SIGINT', shutdown)
    process.on('SIGTERM', shutdown)
  })
  try {
    await node.start()
  } catch (err) {
    if ((err as Error).name !== 'NodeStartCancelledError') throw err
    output.out('Stopped while starting.')
    return
  }

  const status = node.status()
  if (status.apiPortWasBusy) output.err(`Port ${node.config.rpcPort} is busy; using ${status.apiUrl ?? ''} instead.`)
  if (status.p2pPortsWereBusy) output.err(`Peer-to-peer port ${node.config.p2pPort} or ${node.config.p2pPort + 1} is busy; listening on other ports (see below).`)
  output.out(`Lineage node ${status.peerId ?? ''} is running (data: ${status.dataDir}).`)
  output.out(`API: ${status.apiUrl ?? ''}/rpc`)
  // The UI's address carries the API token once, in the fragment (never sent to a server);
  // the page keeps it for the tab's session and drops it from the address bar.
  const token = readApiToken(status.dataDir)
  output.out(`UI:  ${status.apiUrl ?? ''}${UI_PREFIX}${token === undefined ? '' : `#token=${token}`}`)
  // What a creator puts in a contract's baseURI (behind a reverse proxy, its https:// name instead).
  if (status.publicGatewayUrl !== null) output.out(publicGatewayLine(status.publicGatewayUrl))
  if (status.offline) output.out('Offline: not listening for or dialing peers.')
  for (const address of status.listenAddresses) output.out(`P2P: ${address}`)
  const dht = node.info().dht
  if (dht !== null) output.out(`DHT: ${dht.network === 'public' ? 'on the IPFS network' : 'a private DHT of the bootstrap peers'}; collection heads, pinned roots and IPNS names are announced there.`)
  if (status.fluence !== null) output.out(`Fluence: peer ${status.fluence.peer_id}, hosting ${status.fluence.services.marine.join(', ')}${status.fluence.relay === null ? '' : `; relay ${status.fluence.relay.address}`}`)
  if (status.reachability.relay_service) output.out(`Relay service: on, up to ${node.config.circuitRelayMaxReservations} nodes may hold a slot.`)
  // Relay addresses come when a relay grants a slot, after start: printed then.
  const unwatch = watchReachability(node, output)
  output.out('Press Ctrl+C to stop.')

  await stopped
  unwatch()
  output.out('Stopping…')
  await node.stop()
}
