import fs from 'node:fs'
import { defaultLogger } from '@libp2p/logger'
import path from 'node:path'
import { IMPORT_PROGRESS_EVENT, MAX_SHOWN_REASON_CHARS, shownText } from '../lineage/import/index.js'
import type { CarImportSummary, ImportEvent, ImportProgressEvent, ImportReport } from '../lineage/import/index.js'
import { createKeystore } from '../lineage/keys/index.js'
import type { Signer } from '../lineage/keys/index.js'
import { createImportSession, defaultDataDir, readApiFile } from '../node/index.js'
import { CliError, EXIT } from './errors.js'
import type { Output } from './start.js'
import { nodeClient, silentNodeState, whyNoAnswer } from './node-client.js'
import type { NodeClient } from './node-client.js'
import { untilInterrupted } from './interrupt.js'
import { readPassphrase } from './passphrase.js'
import { fetchNodeInfo } from './status.js'

/** Progress lines are printed at most this often. */
const PROGRESS_LINE_INTERVAL_MS = 1000
/** How often a running node is asked for the status of an import it runs. */
const STATUS_POLL_MS = 500
/** Rejected items printed at the end; the rest are counted. */
const REJECTED_PRINTED = 100

export interface ImportOptions {
  dataDir?: string
  /** A folder of <tokenId>.json files, a .csv or a .car file. */
  source: string
  chain?: string
  contract?: string
  contractId?: string
  /** Name of the keystore key that signs the items. */
  key?: string
  /** Environment variable holding the key's passphrase; default LINEAGE_PASSPHRASE, else a prompt. */
  passphraseEnv?: string
  alias?: string
  version?: string
  /** Id of a job to resume (printed when it started). */
  resume?: string
}

/** Errors whose messages are written for the person at the terminal. */
const USER_ERRORS = new Set([
  'ImportPathError', 'ImportSourceError', 'ImportSourceChangedError', 'ImportJobNotFoundError', 'ImportJobBusyError', 'ImportKeyError',
  'ImportBindingError', 'ImportStalledError', 'InvalidTransactionError', 'KeyNotFoundError', 'WrongPassphraseError', 'InvalidKeyNameError',
  'KeyFileError', 'StoreLockedError', 'UnknownMetaContractError',
])

/**
 * `lineage-node import`. If a node runs on the data dir, the import runs inside it (JSON-RPC
 * `import_folder`/`import_car`, followed with `import_status`, Ctrl+C sends `import_cancel`);
 * otherwise this process opens the data dir itself (the parts of a node an import uses, holding
 * the database lock for the import's duration). Either way the job is the same row in the same database, so a job
 * started one way can be resumed the other.
 */
export async function runImport (options: ImportOptions, output: Output): Promise<void> {
  const dataDir = options.dataDir ?? defaultDataDir()
  const source = realSource(options.source)
  const isCar = path.extname(source).toLowerCase() === '.car'
  if (!isCar && options.resume === undefined) {
    for (const [flag, value] of [['--chain', options.chain], ['--contract', options.contract], ['--key', options.key]] as const) {
      if (value === undefined) throw new CliError(`${flag} is required to import a folder or a CSV file.`, EXIT.usage)
    }
  }
  if (!isCar && options.key === undefined) throw new CliError('--key is required: the key that signs the items.', EXIT.usage)
  const passphrase = isCar ? '' : await passphraseOf(options)

  await untilInterrupted(async signal => {
    try {
      const running = await runningNode(dataDir)
      const report = running === undefined
        ? await importInProcess(dataDir, source, isCar, passphrase, options, signal, output)
        : await importThroughNode(running, source, isCar, passphrase, options, signal, output)
      printReport(report, source, output, resumeCommand(source, report.job, isCar, dataDir, options))
    } catch (err) {
      const name = (err as { name?: unknown }).name
      if (typeof name === 'string' && USER_ERRORS.has(name)) throw new CliError((err as Error).message)
      throw err
    }
  })
}

function realSource (given: string): string {
  try {
    // The person's own path: symbolic links are theirs to use, so it is resolved here.
    return fs.realpathSync.native(path.resolve(given))
  } catch {
    throw new CliError(`${given} does not exist.`, EXIT.usage)
  }
}

async function passphraseOf (options: ImportOptions): Promise<string> {
  if (options.passphraseEnv === undefined) return await readPassphrase(`Passphrase of the key "${options.key ?? ''}": `)
  const value = process.env[options.passphraseEnv]
  if (value === undefined || value === '') throw new CliError(`Set the passphrase of the key "${options.key ?? ''}" in the environment variable ${options.passphraseEnv}.`, EXIT.usage)
  return value
}

/** A client of the node running on the data dir, or undefined when none answers there. */
export async function runningNode (dataDir: string): Promise<NodeClient | undefined> {
  const announced = readApiFile(dataDir)
  if (announced === undefined) return undefined
  try {
    await fetchNodeInfo(dataDir)
    return nodeClient(dataDir)
  } catch {
    // A node that is stopping still holds the data dir: say so rather than fail to open it.
    if (silentNodeState(announced) === 'stopping') throw new CliError(whyNoAnswer(dataDir, announced))
    // A stale api file (the node was killed): nobody holds the data dir.
    return undefined
  }
}

