import { concat } from 'uint8arrays/concat'
import type { AbortOptions } from '@libp2p/interface'
import type Database from 'better-sqlite3'
import type { Blockstore, InputPair, Pair } from 'interface-blockstore'
import { NotFoundError } from 'interface-store'
import { CID } from 'multiformats/cid'
import { decode as decodeMultihash } from 'multiformats/hashes/digest'
import { contentFromData, elideTransaction, restoreTransaction, storedContent } from '../dag/index.js'
import type { JsonValue, TransactionFields } from '../dag/index.js'
import { createBlockStaging } from './block-staging.js'
import type { BlockStaging } from './block-staging.js'
import { BLOCK_PAGE_ROWS } from './blockstore-constants.js'
import { StoreCorruptError } from './errors.js'
import type { Store } from './store.js'

/** One block: the CID it was asked for by, and its bytes. */
export interface BlockEntry {
  cid: CID
  bytes: Uint8Array
}

/**
 * The transaction whose version block is being stored, as its row holds it. The block is then
 * stored without its copies of the transaction, which the row keeps (dag/elided-block.ts).
 */
export type BlockTransaction = TransactionFields

/**
 * Where a block stored without its transaction's copies finds them again: the engine's
 * transaction rows, read through their owner's read model (lineage/tokens `ledgerReads`), which
 * sits above the store and so is passed in. Asked once per connection.
 */
export type TransactionRowsOf = (db: Database.Database) => { readonly blockTransaction: Database.Statement<[string], BlockTransaction> }

export interface BlockstoreComponents {
  /**
   * The transaction rows (see TransactionRowsOf). Without them the blockstore keeps every block
   * whole, so it never holds a block it could not rebuild.
   */
  transactionRows?: TransactionRowsOf
}

/**
 * How a block is stored: whole, or without its transaction's copies; then `elided_tx` is the
 * transaction's hash (32 bytes), whose row gives them back.
 */
interface StoredBytes {
  bytes: Buffer
  elided_tx: Buffer | null
  elided_content: number
}

interface BlockRow extends StoredBytes {
  rowid: number
  multihash: Buffer
  codec: number
}

interface Statements {
  readonly db: Database.Database
  readonly insert: Database.Statement<[Uint8Array, number, Uint8Array, number, number, Uint8Array | null, number]>
  readonly select: Database.Statement<[Uint8Array], StoredBytes>
  readonly transaction: Database.Statement<[string], BlockTransaction> | undefined
  readonly exists: Database.Statement<[Uint8Array], { found: number }>
  readonly remove: Database.Statement<[Uint8Array]>
  readonly page: Database.Statement<[number, number], BlockRow>
}

/**
 * The IPLD blockstore inside the node's SQLite database, so a transaction's blocks commit in the
 * same SQLite transaction as its rows. The `*Sync` methods are for use inside
 * `store.db.transaction(...)`; the async ones implement `interface-blockstore` for IPFS code.
 */
export class SqliteBlockstore implements Blockstore {
  private statements: Statements | undefined

  constructor (private readonly store: Store, private readonly components: BlockstoreComponents = {}) {}

  /**
   * Stores a block; storing one already present is a no-op. Returns true if it was new. With
   * `from` (a version block the engine writes for that stored transaction), the block is kept
   * without its copies of the transaction when it rebuilds byte for byte; reads give the whole
   * block either way. The transaction's row must stay (rows are never deleted).
   */
  putSync (cid: CID, bytes: Uint8Array, from?: BlockTransaction): boolean {
    const hash = from === undefined || this.components.transactionRows === undefined ? undefined : hashBytes(from.hash)
    const elided = from === undefined || hash === undefined ? undefined : elideTransaction(bytes, from)
    return this.prepared().insert.run(cid.multihash.bytes, cid.code, elided?.bytes ?? bytes, bytes.byteLength, Date.now(),
      elided === undefined ? null : (hash ?? null), elided?.content === true ? 1 : 0).changes > 0
  }

  /**
   * Stores blocks in one SQLite transaction (a savepoint when called inside one).
   * Returns how many were new.
   */
  putManySync (blocks: Iterable<BlockEntry>): number {
    const { db } = this.prepared()
    return db.transaction(() => {
      let added = 0
      for (const { cid, bytes } of blocks) if (this.putSync(cid, bytes)) added++
      return added
    })()
  }

  getSync (cid: CID): Uint8Array | undefined {
    const row = this.prepared().select.get(cid.multihash.bytes)
    return row === undefined ? undefined : this.whole(row)
  }

  /**
   * A version block's content, read without rebuilding the block, when it was stored without its
   * transaction's copies: parsed from the signed data when the content was taken from it (the
   * contract wrote the data unchanged), else decoded alone from the stored bytes. Undefined for
   * any other block: the caller reads the whole block.
   */
  versionContentSync (cid: CID): JsonValue | undefined {
    const row = this.prepared().select.get(cid.multihash.bytes)
    if (row === undefined || row.elided_tx === null) return undefined
    if (row.elided_content === 1) {
      const data = this.prepared().transaction?.get(row.elided_tx.toString('hex'))?.data
      return data === undefined ? undefined : contentFromData(data)
    }
    return storedContent({ bytes: row.bytes, content: false })
  }

