import path from 'node:path'
import type { ExportResultInfo, ExportStatusInfo } from '../api/index.js'
import type { ExportResult } from '../lineage/export/index.js'
import { createLineageNode, defaultDataDir } from '../node/index.js'
import { CliError } from './errors.js'
import { runningNode } from './import.js'
import { untilInterrupted } from './interrupt.js'
import type { NodeClient } from './node-client.js'
import type { Output } from './start.js'

/** Progress lines are printed at most this often. */
const PROGRESS_LINE_INTERVAL_MS = 1000
/** How often a running node is asked how far an export it runs is. */
const STATUS_POLL_MS = 1000
/** An export of a large node takes minutes; the call waits this long (Ctrl+C stops it sooner). */
const EXPORT_CALL_TIMEOUT_MS = 24 * 60 * 60_000

export interface ExportOptions {
  dataDir?: string
  /** The CAR file to write; it must not exist. */
  car: string
  tokenKey?: string
  dataKey?: string
}

/**
 * `lineage-node export`. If a node runs on the data dir, it writes the file (JSON-RPC `export_car`,
 * followed with `export_status`; Ctrl+C sends `export_cancel`); otherwise this process opens the
 * data dir itself, as `import` does. Prints progress, then what the file holds.
 */
export async function runExport (options: ExportOptions, output: Output): Promise<void> {
  const dataDir = options.dataDir ?? defaultDataDir()
  const file = path.resolve(options.car)
  await untilInterrupted(async signal => {
    try {
      const running = await runningNode(dataDir)
      const result = running === undefined
        ? await exportInProcess(dataDir, file, options, signal, output)
        : await exportThroughNode(running, file, options, signal, output)
      output.out(formatExport(result))
    } catch (err) {
      // In process the export throws AbortError; through the node, its call answers "cancelled".
      if ((err as { name?: unknown }).name === 'AbortError' || signal.aborted) throw new CliError(`Export cancelled; ${file} was not written.`)
      throw err
    }
  })
}

/** `Exported 4 transactions, 3 slot heads, 1 pin, 0 contracts (9 blocks, 2.1 KiB) to <file>; root bafy…` */
export function formatExport (r: ExportResult | ExportResultInfo): string {
  const n = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`
  return `Exported ${n(r.transactions, 'transaction')}, ${n(r.heads, 'slot head')}, ${n(r.pins, 'pin')}, ${n(r.contracts, 'contract')} (${n(r.blocks, 'block')}, ${formatBytes(r.bytes)}) to ${r.path}; root ${r.roots[0] ?? ''}`
}

function formatBytes (n: number): string {
  return n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`
}

function progressPrinter (output: Output): (blocks: number, bytes: number) => void {
  let last = Date.now()
  return (blocks, bytes) => {
    const now = Date.now()
    if (now - last < PROGRESS_LINE_INTERVAL_MS) return
    last = now
    output.out(`exported ${blocks} blocks (${formatBytes(bytes)})`)
  }
}

async function exportInProcess (dataDir: string, file: string, options: ExportOptions, signal: AbortSignal, output: Output): Promise<ExportResult> {
  const node = createLineageNode({ dataDir, offline: true, rpcPort: 0 })
  await node.start()
  try {
    const print = progressPrinter(output)
    return await node.exporter.export({
      path: file,
      ...(options.tokenKey === undefined ? {} : { tokenKey: options.tokenKey }),
      ...(options.dataKey === undefined ? {} : { dataKey: options.dataKey }),
    }, { signal, onProgress: e => { print(e.blocks, e.bytes) } })
  } finally {
    await node.stop()
  }
}

async function exportThroughNode (node: NodeClient, file: string, options: ExportOptions, signal: AbortSignal, output: Output): Promise<ExportResultInfo> {
  const scope = { ...(options.tokenKey === undefined ? {} : { token_key: options.tokenKey }), ...(options.dataKey === undefined ? {} : { data_key: options.dataKey }) }
  const exporting = node.call<ExportResultInfo>('export_car', [file, scope], { timeoutMs: EXPORT_CALL_TIMEOUT_MS })
  let finished = false
  const print = progressPrinter(output)
  const follow = (async () => {
    let cancelled = false
    while (!finished) {
      await Promise.race([exporting.catch(() => {}), new Promise(resolve => setTimeout(resolve, STATUS_POLL_MS))])
      if (finished) return
      if (signal.aborted && !cancelled) {
        cancelled = true
        await node.call('export_cancel', [file]).catch(() => {})
      }
      const status = await node.call<ExportStatusInfo>('export_status', [file]).catch(() => undefined)
      if (status?.running === true) print(status.blocks, status.bytes)
    }
  })()
  try {
    return await exporting
  } finally {
    finished = true
    await follow
  }
}
