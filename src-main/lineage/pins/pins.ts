import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { AbortOptions } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import type { CID } from 'multiformats/cid'
import { AbortError } from '../../dag/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import { pinKey, toCid } from './cid.js'
import { MAX_FETCHED_BLOCKS_PER_PIN, MAX_FETCHES_IN_FLIGHT, MAX_PIN_NAME_LENGTH, PIN_PROGRESS_EVENT, WALK_SLICE_BLOCKS } from './constants.js'
import { DagWalk } from './dag-walk.js'
import { BlockMissingError, InvalidPinNameError, NotPinnedError, TokenNotFoundError } from './errors.js'
import { fetchDag } from './fetch.js'
import type { FetchBlock, FetchTotals } from './fetch.js'
import { collectGarbage } from './gc.js'
import type { GcOptions, GcResult } from './gc.js'
import type { PinProgressEvent, PinProgressOptions } from './progress.js'
import { PinTables } from './tables.js'
import type { PinRow } from './tables.js'

export interface PinsComponents {
  store: Store
  blockstore: SqliteBlockstore
  log: Logger
  /** Gets blocks this node lacks from peers (bitswap); without it, pins need every block here. */
  fetchBlock?: FetchBlock
}

export interface PinsInit {
  /** Blocks a walk visits between yields to the event loop; defaults to WALK_SLICE_BLOCKS. */
  walkSliceBlocks?: number
  /** Blocks fetched at once when pinning a DAG this node lacks; defaults to MAX_FETCHES_IN_FLIGHT. */
  fetchConcurrency?: number
  /** Most blocks one pin may fetch from peers; defaults to MAX_FETCHED_BLOCKS_PER_PIN. */
  maxFetchedBlocks?: number
}

/** A pin as stored. */
export interface PinRecord {
  /** CIDv1 of the pinned block. */
  cid: string
  /** True when everything the block links to is pinned with it. */
  recursive: boolean
  name: string
  /** Milliseconds since the epoch. */
  created_at: number
}

/** A pin with the size of what it protects, counted over the blocks this node holds. */
export interface Pin extends PinRecord {
  blocks: number
  bytes: number
}

export interface AddPinOptions extends AbortOptions, PinProgressOptions {
  /** Pin everything the block links to (for a version block, its whole history). Default true. */
  recursive?: boolean
  /** A label for people; kept when omitted on a second pin of the same CID. */
  name?: string
}

export interface TokenPinTarget {
  data_key: string
  /** Only the slots under this meta contract; all of the token's slots when omitted. */
  meta_contract_id?: string
}

export interface Pins {
  /**
   * Pins a block, recursively by default. Blocks this node lacks are fetched first when a
   * `fetchBlock` is configured (progress then also counts fetched blocks; `signal` cancels). Idempotent: pinning again keeps the pin
   * (making a direct pin recursive if asked, never the reverse) and renames it if a name is given.
   * Throws InvalidCidError, InvalidPinNameError, BlockMissingError (naming the missing block;
   * nothing is written), what `fetchBlock` throws (BlockUnavailableError after its timeout),
   * FetchedBlockInvalidError, FetchLimitError, UnsupportedCodecError (links that cannot be followed), AbortError.
   */
  add(cid: CID | string, options?: AddPinOptions): Promise<Pin>
  /**
   * Pins the head of every slot of a token, each with its whole history, in one transaction.
   * Throws TokenNotFoundError when the node has no slot of it, and what add throws.
   */
  addToken(token: TokenPinTarget, options?: AbortOptions & PinProgressOptions): Promise<Pin[]>
  /**
   * Pins recursively, inside the caller's SQLite transaction, a DAG whose every block the caller
   * has just written in that same transaction (an ipfs:// snapshot built here), so the blocks and
   * the pin commit together and no GC can come between them. The DAG is not walked again: the
   * caller wrote it. Throws BlockMissingError when the root is not stored, InvalidPinNameError.
   */
  addWrittenSync(cid: CID, options?: { name?: string }): PinRecord
  /** Removes a pin (its blocks stay until GC). Throws NotPinnedError, InvalidCidError. */
  rm(cid: CID | string): PinRecord
  /** Every pin, oldest first, or the pin of one CID (empty when it is not pinned), with sizes. */
  ls(options?: { cid?: CID | string }): Pin[]
  /**
   * Deletes every block no pin, slot head or meta contract reaches; see gc.ts for why a
   * concurrent write cannot lose a fresh block. One GC runs at a time; a second waits.
   */
  gc(options?: GcOptions): Promise<GcResult>
}

