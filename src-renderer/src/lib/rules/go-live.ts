/** The Go live screen's rules: commands to show, addresses to build, results in words. Plain TS. */
import type { TokenUriCheckInfo } from '../../../../src-main/api/rpc-types.js'
import { formatBytes } from '../format.js'
import type { DhtInfo, ReachabilityInfo } from './go-live-wire.js'

export type GoLivePath = 'server' | 'snapshot' | 'reachable'

export const GO_LIVE_PATHS: ReadonlyArray<{ path: GoLivePath, label: string, hint: string }> = [
  { path: 'server', label: 'Use my own server', hint: 'A server you rent runs Lineage too and serves your collection to everyone.' },
  { path: 'snapshot', label: 'Publish an IPFS snapshot', hint: 'Your contract points at ipfs://…/, kept by a pinning service.' },
  { path: 'reachable', label: 'Make this computer reachable', hint: 'Peers and IPFS nodes reach this computer, directly or through a relay; marketplaces read it over the web once its port is open.' },
]

/** What to run on the server so it serves publicly (the API stays on the server's loopback). */
export const SERVER_START_COMMAND = 'lineage-node start --gateway-host 0.0.0.0'

/** What to run on the server so it keeps a copy of this collection and serves it. */
export function followCommand (chainId: string, address: string): string {
  return `lineage-node follow add ${chainId} ${address.toLowerCase()}`
}

/**
 * The server's public address as typed ("metadata.example.com", "https://x.example/"), as a base
 * URL without a trailing slash; null when it is not a web address.
 */
export function serverBase (typed: string): string | null {
  const text = typed.trim()
  if (text === '') return null
  const withScheme = /^https?:\/\//i.test(text) ? text : `https://${text}`
  if (!URL.canParse(withScheme)) return null
  const url = new URL(withScheme)
  if (url.hostname === '' || url.search !== '' || url.hash !== '') return null
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** The baseURI a contract gets on a Lineage gateway at `base`: tokenURI(id) = this + id. */
export function publicMetadataBase (base: string, chainId: string, address: string): string {
  return `${base}/metadata/${chainId}/${address.toLowerCase()}/`
}

/** One line on a check's result, the way a creator reads it. */
export function describeCheck (result: TokenUriCheckInfo): string {
  const facts = [result.status === null ? 'no answer' : `HTTP ${result.status}`, ...(result.bytes > 0 ? [formatBytes(result.bytes)] : []), `${result.elapsed_ms} ms`].join(', ')
  if (result.ok) return `A marketplace would show “${result.name ?? ''}” (${facts}).`
  return `A marketplace would not show this token: ${result.problem ?? 'unknown reason'} (${facts}).`
}

/** Where this node stands on the internet, in words. */
export function describeReachability (reach: ReachabilityInfo | undefined, offline: boolean): string {
  if (offline) return 'This node runs offline: it does not talk to the internet.'
  if (reach === undefined) return 'Not available on this node yet.'
  const relay = reach.relays[0] ?? reach.relay_addresses[0]
  switch (reach.status) {
    case 'public': return `Reachable directly from the internet${reach.public_addresses[0] === undefined ? '' : ` at ${reach.public_addresses[0]}`}.`
    case 'relayed': return `Reachable through the relay ${relay ?? '(unnamed)'}: peers reach this computer through it.`
    case 'unreachable': return 'Not reachable from the internet. Give it a relay server\'s address (Go live › Make this computer reachable): peers then reach it through the relay.'
    case 'offline': return 'This node runs offline: it does not talk to the internet.'
    default: return 'Not known yet: the node is still finding out whether the internet can reach it.'
  }
}

/** Whether this node announces its content on the IPFS network (the DHT), in words. */
export function describeDht (dht: DhtInfo | null | undefined): string {
  if (dht === undefined) return 'Not available on this node yet.'
  if (dht === null) return 'Off: IPFS nodes find this content only if told this node\'s address.'
  const when = dht.reproviding ? ' It is announcing them now.' : ''
  return `On (${dht.mode}): ${dht.peers} DHT ${dht.peers === 1 ? 'peer' : 'peers'}, ${dht.provided} ${dht.provided === 1 ? 'CID' : 'CIDs'} announced.${when}`
}

/** A snapshot's date, as the list shows it. */
export function snapshotDate (createdAt: number | string): string {
  const date = new Date(createdAt)
  return Number.isNaN(date.getTime()) ? String(createdAt) : date.toLocaleString()
}

/** Whether a listener URL names every interface (0.0.0.0, ::) rather than an address others can use. */
export function isWildcardUrl (url: string): boolean {
  const host = URL.canParse(url) ? new URL(url).hostname : ''
  return host === '0.0.0.0' || host === '[::]'
}