async function importInProcess (dataDir: string, source: string, isCar: boolean, passphrase: string, options: ImportOptions, signal: AbortSignal, output: Output): Promise<ImportReport> {
  // The key first: scrypt's 128 MiB are freed before the session allocates its own, so the two never
  // add up in the process's peak memory (and a wrong passphrase fails before the database opens).
  const signer: Signer | undefined = isCar ? undefined : await createKeystore({ log: defaultLogger().forComponent('lineage:keys') }, { dataDir }).unlock(options.key ?? '', passphrase)
  const session = await createImportSession({ dataDir })
  try {
    await session.start()
  } catch (err) {
    signer?.lock()
    throw err
  }
  // A node's own importer, so a CAR's contracts and pins are restored as through a running node.
  const importer = session.importer
  try {
    const job = options.resume ?? (await importer.create({
      source,
      ...(isCar
        ? {}
        : {
            chain_id: options.chain ?? '',
            token_address: options.contract ?? '',
            meta_contract_id: options.contractId ?? 'erc721',
            public_key: signer?.publicKey ?? '',
            ...(options.alias === undefined ? {} : { alias: options.alias }),
            ...(options.version === undefined ? {} : { version: options.version }),
          }),
    })).job
    if (options.resume !== undefined && importer.status(job).params.source !== source) {
      throw new CliError(`Job ${job} imports ${importer.status(job).params.source}, not ${source}.`)
    }
    output.out(`Import job ${job}: ${shownText(source)}`)
    const printer = progressPrinter(output)
    return await importer.run(job, { ...(signer === undefined ? {} : { signer }), signal, onProgress: (e: ImportEvent) => { if (e.type === IMPORT_PROGRESS_EVENT) printer(e) } })
  } finally {
    signer?.lock()
    await session.stop()
  }
}

interface RpcStatus { job: string, running: boolean, state: string, error: string, progress: ImportProgressEvent | null, report: ImportReport | null }

async function importThroughNode (node: NodeClient, source: string, isCar: boolean, passphrase: string, options: ImportOptions, signal: AbortSignal, output: Output): Promise<ImportReport> {
  const started = isCar
    ? await node.call<RpcStatus>('import_car', [source])
    : await node.call<RpcStatus>('import_folder', [source, {
      chain_id: options.chain ?? '',
      token_address: options.contract ?? '',
      meta_contract_id: options.contractId ?? 'erc721',
      key: options.key ?? '',
      passphrase,
      ...(options.alias === undefined ? {} : { alias: options.alias }),
      ...(options.version === undefined ? {} : { version: options.version }),
      ...(options.resume === undefined ? {} : { resume: options.resume }),
    }])
  output.out(`Import job ${shownText(started.job)}: ${shownText(source)} (running in the node at ${node.url})`)
  const printer = progressPrinter(output)
  let cancelled = false
  for (;;) {
    if (signal.aborted && !cancelled) {
      cancelled = true
      await node.call('import_cancel', [started.job])
    }
    const status = await node.call<RpcStatus>('import_status', [started.job])
    if (status.progress !== null) printer(status.progress)
    if (!status.running) {
      if (status.state === 'failed') throw new CliError(`The import failed: ${shownText(status.error, MAX_SHOWN_REASON_CHARS)}`)
      if (status.report === null) throw new CliError(`The import job ${shownText(started.job)} ended (${shownText(status.state)}) without a report.`)
      return status.report
    }
    await new Promise(resolve => setTimeout(resolve, STATUS_POLL_MS))
  }
}

/**
 * `imported 1200/10000 (350/s, ETA 25 s), 3 rejected`, at most once a second; a CAR import says
 * `read 5000 blocks (…), 1 refused`, then `replayed 300/1000 transactions (…)`.
 */
export function formatProgress (e: ImportProgressEvent): string {
  const total = e.total === null ? '' : `/${e.total}`
  const eta = e.eta_seconds === null ? '' : `, ETA ${formatSeconds(e.eta_seconds)}`
  const rate = `(${Math.round(e.rate)}/s${eta})`
  if (e.phase === 'blocks') return `read ${e.done}${total} blocks ${rate}, ${e.rejected} refused`
  if (e.phase === 'transactions') return `replayed ${e.done}${total} transactions ${rate}, ${e.rejected} rejected${e.skipped > 0 ? `, ${e.skipped} already here` : ''}`
  return `imported ${e.done}${total} ${rate}, ${e.rejected} rejected${e.unchanged > 0 ? `, ${e.unchanged} already there` : ''}${e.skipped > 0 ? `, ${e.skipped} already done` : ''}`
}

