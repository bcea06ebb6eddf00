import fs from 'node:fs'
import path from 'node:path'
import type { Database, Statement } from 'better-sqlite3'
import { CID } from 'multiformats/cid'
import { BlockNotFoundError, CAR_PROGRESS_EVENT, carStream, linksOf, writeCarFile } from '../../dag/index.js'
import type { EncodedBlock } from '../../dag/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import { ARCHIVE_PAGE_LINKS, encodeArchiveRoot, encodeHeadsPage, encodePinsPage, encodeTransactionBlock, encodeTransactionsPage, HEADS_PAGE_LINKS, PINS_PAGE_ENTRIES } from '../archive/index.js'
import type { ArchivedContract, ArchivedPin } from '../archive/index.js'
import { createNewFile } from '../../files/index.js'
import { ledgerReads } from '../tokens/index.js'
import { ExportPathError, NothingToExportError } from './errors.js'
import { ExportSnapshot } from './snapshot.js'
import type { ExportDagRequest, ExportDagResult, ExportOptions, ExportRequest, ExportResult, ExportScope, ExportStream } from './types.js'

export interface ExporterComponents {
  store: Store
  blockstore: SqliteBlockstore
}

export interface Exporter {
  /**
   * Writes a CAR v1 file of the chosen slot heads (with their whole histories), or of everything
   * kept: every slot head and every pin. Its one root, the first block, is an archive of the
   * signed transactions that wrote those slots, in canonical order (collection bindings
   * included), so another node can check and replay them and end with the same heads; the
   * archive also lists the heads, the pins, and the user-deployed contracts the transactions need
   * (their modules are in the file). Streams in constant memory. The file appears only when
   * complete.
   *
   * Throws ExportPathError, NothingToExportError, BlockNotFoundError (a block a head or pin
   * needs is missing), AbortError.
   */
  export(request: ExportRequest, options?: ExportOptions): Promise<ExportResult>
  /**
   * Writes a CAR v1 file whose roots are `roots` and whose blocks are every block they reach,
   * each once, depth first in link order (an ipfs:// snapshot's UnixFS folder, for a pinning
   * provider's upload). Same file handling as `export`: the file appears only when complete.
   * Throws ExportPathError, BlockNotFoundError, UnsupportedCodecError, AbortError.
   */
  exportDag(request: ExportDagRequest, options?: ExportOptions): Promise<ExportDagResult>
  /**
   * The same archive as `export` (same roots, same blocks, same bytes), fixed now and streamed by
   * the caller (a browser's download). Throws NothingToExportError at once, before any byte.
   */
  open(scope: ExportScope): ExportStream
}

class CarExporter implements Exporter {
  private readonly tokenOfData: Statement<[string], string>

  constructor (private readonly components: ExporterComponents) {
    this.tokenOfData = ledgerReads(components.store.db).collectionOfToken
  }

  async export (request: ExportRequest, options: ExportOptions = {}): Promise<ExportResult> {
    const target = checkTarget(request.path)
    const db: Database = this.components.store.db
    // Written to a temporary file beside the target and linked into place at the end, so a failed
    // or cancelled export leaves no half file. Created first: a target refused is named at once.
    const file = await onTarget(target, async () => await createNewFile(target))
    let owned = true
    let snapshot: ExportSnapshot | undefined
    try {
      snapshot = new ExportSnapshot(db, request, dataKey => this.tokenOfData.get(dataKey) ?? '')
      if (snapshot.heads === 0 && snapshot.pins === 0) throw new NothingToExportError(nothingWhy(request))
      const archive = new ArchiveBlocks(snapshot, this.components.blockstore)
      // The write stream owns the file from here, and closes it however the export ends.
      owned = false
      const written = await writeCarFile(file.fd, [archive.root.cid], archive.blocks(), options)
      await onTarget(target, async () => { await file.commit() })
      return {
        path: target,
        roots: [archive.root.cid.toString()],
        transactions: snapshot.transactions,
        heads: snapshot.heads,
        pins: snapshot.pins,
        contracts: snapshot.contracts.length,
        blocks: written.blocks,
        bytes: written.bytes,
      }
    } finally {
      snapshot?.drop()
      if (owned) fs.closeSync(file.fd)
      await file.discard()
    }
  }

