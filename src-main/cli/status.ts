import { defaultDataDir } from '../node/local/index.js'
import type { NodeInfo } from '../api/index.js'
import { CliError } from './errors.js'
import { nodeClient } from './node-client.js'
import { describeReachability } from './reachability.js'
import type { Output } from './start.js'

/** Asks the node running on a data dir for its node_info, and checks it is that node. */
export async function fetchNodeInfo (dataDir: string): Promise<NodeInfo> {
  const client = nodeClient(dataDir)
  const info = await client.call<NodeInfo>('node_info')
  // Another program may have taken the port since: only our node has our peer id.
  if (info.peer_id !== client.peerId) {
    throw new CliError(`No Lineage node is running with data dir ${dataDir} (another node answers at ${client.url}).`)
  }
  return info
}

export interface StatusOptions {
  dataDir?: string
  json?: boolean
}

function formatUptime (ms: number): string {
  const s = Math.floor(ms / 1000)
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'm'], [s % 60, 's']] as const
  const shown = parts.filter(([n], i) => n > 0 || i === parts.length - 1)
  return shown.map(([n, unit]) => `${n}${unit}`).join(' ')
}

export async function runStatus (options: StatusOptions, output: Output): Promise<void> {
  const dataDir = options.dataDir ?? defaultDataDir()
  const info = await fetchNodeInfo(dataDir)
  if (options.json === true) {
    output.out(JSON.stringify(info, null, 2))
    return
  }
  output.out(`State:    ${info.state}`)
  output.out(`Peer id:  ${info.peer_id}`)
  output.out(`Version:  ${info.version}`)
  output.out(`Uptime:   ${formatUptime(info.uptime_ms)}`)
  output.out(`API:      ${info.api_url ?? ''}/rpc`)
  output.out(`UI:       ${info.api_url ?? ''}/app/`)
  if (info.public_gateway_url !== null && info.public_gateway_url !== undefined) output.out(`Public:   ${info.public_gateway_url}/metadata/<chainId>/<address>/`)
  output.out(`Data dir: ${info.data_dir} (schema version ${info.schema_version})`)
  if (info.stats !== null) {
    const s = info.stats
    output.out(`Storage:  ${s.tokens} tokens in ${s.collections} collections, ${s.transactions} transactions, ${s.blocks} blocks (${(s.database_bytes / 1_048_576).toFixed(1)} MiB on disk)`)
  }
  output.out(`Network:  ${info.p2p === null ? 'offline' : `online, ${info.p2p.connections} connection${info.p2p.connections === 1 ? '' : 's'}`}`)
  for (const address of info.p2p?.listen_addresses ?? []) output.out(`P2P:      ${address}`)
  const dht = info.dht
  if (dht !== null && dht !== undefined) output.out(`DHT:      ${dht.network === 'public' ? 'IPFS network' : 'private'}, ${dht.mode} mode, ${dht.peers} peers; ${dht.provided} CIDs provided${dht.reproviding ? ' (reproviding now)' : ''}, last reprovide ${dht.last_reprovide_at ?? 'not yet'}`)
  output.out(describeReachability(info.reachability))
  if (info.reachability.relay_service) output.out('Relay service: on (nodes behind routers may hold a slot here)')
  if (info.fluence !== null) {
    const f = info.fluence
    output.out(`Fluence:  ${f.services.marine.length} Marine services (${f.services.marine.join(', ')}), ${f.connected_peers.length} peer${f.connected_peers.length === 1 ? '' : 's'}; particles ${f.particles.received} in, ${f.particles.sent} out, ${f.particles.rejected} rejected`)
    if (f.relay === null) output.out('Relay:    none (this node is its own relay)')
    else output.out(`Relay:    ${f.relay.state} ${f.relay.address}${f.relay.last_error === null ? '' : ` (last error: ${f.relay.last_error}; attempt ${f.relay.attempts}${f.relay.next_attempt_at === null ? '' : `, next at ${f.relay.next_attempt_at}`})`}`)
  }
}
