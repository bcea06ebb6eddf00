import type { CID } from 'multiformats/cid'
import { openRegularFile, readRefusal } from '../../files/index.js'
import type { RegularFileStream } from '../../files/index.js'
import { decodeVersionBlock, IMPORT_BATCH_BLOCKS, IMPORT_BATCH_BYTES, readCar } from '../../dag/index.js'
import type { SqliteBlockstore, BlockEntry, Store } from '../../store/index.js'
import { ARCHIVE_FORMAT, ARCHIVE_PAGE_LINKS, decodeTransactionBlock, pageHeads, pagePins, pageTransactions, readArchiveRoot } from '../archive/index.js'
import type { ArchiveRoot } from '../archive/index.js'
import type { Lineage } from '../engine/index.js'
import { ledgerReads } from '../tokens/index.js'
import { throwIfAborted } from './abort.js'
import { MAX_REJECTED_KEPT, MAX_ROOTS_REPORTED, PUBLISH_BATCH } from './constants.js'
import { ImportSourceError } from './errors.js'
import type { Progress } from './progress.js'
import type { CarImportSummary } from './types.js'

/** What a CAR import restores besides blocks and transactions: the archive's contracts and pins. */
export interface CarRestore {
  /** The module CID of the contract deployed here under `id` ("" for a built-in), if any. */
  contractCid(id: string): string | undefined
  /** Deploys a contract module (checked and run in the sandbox first); throws saying why not. */
  deployContract(id: string, wasm: Uint8Array, name: string): Promise<void>
  /** Pins a block this node holds, as the archive lists it; throws saying why not. */
  pin(cid: CID, options: { recursive: boolean, name: string, signal: AbortSignal }): Promise<void>
}

export interface CarJobComponents {
  lineage: Lineage
  store: Store
  blockstore: SqliteBlockstore
  restore?: CarRestore
}

/** dag-cbor's multicodec code: the codec of version blocks and archives. */
const DAG_CBOR = 0x71
/** Bytes every archive root holds (its format string), looked for before a root is decoded. */
const ARCHIVE_MARKER = Buffer.from(ARCHIVE_FORMAT)

/**
 * One CAR import, entry by entry: a block that fails its check, a transaction that does not
 * decode or check, a contract or pin that cannot be restored is refused with its CID and the
 * reason, and the rest go in. Only a file with no readable header fails as a whole; one cut
 * short keeps the entries before the break. Then every archive among the roots is replayed:
 * its contracts deployed, its transactions applied through this node's engine in their order
 * (canonical for exports since the single-root layout), its pins restored, and its heads
 * compared with this node's.
 */
export class CarImport {
  readonly summary: CarImportSummary = {
    blocks: 0,
    bytes: 0,
    roots: [],
    root_count: 0,
    refused_blocks: [],
    refused_block_count: 0,
    transactions: { total: 0, applied: 0, rejected: 0, known: 0, refused: [], refused_count: 0 },
    heads: { listed: 0, current: 0, not_current: [] },
    pins: { listed: 0, pinned: 0, refused: [] },
    contracts: { listed: 0, deployed: [], present: [], refused: [] },
    version_roots: [],
  }

  constructor (private readonly components: CarJobComponents, private readonly progress: Progress, private readonly signal: AbortSignal) {}

  /** Runs the import; throws AbortError when cancelled (what went in stays; a rerun goes on). */
  async run (source: string): Promise<CarImportSummary> {
    const roots = await this.storeBlocks(source)
    const archives: Array<{ cid: CID, root: ArchiveRoot }> = []
    for (const cid of roots) {
      const root = this.archiveRoot(cid)
      if (root !== undefined) archives.push({ cid, root })
    }
    for (const { root } of archives) await this.deployContracts(root)
    const total = archives.reduce((n, { root }) => n + (root.count ?? 0), 0)
    this.progress.phase('transactions', archives.some(a => a.root.count === undefined) ? null : total)
    for (const { root } of archives) await this.replay(root)
    for (const { root } of archives) await this.restorePins(root)
    for (const { root } of archives) this.compareHeads(root)
    this.versionRoots(roots)
    return this.summary
  }

