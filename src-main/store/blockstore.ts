import { concat } from 'uint8arrays/concat'
import type { AbortOptions } from '@libp2p/interface'
import type Database from 'better-sqlite3'
import type { Blockstore, InputPair, Pair } from 'interface-blockstore'
import { NotFoundError } from 'interface-store'
import { CID } from 'multiformats/cid'
import { decode as decodeMultihash } from 'multiformats/hashes/digest'
import { createBlockStaging } from './block-staging.js'
import type { BlockStaging } from './block-staging.js'
import { BLOCK_PAGE_ROWS } from './blockstore-constants.js'
import type { Store } from './store.js'

/** One block: the CID it was asked for by, and its bytes. */
export interface BlockEntry {
  cid: CID
  bytes: Uint8Array
}

interface BlockRow {
  rowid: number
  multihash: Buffer
  codec: number
  bytes: Buffer
}

interface Statements {
  readonly db: Database.Database
  readonly insert: Database.Statement<[Uint8Array, number, Uint8Array, number, number]>
  readonly select: Database.Statement<[Uint8Array], { bytes: Buffer }>
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

  constructor (private readonly store: Store) {}

  /** Stores a block; storing one already present is a no-op. Returns true if it was new. */
  putSync (cid: CID, bytes: Uint8Array): boolean {
    return this.prepared().insert.run(cid.multihash.bytes, cid.code, bytes, bytes.byteLength, Date.now()).changes > 0
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
    return row === undefined ? undefined : asUint8Array(row.bytes)
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
        yield { cid: CID.createV1(row.codec, decodeMultihash(asUint8Array(row.multihash))), bytes: once(asUint8Array(row.bytes)) }
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
        insert: db.prepare('INSERT INTO blocks (multihash, codec, bytes, size, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (multihash) DO NOTHING'),
        select: db.prepare('SELECT bytes FROM blocks WHERE multihash = ?'),
        exists: db.prepare('SELECT 1 AS found FROM blocks WHERE multihash = ?'),
        remove: db.prepare('DELETE FROM blocks WHERE multihash = ?'),
        page: db.prepare('SELECT rowid, multihash, codec, bytes FROM blocks WHERE rowid > ? ORDER BY rowid LIMIT ?'),
      }
    }
    return this.statements
  }
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
