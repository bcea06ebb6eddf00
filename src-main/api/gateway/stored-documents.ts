import type { Database, Statement } from 'better-sqlite3'
import type { KeptDocumentRow, LedgerReads, SlotToKeepRow } from '../../lineage/tokens/ledger-reads.js'
// The read model's own file: the starting listener reads kept documents before lineage/ loads.
import { ledgerReads } from '../../lineage/tokens/ledger-reads.js'
import { DOCUMENT_WRITE_BATCH, DOCUMENT_WRITE_DELAY_MS } from './constants.js'

/** A formatted document as the gateway keeps it across restarts (table token_documents). */
export interface StoredDocument {
  dataKey: string
  tokenKey: string
  tokenId: string
  metaContractId: string
  /** The slot head CIDs it was made from, sorted and comma-joined. */
  heads: string
  etag: string
  json: string
}

export interface DocumentStoreInit {
  /** Names the formatter build (a hash of its Wasm): documents another build made are not used. */
  formatterId: string
  /** Documents written per SQLite transaction at most. */
  maxBatch?: number
  /** How long a formatted document may wait for others to share its write (ms). */
  flushDelayMs?: number
}

/** A kept document current for a token, as a gateway read serves it. */
export type CurrentDocument = KeptDocumentRow

/** A slot row of the walk that keeps every token's document, and whether its token has a current one. */
export interface SlotToKeep {
  /** The token's id in token_index: the walk's order. */
  token: number
  dataKey: string
  tokenKey: string
  tokenId: string
  metaContractId: string
  kept: boolean
}

/**
 * Formatted tokenURI documents in SQLite, so that a restarted node serves them from its first
 * second instead of formatting every token again (about 0.45 ms each), and a read the memory cache
 * misses is one seek of their table and an inflate (store migration 27 keeps them deflated). Rows
 * are kept in step with the slots by the schema (triggers delete a token's row in the transaction
 * that changes its slots, and a row is written only while its heads are the slots'), so nothing
 * in the engine's code has to know about them; reads still compare the binding's contract and the
 * formatter build. Writes are batched, one SQLite transaction per batch, off the request path.
 * The SQL is the read model's (lineage/tokens/ledger-reads.ts), which owns token_documents' reads.
 */
export class DocumentStore {
  private readonly reads: LedgerReads
  private readonly slotsPage: Statement<[string, number, number], SlotToKeepRow>
  private readonly unkeptSpan: Statement<[string, number, number], { last: number | null, unkept: number | null }>
  private readonly writeBatch: (documents: StoredDocument[]) => void
  private readonly pending = new Map<string, StoredDocument>()
  private timer: ReturnType<typeof setTimeout> | undefined

  private readonly formatterId: string
  private readonly maxBatch: number
  private readonly flushDelayMs: number

  constructor (private readonly db: Database, init: DocumentStoreInit) {
    this.formatterId = init.formatterId
    this.maxBatch = init.maxBatch ?? DOCUMENT_WRITE_BATCH
    this.flushDelayMs = init.flushDelayMs ?? DOCUMENT_WRITE_DELAY_MS
    // The read model, prepared once per connection.
    const reads = ledgerReads(db)
    this.reads = reads
    this.slotsPage = reads.slotsToKeepAfter
    this.unkeptSpan = reads.unkeptSpan
    this.writeBatch = db.transaction((documents: StoredDocument[]) => {
      reads.keepDocuments(documents.map(d => ({ ...d, formatter: this.formatterId })))
    })
  }

  /**
   * The kept document of a token (canonical id) of a collection bound to `metaContractId`, if it
   * was made by this formatter build from the token's current slots: exactly what a read serves.
   * A document still queued for writing is not seen (the caller then makes it again).
   */
  current (tokenKey: string, tokenId: string, metaContractId: string): CurrentDocument | undefined {
    return this.reads.keptDocumentOfToken(tokenKey, tokenId, metaContractId, this.formatterId)
  }

  /**
   * Whether every token of every bound collection has a current kept document (none queued):
   * then a walk would find nothing to make.
   */
  allKept (): boolean {
    return this.pending.size === 0 && this.reads.incompleteCollections(this.formatterId) === 0
  }

  /**
   * The slot rows of up to `limit` tokens after the token id `after` (token_index), in id order,
   * each saying whether its token has a current kept document (queued ones count). Fewer rows
   * than `limit` means the end.
   */
  slotsToKeep (after: number, limit: number): SlotToKeep[] {
    return this.slotsPage.all(this.formatterId, after, limit).map(r => ({ ...r, kept: r.kept === 1 || this.pending.has(r.dataKey) }))
  }

  /**
   * The next `limit` tokens after the token id `after`: the last one's id (null: none left) and
   * how many of those in bound collections lack a current kept document (queued ones are not
   * seen: they count as lacking).
   */
  unkeptIn (after: number, limit: number): { last: number | null, unkept: number } {
    const span = this.unkeptSpan.get(this.formatterId, after, limit)
    return { last: span?.last ?? null, unkept: span?.unkept ?? 0 }
  }

  /**
   * A token's kept document, if it was made from exactly these slot heads (sorted, comma-joined;
   * the token's current ones) under this contract by this formatter build: then it is the document
   * the gateway serves. A kept row is current for the slots by the schema; a queued one is
   * compared.
   */
  kept (token: { dataKey: string, tokenKey: string, tokenId: string }, metaContractId: string, heads: string): string | undefined {
    const queued = this.pending.get(token.dataKey)
    if (queued !== undefined) return queued.heads === heads && queued.metaContractId === metaContractId ? queued.json : undefined
    return this.reads.keptDocumentOfToken(token.tokenKey, token.tokenId, metaContractId, this.formatterId)?.json
  }

  /** Queues a document to be written with others shortly; a later one for the token replaces it. */
  save (document: StoredDocument): void {
    this.pending.set(document.dataKey, document)
    if (this.pending.size >= this.maxBatch) {
      this.flush()
      return
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(() => { this.flush() }, this.flushDelayMs)
      this.timer.unref()
    }
  }

  /** Writes what is queued, now. */
  flush (): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.size === 0) return
    const documents = [...this.pending.values()]
    this.pending.clear()
    // The store may already be closed when a node stops; the memos are then simply not kept.
    if (this.db.open) this.writeBatch(documents)
  }

  /**
   * Gives back the memory SQLite's page cache holds (`PRAGMA shrink_memory`): after a walk of
   * every token, the cache is full of pages no read will want again soon.
   */
  releaseMemory (): void {
    if (this.db.open) this.db.pragma('shrink_memory')
  }

  /** Documents waiting to be written. */
  get queued (): number {
    return this.pending.size
  }
}

export function createDocumentStore (db: Database, init: DocumentStoreInit): DocumentStore {
  return new DocumentStore(db, init)
}