  private async storeBlocks (source: string): Promise<CID[]> {
    // A regular file only, read off the main thread, each chunk within a deadline (files/).
    const file = await openRegularFile(source).catch((err: unknown) => { throw asSourceError(source, err) })
    try {
      return await this.storeEntries(file)
    } catch (err) {
      throw asSourceError(source, err)
    } finally {
      await file.close()
    }
  }

  private async storeEntries (file: RegularFileStream): Promise<CID[]> {
    const { blockstore } = this.components
    const car = await readCar(file.chunks, { signal: this.signal })
    this.summary.root_count = car.roots.length
    this.summary.roots = car.roots.slice(0, MAX_ROOTS_REPORTED).map(String)
    this.progress.phase('blocks', null)
    let batch: BlockEntry[] = []
    let batchBytes = 0
    const flush = (): void => {
      // Each batch is one SQLite transaction: a block is stored once it is checked, so memory
      // holds one batch, and a cancel or a crash keeps the batches before it.
      blockstore.putManySync(batch)
      batch = []
      batchBytes = 0
    }
    try {
      for await (const entry of car.entries) {
        if (entry.refused !== undefined) {
          this.refuseBlock(entry.cid, entry.refused.reason)
          continue
        }
        batch.push(entry)
        batchBytes += entry.bytes.byteLength
        this.summary.blocks++
        this.summary.bytes += entry.bytes.byteLength
        this.progress.blocks(this.summary.blocks)
        if (batch.length >= IMPORT_BATCH_BLOCKS || batchBytes >= IMPORT_BATCH_BYTES) flush()
      }
    } catch (err) {
      if ((err as Error).name !== 'InvalidCarError') throw err
      // Cut short or damaged past this point: what was read before stands.
      this.refuseBlock(undefined, `the file is damaged after its first ${this.summary.blocks + this.summary.refused_block_count} blocks, so the rest cannot be read (${(err as Error).message})`)
    } finally {
      await car.close()
    }
    flush()
    return car.roots
  }

  /** The root's archive, if it is one; a root that claims to be one and is broken is refused. */
  private archiveRoot (cid: CID): ArchiveRoot | undefined {
    if (cid.code !== DAG_CBOR) return undefined
    const bytes = this.components.blockstore.getSync(cid)
    // A cheap look before decoding: a legacy backup has a root per slot head, hundreds of thousands of them.
    if (bytes === undefined || Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(ARCHIVE_MARKER) === -1) return undefined
    try {
      return readArchiveRoot(cid, bytes)
    } catch (err) {
      this.refuseBlock(cid.toString(), (err as Error).message)
      return undefined
    }
  }

  private async deployContracts (root: ArchiveRoot): Promise<void> {
    const { restore, blockstore } = this.components
    const report = this.summary.contracts
    for (const contract of root.contracts) {
      report.listed++
      const refuse = (reason: string): void => { this.refuse(`contract ${contract.id}`, reason, () => report.refused.push({ meta_contract_id: contract.id, reason })) }
      const here = restore?.contractCid(contract.id)
      if (here === contract.module.toString()) {
        report.present.push(contract.id)
        continue
      }
      if (here !== undefined) {
        refuse(`this node runs another module under that id (${here === '' ? 'a built-in contract' : here}); the collection's transactions are judged by it`)
        continue
      }
      const wasm = blockstore.getSync(contract.module)
      if (wasm === undefined) {
        refuse(`its module ${contract.module.toString()} is not in the file`)
        continue
      }
      if (restore === undefined) {
        refuse('this import cannot deploy contracts')
        continue
      }
      try {
        await restore.deployContract(contract.id, wasm, contract.name)
        report.deployed.push(contract.id)
      } catch (err) {
        refuse((err as Error).message)
      }
    }
  }