/** One DAG to pin, found and checked, waiting for its row. */
interface WalkedPin {
  key: string
  root: CID
  recursive: boolean
  name: string | undefined
  /** Every block of the DAG, to check again inside the transaction that writes the pin. */
  cids: CID[]
}

export class SqlitePins implements Pins {
  private tablesCache: PinTables | undefined
  private readonly sliceBlocks: number
  private readonly fetchConcurrency: number
  private readonly maxFetchedBlocks: number
  /** The GC in progress, if any: GCs run one after another. */
  private collecting: Promise<unknown> = Promise.resolve()

  constructor (private readonly components: PinsComponents, init: PinsInit = {}) {
    this.sliceBlocks = init.walkSliceBlocks ?? WALK_SLICE_BLOCKS
    this.fetchConcurrency = init.fetchConcurrency ?? MAX_FETCHES_IN_FLIGHT
    this.maxFetchedBlocks = init.maxFetchedBlocks ?? MAX_FETCHED_BLOCKS_PER_PIN
  }

  async add (cid: CID | string, options: AddPinOptions = {}): Promise<Pin> {
    const root = toCid(cid)
    const name = checkName(options.name)
    const walked = await this.walkFetching(root, options.recursive ?? true, name, options)
    this.write([walked.pin])
    return this.sized(walked)
  }

  async addToken (token: TokenPinTarget, options: AbortOptions & PinProgressOptions = {}): Promise<Pin[]> {
    const tables = this.tables()
    const slots = token.meta_contract_id === undefined
      ? tables.slotsOfToken.all(token.data_key)
      : tables.slotsOfTokenContract.all(token.data_key, token.meta_contract_id)
    if (slots.length === 0) throw new TokenNotFoundError(token.data_key, token.meta_contract_id)
    const walked = []
    for (const slot of slots) {
      const label = `${token.data_key} ${slot.meta_contract_id}${slot.alias === '' ? '' : ` ${slot.alias}`} ${slot.version}`
      walked.push(await this.walkFetching(toCid(slot.head_cid, 'head_cid'), true, checkName(label.slice(0, MAX_PIN_NAME_LENGTH)), options))
    }
    this.write(walked.map(w => w.pin))
    return walked.map(w => this.sized(w))
  }

  addWrittenSync (cid: CID, options: { name?: string } = {}): PinRecord {
    const tables = this.tables()
    // Outside a transaction a GC could sweep between the caller's blocks and this row.
    if (!tables.db.inTransaction) throw new Error('addWrittenSync must run inside the transaction that wrote the DAG')
    const key = pinKey(cid)
    if (!this.components.blockstore.hasSync(cid)) throw new BlockMissingError(key, key)
    tables.upsertPin.run({ cid: key, recursive: 1, name: checkName(options.name) ?? null, created_at: Date.now() })
    this.components.log('pinned %s (recursive, written with its blocks)', key)
    return record(tables.pinByCid.get(key) as PinRow)
  }

  rm (cid: CID | string): PinRecord {
    const key = pinKey(toCid(cid))
    const tables = this.tables()
    const removed = tables.db.transaction(() => {
      const row = tables.pinByCid.get(key)
      if (row === undefined) throw new NotPinnedError(key)
      tables.removePin.run(key)
      return row
    })()
    this.components.log('unpinned %s', key)
    return record(removed)
  }

  ls (options: { cid?: CID | string } = {}): Pin[] {
    const tables = this.tables()
    const rows = options.cid === undefined
      ? tables.allPins.all()
      : [tables.pinByCid.get(pinKey(toCid(options.cid)))].filter((row): row is PinRow => row !== undefined)
    return rows.map(row => {
      // Sizes count what is here: a block deleted behind the pins' back is left out, not an error.
      const walk = new DagWalk(this.read, () => {})
      walk.add(toCid(row.cid), row.recursive === 1)
      walk.step()
      return this.describe(row, walk)
    })
  }

  async gc (options: GcOptions = {}): Promise<GcResult> {
    const run = this.collecting.then(async () => await collectGarbage({ tables: this.tables(), read: this.read, log: this.components.log, sliceBlocks: this.sliceBlocks }, options))
    this.collecting = run.catch(() => {})
    return await run
  }

  private readonly read = (cid: CID): Uint8Array | undefined => this.components.blockstore.getSync(cid)