  hasSync (cid: CID): boolean {
    return this.prepared().exists.get(cid.multihash.bytes) !== undefined
  }

  /**
   * Somewhere to put blocks that must all be checked before any is stored (a CAR import):
   * nothing reaches the blockstore until `commitSync()`, which stores them in one transaction.
   */
  createStaging (): BlockStaging {
    return createBlockStaging(this.store)
  }

  async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    options?.signal?.throwIfAborted()
    return this.hasSync(cid)
  }

  async put (cid: CID, bytes: InputPair['bytes'], options?: AbortOptions): Promise<CID> {
    options?.signal?.throwIfAborted()
    const whole = await collect(bytes)
    options?.signal?.throwIfAborted()
    this.putSync(cid, whole)
    return cid
  }

  async * putMany (source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const { cid, bytes } of source) yield await this.put(cid, bytes, options)
  }

  async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    options?.signal?.throwIfAborted()
    yield this.require(cid)
  }

  async * getMany (source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<Pair> {
    for await (const cid of source) {
      options?.signal?.throwIfAborted()
      yield { cid, bytes: once(this.require(cid)) }
    }
  }

  /** Every block, in insertion order, read a page at a time so the connection stays usable between pages. */
  async * getAll (options?: AbortOptions): AsyncGenerator<Pair> {
    let after = 0
    for (;;) {
      options?.signal?.throwIfAborted()
      const rows = this.prepared().page.all(after, BLOCK_PAGE_ROWS)
      for (const row of rows) {
        yield { cid: CID.createV1(row.codec, decodeMultihash(asUint8Array(row.multihash))), bytes: once(this.whole(row)) }
      }
      const last = rows.at(-1)
      if (last === undefined || rows.length < BLOCK_PAGE_ROWS) return
      after = last.rowid
    }
  }

  async delete (cid: CID, options?: AbortOptions): Promise<void> {
    options?.signal?.throwIfAborted()
    this.prepared().remove.run(cid.multihash.bytes)
  }

  async * deleteMany (source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const cid of source) {
      await this.delete(cid, options)
      yield cid
    }
  }

  /** A stored block's bytes, with its transaction's copies put back if it was kept without. */
  private whole (row: StoredBytes): Uint8Array {
    if (row.elided_tx === null) return asUint8Array(row.bytes)
    // A second seek rather than a join in the block's query: measured about twice as fast.
    const hash = row.elided_tx.toString('hex')
    const transaction = this.prepared().transaction
    if (transaction === undefined) throw new StoreCorruptError(this.store.path, `a block was stored without the copies of transaction ${hash}, and this blockstore was opened without the transaction rows that rebuild it`)
    const tx = transaction.get(hash)
    if (tx === undefined) throw new StoreCorruptError(this.store.path, `a block was stored without the copies of transaction ${hash}, whose row is missing`)
    return asUint8Array(restoreTransaction({ bytes: row.bytes, content: row.elided_content === 1 }, tx))
  }

  private require (cid: CID): Uint8Array {
    const bytes = this.getSync(cid)
    // interface-blockstore callers branch on this exact name, so the store's own class is used.
    if (bytes === undefined) throw new NotFoundError(`Block ${cid.toString()} is not in the blockstore.`)
    return bytes
  }

  /** Statements belong to one connection; a restarted store has a new one. */
  private prepared (): Statements {
    const db = this.store.db
    if (this.statements?.db !== db) {
      this.statements = {
        db,
        insert: db.prepare(`INSERT INTO blocks (multihash, codec, bytes, size, created_at, elided_tx, elided_content)
          VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (multihash) DO NOTHING`),
        select: db.prepare('SELECT bytes, elided_tx, elided_content FROM blocks WHERE multihash = ?'),
        transaction: this.components.transactionRows?.(db).blockTransaction,
        exists: db.prepare('SELECT 1 AS found FROM blocks WHERE multihash = ?'),
        remove: db.prepare('DELETE FROM blocks WHERE multihash = ?'),
        page: db.prepare('SELECT rowid, multihash, codec, bytes, elided_tx, elided_content FROM blocks WHERE rowid > ? ORDER BY rowid LIMIT ?'),
      }
    }
    return this.statements
  }
}

/** The 32 bytes of a transaction hash (64 lower-case hex digits), or undefined for any other text. */
function hashBytes (hash: string): Buffer | undefined {
  const bytes = Buffer.from(hash, 'hex')
  return bytes.byteLength === 32 && bytes.toString('hex') === hash ? bytes : undefined
}

/** SQLite hands back Buffers; callers get plain Uint8Array views of the same memory. */
function asUint8Array (buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/** Async, like every other blockstore's pairs: callers may treat the chunks as a promise of a list. */
async function * once (bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}

async function collect (source: InputPair['bytes']): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source
  const chunks: Uint8Array[] = []
  for await (const chunk of source) chunks.push(chunk)
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : concat(chunks)
}