  open (scope: ExportScope): ExportStream {
    const snapshot = new ExportSnapshot(this.components.store.db, { ...scope, path: '' }, dataKey => this.tokenOfData.get(dataKey) ?? '')
    let archive: ArchiveBlocks
    try {
      if (snapshot.heads === 0 && snapshot.pins === 0) throw new NothingToExportError(nothingWhy(scope))
      archive = new ArchiveBlocks(snapshot, this.components.blockstore)
    } catch (err) {
      snapshot.drop()
      throw err
    }
    const discard = (): void => { snapshot.drop() }
    return {
      roots: [archive.root.cid.toString()],
      transactions: snapshot.transactions,
      heads: snapshot.heads,
      pins: snapshot.pins,
      contracts: snapshot.contracts.length,
      discard,
      async * body (options: ExportOptions = {}): AsyncGenerator<Uint8Array> {
        try {
          let blocks = 0
          let bytes = 0
          async function * counted (): AsyncGenerator<EncodedBlock> {
            for await (const block of archive.blocks()) {
              if (options.signal?.aborted === true) throw options.signal.reason
              yield block
              blocks++
              bytes += block.bytes.byteLength
              options.onProgress?.({ type: CAR_PROGRESS_EVENT, blocks, bytes })
            }
          }
          yield * carStream([archive.root.cid], counted())
        } finally {
          discard()
        }
      },
    }
  }

  async exportDag (request: ExportDagRequest, options: ExportOptions = {}): Promise<ExportDagResult> {
    const target = checkTarget(request.path)
    const file = await onTarget(target, async () => await createNewFile(target))
    try {
      // The write stream owns the file descriptor from here, and closes it however the export ends.
      const written = await writeCarFile(file.fd, request.roots, reachable(this.components.blockstore, request.roots), options)
      await onTarget(target, async () => { await file.commit() })
      return { path: target, roots: request.roots.map(String), blocks: written.blocks, bytes: written.bytes }
    } finally {
      await file.discard()
    }
  }
}

/** Every block the roots reach, each once, depth first in link order (as Kubo's `dag export`). */
async function * reachable (blockstore: SqliteBlockstore, roots: CID[]): AsyncGenerator<EncodedBlock> {
  // Keys of the blocks written: a UnixFS folder shares a leaf between identical documents.
  const seen = new Set<string>()
  const pending = [...roots].reverse()
  for (let cid = pending.pop(); cid !== undefined; cid = pending.pop()) {
    const key = Buffer.from(cid.multihash.bytes).toString('latin1')
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = blockstore.getSync(cid)
    if (bytes === undefined) throw new BlockNotFoundError(cid.toString())
    yield { cid, bytes }
    pending.push(...linksOf(cid, bytes).reverse())
  }
}

/**
 * The blocks of an export. The root comes first, so that any prefix of the file (a copy cut
 * short) still replays: the root, the contracts' modules, then each page of transactions followed
 * by its transactions (canonical order, so a prefix is a consistent earlier state), each page of
 * heads followed by the histories it names, each page of pins followed by the DAGs they keep.
 * The root links every page, so a first pass encodes every transaction and records its block's
 * CID in the snapshot; the second encodes them again as it writes, one page of CIDs in memory.
 */
class ArchiveBlocks {
  readonly root: EncodedBlock
  private readonly contracts: ArchivedContract[]
  /** The transaction pages' CIDs as the first pass made them; the second must make the same. */
  private readonly pages: string[]

  constructor (private readonly snapshot: ExportSnapshot, private readonly blockstore: SqliteBlockstore) {
    this.contracts = snapshot.contracts.map(row => ({ id: row.meta_contract_id, name: row.name, module: CID.parse(row.cid) }))
    snapshot.recordTransactionCids(request => encodeTransactionBlock(request).cid.bytes)
    const pages: CID[] = []
    for (let first = 0; first < snapshot.transactions; first += ARCHIVE_PAGE_LINKS) pages.push(this.transactionsPage(first).cid)
    const heads: CID[] = []
    for (const page of this.headPages()) heads.push(page.block.cid)
    const pins: CID[] = []
    for (const page of this.pinPages()) pins.push(page.block.cid)
    this.pages = pages.map(String)
    this.root = encodeArchiveRoot({ pages, count: snapshot.transactions, heads, pins, contracts: this.contracts })
  }