function formatSeconds (s: number): string {
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`
}

function progressPrinter (output: Output): (e: ImportProgressEvent) => void {
  let last = 0
  return e => {
    const now = Date.now()
    if (now - last < PROGRESS_LINE_INTERVAL_MS && e.done !== e.total) return
    last = now
    output.out(formatProgress(e))
  }
}

/** Characters a POSIX shell word may hold unquoted. */
const PLAIN_SHELL_WORD = /^[A-Za-z0-9_./:@%+=,-]+$/

/** One word as a shell reads it back: quoted when it holds anything else (spaces, quotes, $). */
function shellWord (word: string): string {
  if (PLAIN_SHELL_WORD.test(word)) return word
  // Windows shells quote with double quotes (and paths there cannot hold one).
  if (process.platform === 'win32') return `"${word}"`
  return `'${word.replaceAll("'", "'\\''")}'`
}

/**
 * The command that resumes a job, complete: the data dir the job lives in and, for a folder or
 * CSV, the key that signs it (and where its passphrase was read from), so it works as printed.
 */
export function resumeCommand (source: string, job: string, isCar: boolean, dataDir: string, options: Pick<ImportOptions, 'key' | 'passphraseEnv'>): string {
  const words = ['lineage-node', 'import', source, '--resume', job, '--data-dir', dataDir]
  if (!isCar) {
    words.push('--key', options.key ?? '')
    if (options.passphraseEnv !== undefined) words.push('--passphrase-env', options.passphraseEnv)
  }
  return words.map(shellWord).join(' ')
}

/**
 * The end of a run. Names and reasons may come from a node over RPC: each is shown safely
 * (shownText), whatever the node did to them already.
 */
function printReport (report: ImportReport, source: string, output: Output, resume: string): void {
  const reason = (text: string): string => shownText(text, MAX_SHOWN_REASON_CHARS)
  if (report.car !== undefined) {
    printCarSummary(report.car, source, output)
  } else {
    // "Already there": applied items whose content was the token's current version, so nothing new was stored.
    output.out(`${report.state === 'done' ? 'Done' : 'Stopped'}: ${report.applied - report.unchanged} written, ${report.unchanged} already there, ${report.rejected_count} rejected, ${report.skipped} already done before (job ${shownText(report.job)}).`)
  }
  // Images and notes beside the metadata were skipped, not refused: said once.
  if (report.ignored !== undefined) output.out(`Skipped ${report.ignored.count} ${report.ignored.count === 1 ? 'file that is' : 'files that are'} not metadata (${report.ignored.names.map(n => shownText(n)).join(', ')}${report.ignored.count > report.ignored.names.length ? ', …' : ''}).`)
  for (const r of report.rejected.slice(0, REJECTED_PRINTED)) {
    const item = shownText(r.item)
    const token = r.token_id === undefined || item.startsWith(r.token_id) ? '' : ` (token ${shownText(r.token_id)})`
    output.out(`  ${report.car === undefined ? 'rejected ' : ''}${item}${token}: ${reason(r.reason)}`)
  }
  if (report.rejected_count > Math.min(report.rejected.length, REJECTED_PRINTED)) output.out(`  … and ${report.rejected_count - Math.min(report.rejected.length, REJECTED_PRINTED)} more`)
  // Shell-quoted, so it works as printed; a path holding control characters is shown escaped instead.
  if (report.state === 'cancelled') throw new CliError(`Import cancelled. Resume it with: ${shownText(resume, MAX_SHOWN_REASON_CHARS)}`)
  if (report.rejected_count > 0) {
    const what = report.car === undefined ? 'item' : 'entry'
    const plural = report.car === undefined ? 'items' : 'entries'
    throw new CliError(`${report.rejected_count} ${report.rejected_count === 1 ? `${what} was` : `${plural} were`} ${report.car === undefined ? 'rejected' : 'refused or rejected'} (listed above); the others went in.`)
  }
}

function printCarSummary (car: CarImportSummary, source: string, output: Output): void {
  const { transactions: t, heads, pins, contracts } = car
  const roots = car.root_count === 1 ? `root ${shownText(car.roots[0] ?? '')}` : `${car.root_count} roots`
  output.out(`Imported ${car.blocks} blocks (${car.bytes} bytes) from ${shownText(source)}; ${roots}.`)
  if (contracts.listed > 0) output.out(`Contracts: ${contracts.listed} in the file; ${contracts.deployed.length} deployed, ${contracts.present.length} already here, ${contracts.refused.length} refused.`)
  if (t.total > 0) output.out(`Signed transactions: ${t.total} in the file; ${t.applied} applied, ${t.rejected} rejected by the contract, ${t.known} already here, ${t.refused_count} refused.`)
  if (pins.listed > 0) output.out(`Pins: ${pins.listed} in the file; ${pins.pinned} pinned, ${pins.refused.length} refused.`)
  if (heads.listed > 0) output.out(`Slot heads: ${heads.current} of the ${heads.listed} in the file are current here${heads.current === heads.listed ? '' : ` (${heads.listed - heads.current} are not: newer versions here, or transactions that did not replay)`}.`)
  for (const v of car.version_roots.filter(r => !r.known)) output.out(`  ${shownText(v.cid)} is a Lineage version whose transaction ${shownText(v.transaction)} is not in the CAR: its blocks are stored, no slot changes.`)
}