  /**
   * Applies the archive's transactions as replicated ones, in batches: each is checked (fields,
   * signature, nonce) and applied through this node's contracts in order. One already held counts
   * as known; one that cannot be read or checked is refused with its CID.
   */
  private async replay (root: ArchiveRoot): Promise<void> {
    const { lineage, blockstore } = this.components
    const report = this.summary.transactions
    let batch: Array<{ cid: CID, request: unknown }> = []
    const flush = async (): Promise<void> => {
      const taken = batch
      batch = []
      const results = lineage.publishBatch(taken.map(b => b.request), { replicated: true })
      const published: Array<{ cid: string, hash: string, known: boolean }> = []
      results.forEach((result, i) => {
        const cid = taken[i]?.cid.toString() ?? ''
        if (result.known === true || result.error?.name === 'ReplayedTransactionError') {
          // Held already (from an earlier run, a peer, or the same file again): counted with its receipt.
          report.known++
          this.progress.skip()
          published.push({ cid, hash: result.hash ?? (result.error as Error & { existingHash: string }).existingHash, known: true })
        } else if (result.hash !== undefined) {
          published.push({ cid, hash: result.hash, known: false })
        } else {
          this.refuseTransaction(cid, result.error.message)
        }
      })
      // Bounded memory, and a cancel between batches leaves only whole batches applied.
      await lineage.settled()
      for (const { cid, hash, known } of published) {
        const receipt = lineage.receipt(hash)
        if (!known && receipt?.status === 'applied') report.applied++
        else if (!known) report.rejected++
        this.progress.outcome({ label: `transaction ${cid}` }, receipt?.status ?? 'rejected', receipt?.reason ?? 'no receipt')
      }
    }
    root.pages.forEach((_page, index) => { report.total += pageSize(root, index) })
    for (const [index, page] of root.pages.entries()) {
      const pageBytes = blockstore.getSync(page)
      let links: CID[]
      try {
        if (pageBytes === undefined) throw new Error('this page of transactions is not in the file')
        links = pageTransactions(page, pageBytes)
      } catch (err) {
        // Its transactions cannot even be named: one refusal for the page, counting them all.
        const lost = pageSize(root, index)
        this.refuseTransaction(page.toString(), `${(err as Error).message}; its ${lost === 1 ? 'transaction' : `${lost} transactions`} cannot be replayed`, lost)
        continue
      }
      // An archive of the first layout has no count: its pages say how many they hold.
      if (root.count === undefined) report.total += links.length - 1
      for (const cid of links) {
        throwIfAborted(this.signal)
        const bytes = blockstore.getSync(cid)
        if (bytes === undefined) {
          this.refuseTransaction(cid.toString(), 'the transaction is not in the file')
          continue
        }
        let request: unknown
        try {
          request = decodeTransactionBlock(cid, bytes)
        } catch (err) {
          this.refuseTransaction(cid.toString(), (err as Error).message)
          continue
        }
        batch.push({ cid, request })
        if (batch.length >= PUBLISH_BATCH) await flush()
      }
    }
    if (batch.length > 0) await flush()
  }

  private async restorePins (root: ArchiveRoot): Promise<void> {
    const { restore, blockstore } = this.components
    const report = this.summary.pins
    for (const page of root.pins) {
      throwIfAborted(this.signal)
      const bytes = blockstore.getSync(page)
      let pins
      try {
        if (bytes === undefined) throw new Error('this page of pins is not in the file')
        pins = pagePins(page, bytes)
      } catch (err) {
        const reason = (err as Error).message
        this.refuse(`pins ${page.toString()}`, reason, () => report.refused.push({ cid: page.toString(), reason }))
        continue
      }
      for (const pin of pins) {
        report.listed++
        const refuse = (reason: string): void => { this.refuse(`pin ${pin.cid.toString()}`, reason, () => report.refused.push({ cid: pin.cid.toString(), reason })) }
        if (restore === undefined) {
          refuse('this import cannot restore pins')
          continue
        }
        try {
          await restore.pin(pin.cid, { recursive: pin.recursive, name: pin.name, signal: this.signal })
          report.pinned++
        } catch (err) {
          if ((err as Error).name === 'AbortError' && this.signal.aborted) throw err
          refuse((err as Error).message)
        }
      }
    }
  }

