import { defaultDataDir, readApiFile } from '../node/index.js'
import type { NodeInfo } from '../api/index.js'
import { CliError } from './errors.js'
import type { Output } from './start.js'

/** How long `status` waits for a node to answer before calling it unreachable. */
const STATUS_TIMEOUT_MS = 5_000

export interface StatusOptions {
  dataDir?: string
  json?: boolean
}

/** Asks the node running on a data dir for its node_info, through the address it announced. */
export async function fetchNodeInfo (dataDir: string): Promise<NodeInfo> {
  const announced = readApiFile(dataDir)
  if (announced === undefined) throw new CliError(`No Lineage node is running with data dir ${dataDir}. Start one with \`lineage-node start\`.`)

  let response: Response
  try {
    response = await fetch(`${announced.url}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info' }),
      signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
    })
  } catch {
    // The api file outlives a node killed without warning; nothing answering means not running.
    throw new CliError(`No Lineage node is running with data dir ${dataDir} (nothing answers at ${announced.url}; the last node there did not shut down cleanly).`)
  }
  const body = await response.json().catch(() => undefined) as { result?: NodeInfo, error?: { message: string } } | undefined
  if (body?.result === undefined) {
    throw new CliError(`The node at ${announced.url} did not answer node_info: ${body?.error?.message ?? `HTTP ${response.status}`}`)
  }
  // Another program may have taken the port since: only our node has our peer id.
  if (body.result.peer_id !== announced.peerId) {
    throw new CliError(`No Lineage node is running with data dir ${dataDir} (another node answers at ${announced.url}).`)
  }
  return body.result
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
  output.out(`Data dir: ${info.data_dir} (schema version ${info.schema_version})`)
  output.out(`Network:  ${info.p2p === null ? 'offline' : `online, ${info.p2p.connections} connection${info.p2p.connections === 1 ? '' : 's'}`}`)
  for (const address of info.p2p?.listen_addresses ?? []) output.out(`P2P:      ${address}`)
}
