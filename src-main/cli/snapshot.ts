import path from 'node:path'
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import type { IpnsNameInfoWire, RemotePinInfoWire, SnapshotCarInfo, SnapshotInfo, SnapshotStatusInfo } from '../api/index.js'
import { defaultDataDir } from '../node/local/index.js'
import { CliError } from './errors.js'
import { untilInterrupted } from './interrupt.js'
import { nodeClient } from './node-client.js'
import type { NodeClient } from './node-client.js'
import type { Output } from './start.js'

/** How often the node is asked how far the snapshot is (a progress line each time). */
const STATUS_POLL_MS = 1000
/** A snapshot of a large collection takes a while; the call waits this long (Ctrl+C stops it sooner). */
const SNAPSHOT_CALL_TIMEOUT_MS = 24 * 60 * 60_000

const formatBytes = (n: number): string => n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`

function parseChainId (value: string): string {
  if (!/^[0-9]{1,20}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a chain id; use its decimal number, e.g. 1 for Ethereum.`)
  return value
}

function parseAddress (value: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a contract address; use 0x and 40 hex digits.`)
  return value
}

export interface SnapshotCommandOptions {
  dataDir?: string
  jsonSuffix?: boolean
  /** Also write the snapshot as a CAR file here (must not exist). */
  car?: string
  /** Also send the root to this pinning service (as added with `pin remote service add`). */
  remotePin?: string
  /** Also point the collection's IPNS name at it (made on first use; later snapshots move it). */
  ipns?: boolean
}

/**
 * `lineage-node snapshot <chainId> <address>`: the running node builds and pins the collection's
 * IPFS folder (`snapshot_create`, followed with `snapshot_status`; Ctrl+C sends `snapshot_cancel`),
 * then this prints its root CID and `ipfs://` baseURI, and optionally writes a CAR and asks a
 * pinning service to pin it.
 */
export async function runSnapshot (chainId: string, address: string, options: SnapshotCommandOptions, output: Output): Promise<void> {
  const node = nodeClient(options.dataDir ?? defaultDataDir())
  const car = options.car === undefined ? undefined : path.resolve(options.car)
  const snapshot = await untilInterrupted(async signal => {
    try {
      return await createFollowing(node, chainId, address, options.jsonSuffix === true, signal, output)
    } catch (err) {
      if (signal.aborted) throw new CliError('Snapshot cancelled; nothing was kept.')
      throw err
    }
  })
  output.out(`Snapshot of ${snapshot.token_address} on chain ${snapshot.chain_id}: ${snapshot.tokens} tokens${snapshot.json_suffix ? ' (each also as <id>.json)' : ''}, ${formatBytes(snapshot.bytes)}${snapshot.sharded ? ', HAMT-sharded' : ''}, pinned on this node.`)
  output.out(`Root CID: ${snapshot.root_cid}`)
  output.out(`baseURI:  ${snapshot.base_uri}`)
  if (car !== undefined) {
    const written = await node.call<SnapshotCarInfo>('snapshot_export_car', [snapshot.root_cid, car], { timeoutMs: SNAPSHOT_CALL_TIMEOUT_MS })
    output.out(`Wrote ${written.path} (${written.blocks} blocks, ${formatBytes(written.bytes)}): upload it to any pinning provider.`)
  }
  if (options.remotePin !== undefined) {
    const sent = await node.call<RemotePinInfoWire>('remote_pin_add', [snapshot.root_cid, options.remotePin])
    output.out(`Sent ${sent.cid} to ${sent.service}: ${sent.status}. See \`lineage-node pin remote ls\` for its status.`)
  }
  if (options.ipns === true) {
    const named = await node.call<IpnsNameInfoWire>('ipns_publish', [snapshot.chain_id, snapshot.token_address, snapshot.root_cid])
    output.out(`IPNS name: ipns://${named.name}/ (now ${named.value}, sequence ${named.sequence}); each new snapshot of this collection moves it.`)
  }
}

async function createFollowing (node: NodeClient, chainId: string, address: string, jsonSuffix: boolean, signal: AbortSignal, output: Output): Promise<SnapshotInfo> {
  const creating = node.call<SnapshotInfo>('snapshot_create', [chainId, address, { json_suffix: jsonSuffix }], { timeoutMs: SNAPSHOT_CALL_TIMEOUT_MS })
  let finished = false
  const follow = (async () => {
    let cancelled = false
    while (!finished) {
      await Promise.race([creating.catch(() => {}), new Promise(resolve => setTimeout(resolve, STATUS_POLL_MS))])
      if (finished) return
      if (signal.aborted && !cancelled) {
        cancelled = true
        await node.call('snapshot_cancel', [chainId, address]).catch(() => {})
      }
      const status = await node.call<SnapshotStatusInfo>('snapshot_status', [chainId, address]).catch(() => undefined)
      if (status?.running === true) output.out(`snapshot: ${status.done}/${status.total} tokens`)
    }
  })()
  try {
    return await creating
  } finally {
    finished = true
    await follow
  }
}

/** `lineage-node snapshots <chainId> <address>`: the collection's snapshots, newest first. */
export async function runSnapshots (chainId: string, address: string, options: { dataDir?: string, json?: boolean }, output: Output): Promise<void> {
  const listed = await nodeClient(options.dataDir ?? defaultDataDir()).call<SnapshotInfo[]>('snapshot_ls', [chainId, address])
  if (options.json === true) output.out(JSON.stringify(listed, null, 2))
  else if (listed.length === 0) output.out(`No snapshots of ${address} on chain ${chainId}. Take one with \`lineage-node snapshot ${chainId} ${address}\`.`)
  else for (const s of listed) output.out(`${s.created_at}\t${s.base_uri}\t${s.tokens} tokens\t${formatBytes(s.bytes)}${s.json_suffix ? '\t.json too' : ''}`)
}

/** The `snapshot` and `snapshots` commands. */
export function addSnapshotCommands (program: Command, output: Output, dataDir: { flags: string, help: string, parse: (value: string) => string }): void {
  program.command('snapshot')
    .description('publish the collection as an IPFS folder: build and pin a UnixFS snapshot of its tokenURI documents, and print its ipfs:// baseURI')
    .argument('<chainId>', 'chain id, e.g. 1', parseChainId)
    .argument('<address>', 'the collection\'s contract address', parseAddress)
    .option('--json-suffix', 'also name each entry <tokenId>.json (the same file)')
    .option('--car <file>', 'also write the snapshot as a CAR file (must not exist), for a pinning provider\'s upload')
    .option('--remote-pin <service>', 'also ask this pinning service (see `pin remote service add`) to pin it')
    .option('--ipns', 'also point the collection\'s IPNS name at it (a baseURI that follows every later snapshot: ipns://<name>/)')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, options: SnapshotCommandOptions) => { await runSnapshot(chainId, address, options, output) })
  program.command('snapshots')
    .description('list the collection\'s snapshots, newest first')
    .argument('<chainId>', 'chain id, e.g. 1', parseChainId)
    .argument('<address>', 'the collection\'s contract address', parseAddress)
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, options: { dataDir?: string, json?: boolean }) => { await runSnapshots(chainId, address, options, output) })
}