  async * blocks (): AsyncGenerator<EncodedBlock> {
    const { snapshot } = this
    if (snapshot.firstTime(this.root.cid.bytes)) yield this.root
    for (const contract of this.contracts) yield * this.dag(contract.module, false)
    for (let first = 0, page = 0; first < snapshot.transactions; first += ARCHIVE_PAGE_LINKS, page++) {
      const block = this.transactionsPage(first)
      // Both passes read the same snapshot of immutable rows; a difference would be a bug, not input.
      if (block.cid.toString() !== this.pages[page]) throw new Error('the transactions of the export changed between its two passes')
      if (snapshot.firstTime(block.cid.bytes)) yield block
      for (const { request } of snapshot.transactionRequests(first, first + ARCHIVE_PAGE_LINKS)) {
        const transaction = encodeTransactionBlock(request)
        if (snapshot.firstTime(transaction.cid.bytes)) yield transaction
      }
    }
    for (const { block, heads } of this.headPages()) {
      if (snapshot.firstTime(block.cid.bytes)) yield block
      for (const head of heads) yield * this.dag(head, true)
    }
    for (const { block, pins } of this.pinPages()) {
      if (snapshot.firstTime(block.cid.bytes)) yield block
      // A direct pin keeps only its block; its links may well not be here.
      for (const pin of pins) yield * this.dag(pin.cid, pin.recursive)
    }
  }

  /** The page linking transactions `first` + 1 to `first` + ARCHIVE_PAGE_LINKS, from their recorded CIDs. */
  private transactionsPage (first: number): EncodedBlock {
    return encodeTransactionsPage(this.snapshot.transactionCids(first, first + ARCHIVE_PAGE_LINKS).map(bytes => CID.decode(bytes)))
  }

  private * headPages (): Generator<{ block: EncodedBlock, heads: CID[] }> {
    let heads: CID[] = []
    for (const head of this.snapshot.headCids()) {
      heads.push(CID.parse(head))
      if (heads.length === HEADS_PAGE_LINKS) {
        yield { block: encodeHeadsPage(heads), heads }
        heads = []
      }
    }
    if (heads.length > 0) yield { block: encodeHeadsPage(heads), heads }
  }

  private * pinPages (): Generator<{ block: EncodedBlock, pins: ArchivedPin[] }> {
    let pins: ArchivedPin[] = []
    for (const row of this.snapshot.pinRows()) {
      pins.push({ cid: CID.parse(row.cid), recursive: row.recursive === 1, name: row.name })
      if (pins.length === PINS_PAGE_ENTRIES) {
        yield { block: encodePinsPage(pins), pins }
        pins = []
      }
    }
    if (pins.length > 0) yield { block: encodePinsPage(pins), pins }
  }

  /** A block and, if `recursive`, everything it links to, depth first in link order, each once. */
  private * dag (root: CID, recursive: boolean): Generator<EncodedBlock> {
    const pending = [root]
    for (let cid = pending.pop(); cid !== undefined; cid = pending.pop()) {
      // Marked on the way down: a block already written brought everything below it with it.
      if (!this.snapshot.firstTime(cid.bytes)) continue
      const bytes = this.blockstore.getSync(cid)
      if (bytes === undefined) throw new BlockNotFoundError(cid.toString())
      yield { cid, bytes }
      if (recursive) pending.push(...linksOf(cid, bytes).reverse())
    }
  }
}

function nothingWhy (request: ExportScope): string {
  if (request.dataKey !== undefined) return `token ${request.dataKey} has no slots on this node`
  if (request.tokenKey !== undefined) return `collection ${request.tokenKey} has no slots on this node`
  return 'this node holds no slots and no pins'
}

function checkTarget (target: string): string {
  if (!path.isAbsolute(target)) throw new ExportPathError('must be an absolute path')
  if (target.includes('\0')) throw new ExportPathError('contains a NUL character')
  return path.normalize(target)
}

/** What the file checks refuse about the target (files/): each is a bad `path`. */
const TARGET_REFUSALS = new Set(['SymlinkedPathError', 'SystemFileError', 'TargetExistsError', 'TargetFolderError'])

/**
 * Runs a file operation on the target (or the temporary file beside it), turning what is refused
 * about that path (a link on the way, a system folder, a file already there, a name too long, a
 * file where a folder should be, no permission) into ExportPathError; anything else is rethrown.
 */
async function onTarget<T> (target: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (err) {
    const name = (err as { name?: unknown }).name
    if (typeof name === 'string' && TARGET_REFUSALS.has(name)) throw new ExportPathError((err as Error).message, { cause: err })
    const code = (err as { code?: unknown }).code
    if (code === 'EEXIST') throw new ExportPathError(`${target} already exists; choose a new file name`)
    if (code === 'ENAMETOOLONG') throw new ExportPathError(`the file name is ${Buffer.byteLength(path.basename(target))} bytes long, too long for the file system`)
    if (code === 'ENOTDIR') throw new ExportPathError(`${path.dirname(target)} is not a folder`)
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EISDIR') throw new ExportPathError(`${target} cannot be written (${code})`)
    throw err
  }
}

export function createExporter (components: ExporterComponents): Exporter {
  return new CarExporter(components)
}