  /** How many of the archive's heads are slot heads here now; the first few that are not. */
  private compareHeads (root: ArchiveRoot): void {
    const { store, blockstore } = this.components
    const db = store.db
    const report = this.summary.heads
    const table = `temp.car_heads_${++nextHeadsTable}`
    db.exec(`CREATE TABLE ${table} (cid TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID`)
    try {
      const insert = db.prepare(`INSERT INTO ${table} (cid) VALUES (?) ON CONFLICT (cid) DO NOTHING`)
      for (const page of root.heads) {
        const bytes = blockstore.getSync(page)
        let heads: CID[]
        try {
          if (bytes === undefined) throw new Error('this page of slot heads is not in the file')
          heads = pageHeads(page, bytes)
        } catch (err) {
          this.refuseBlock(page.toString(), (err as Error).message)
          continue
        }
        db.transaction(() => { for (const head of heads) insert.run(head.toString()) })()
      }
      const listed = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
      const notCurrent = ledgerReads(db).notSlotHeads(table)
      const missing = notCurrent.count()
      report.listed += listed
      report.current += listed - missing
      const room = MAX_REJECTED_KEPT - report.not_current.length
      if (missing > 0 && room > 0) report.not_current.push(...notCurrent.first(room))
    } finally {
      db.exec(`DROP TABLE IF EXISTS ${table}`)
    }
  }

  /** Roots (the first few) that are version blocks, and whether this node holds their transaction. */
  private versionRoots (roots: CID[]): void {
    const { blockstore, lineage } = this.components
    for (const root of roots.slice(0, MAX_ROOTS_REPORTED)) {
      if (root.code !== DAG_CBOR) continue
      const bytes = blockstore.getSync(root)
      if (bytes === undefined) continue
      try {
        const version = decodeVersionBlock(bytes)
        const known = lineage.transaction(version.transaction.hash) !== undefined
        this.summary.version_roots.push({ cid: root.toString(), transaction: version.transaction.hash, method: version.transaction.method, timestamp: version.timestamp, known })
      } catch {
        // Not a version block: an ordinary DAG root.
      }
    }
  }

  private refuseBlock (cid: string | undefined, reason: string): void {
    const label = cid === undefined ? 'the file' : `block ${cid}`
    this.refuse(label, reason, () => {
      this.summary.refused_block_count++
      if (this.summary.refused_blocks.length < MAX_REJECTED_KEPT) this.summary.refused_blocks.push({ cid: cid ?? '', reason })
    })
  }

  /** A transaction (or, `count` > 1, a page of them) that was not replayed. */
  private refuseTransaction (cid: string, reason: string, count = 1): void {
    this.refuse(`transaction ${cid}`, reason, () => {
      this.summary.transactions.refused_count += count
      if (this.summary.transactions.refused.length < MAX_REJECTED_KEPT) this.summary.transactions.refused.push({ cid, reason })
    })
  }

  /** Every refusal is also a rejected item of the job's report, so one list names them all. */
  private refuse (label: string, reason: string, record: () => void): void {
    record()
    this.progress.refused({ label }, reason)
  }
}

/** Each comparison gets its own TEMP table, so imports running side by side never mix. */
let nextHeadsTable = 0

/**
 * How many transactions page `index` of an archive holds: every page but the last is full. An
 * archive of the first layout has no count, so a page it cannot read counts as one.
 */
function pageSize (root: ArchiveRoot, index: number): number {
  if (root.count === undefined) return 1
  return Math.max(0, Math.min(ARCHIVE_PAGE_LINKS, root.count - index * ARCHIVE_PAGE_LINKS))
}

/** A file the CAR could not be read from (not regular, gone, stopped answering) as the source's failure. */
function asSourceError (source: string, err: unknown): unknown {
  const reason = readRefusal(err)
  return reason === undefined ? err : new ImportSourceError(source, reason)
}