  /**
   * Walks the DAG to pin; when a block is missing and peers can be asked, fetches what is missing
   * and walks again (the common case, a DAG already here, costs one walk and no network).
   */
  private async walkFetching (root: CID, recursive: boolean, name: string | undefined, options: AbortOptions & PinProgressOptions): Promise<{ pin: WalkedPin, stats: DagWalk }> {
    const { fetchBlock, blockstore } = this.components
    try {
      return await this.walk(root, recursive, name, options)
    } catch (err) {
      if (fetchBlock === undefined || (err as Error).name !== 'BlockMissingError') throw err
    }
    const { onProgress } = options
    const fetched = await fetchDag({ read: this.read, store: (cid, bytes) => { blockstore.putSync(cid, bytes) }, fetchBlock, concurrency: this.fetchConcurrency, maxFetchedBlocks: this.maxFetchedBlocks }, root, recursive, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onProgress: totals => { onProgress?.(progressEvent(totals)) },
    })
    this.components.log('fetched %d blocks (%d bytes) of %s from peers', fetched.fetchedBlocks, fetched.fetchedBytes, pinKey(root))
    return await this.walk(root, recursive, name, { ...options, ...(onProgress === undefined ? {} : { onProgress: e => { onProgress(progressEvent({ ...fetched, blocks: e.blocks, bytes: e.bytes })) } }) })
  }

  /** Finds every block of the DAG to pin, in slices, refusing at the first one this node lacks. */
  private async walk (root: CID, recursive: boolean, name: string | undefined, options: AbortOptions & PinProgressOptions): Promise<{ pin: WalkedPin, stats: DagWalk }> {
    const { signal, onProgress } = options
    checkAborted(signal)
    const cids: CID[] = []
    const walk = new DagWalk(cid => {
      const bytes = this.read(cid)
      if (bytes !== undefined) cids.push(cid)
      return bytes
    }, cid => { throw new BlockMissingError(cid.toString(), root.toString()) })
    walk.add(root, recursive)
    const progress = (): void => { onProgress?.({ type: PIN_PROGRESS_EVENT, blocks: walk.blocks, bytes: walk.bytes }) }
    while (!walk.step(this.sliceBlocks)) {
      progress()
      await yieldToEventLoop()
      checkAborted(signal)
    }
    progress()
    checkAborted(signal)
    return { pin: { key: pinKey(root), root, recursive, name, cids }, stats: walk }
  }

  /**
   * Writes pins in one transaction, after checking again that every block is still here: a GC
   * may have swept between the walk and now, and a pin must never name blocks the node lost.
   * GC's sweep is also one synchronous transaction, so the two cannot interleave.
   */
  private write (pins: WalkedPin[]): void {
    const { blockstore, log } = this.components
    const tables = this.tables()
    const now = Date.now()
    tables.db.transaction(() => {
      for (const pin of pins) {
        for (const cid of pin.cids) if (!blockstore.hasSync(cid)) throw new BlockMissingError(cid.toString(), pin.root.toString())
        tables.upsertPin.run({ cid: pin.key, recursive: pin.recursive ? 1 : 0, name: pin.name ?? null, created_at: now })
      }
    }).immediate()
    for (const pin of pins) log('pinned %s (%s, %d blocks)', pin.key, pin.recursive ? 'recursive' : 'direct', pin.cids.length)
  }

  /** The stored pin with its size: the walk's, unless an earlier recursive pin made it cover more. */
  private sized (walked: { pin: WalkedPin, stats: DagWalk }): Pin {
    const row = this.tables().pinByCid.get(walked.pin.key) as PinRow
    if ((row.recursive === 1) === walked.pin.recursive) return this.describe(row, walked.stats)
    return this.ls({ cid: walked.pin.root })[0] ?? this.describe(row, walked.stats)
  }

  private describe (row: PinRow, stats: { blocks: number, bytes: number }): Pin {
    return { ...record(row), blocks: stats.blocks, bytes: stats.bytes }
  }

  /** Statements belong to one connection; a restarted store has a new one. */
  private tables (): PinTables {
    const db = this.components.store.db
    if (this.tablesCache?.db !== db) this.tablesCache = new PinTables(db)
    return this.tablesCache
  }
}

function record (row: PinRow): PinRecord {
  return { cid: row.cid, recursive: row.recursive === 1, name: row.name, created_at: row.created_at }
}

function progressEvent ({ blocks, bytes, fetchedBlocks, fetchedBytes }: FetchTotals): PinProgressEvent {
  return { type: PIN_PROGRESS_EVENT, blocks, bytes, fetchedBlocks, fetchedBytes }
}

function checkName (name: string | undefined): string | undefined {
  if (name === undefined) return undefined
  if (typeof name !== 'string') throw new InvalidPinNameError('must be a string')
  if (name.length > MAX_PIN_NAME_LENGTH) throw new InvalidPinNameError(`is longer than ${MAX_PIN_NAME_LENGTH} characters`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidPinNameError('must be one line without control characters')
  return name
}

function checkAborted (signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AbortError('pin')
}
