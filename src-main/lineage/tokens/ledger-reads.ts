import type { Database, Statement } from 'better-sqlite3'
import type { TransactionRow } from '../engine/index.js'
import { TOKEN_ORDER_SQL } from './constants.js'
import { KeptDocumentCodec } from './kept-document-codec.js'

/** A new dictionary is made from at most this many of its collection's documents (the first of a batch). */
const DICTIONARY_SAMPLES = 8

/** A slot's head and key, as pins walk them. */
export interface SlotHeadRow {
  head_cid: string
  meta_contract_id: string
  public_key: string
  alias: string
  version: string
}

/** What a token card is built from: one slot of the token under its contract. */
export interface CardSlotRow {
  alias: string
  public_key: string
  version: string
  head_cid: string
  token_key: string
  token_id: string
  updated_at: number
}

/** A token of a collection with metadata under a contract, as a snapshot page lists it. */
export interface ContractTokenRow {
  token_id: string
  data_key: string
}

/** A collection's binding as the gateway's paths name it: by token key, or by chain and address. */
export interface BindingRow {
  tokenKey: string
  metaContractId: string
  chainId: string
  tokenAddress: string
}

/** The token a transaction names: its collection's chain and address, and its id. */
export interface TokenPlaceRow {
  chain_id: string
  token_address: string
  token_id: string
}

/** A kept tokenURI document current for a token, as a gateway read serves it (table token_documents). */
export interface KeptDocumentRow {
  dataKey: string
  etag: string
  json: string
}

/** A slot row of the walk that keeps every token's document: its token's id, and whether that token has a current document. */
export interface SlotToKeepRow {
  token: number
  dataKey: string
  tokenKey: string
  tokenId: string
  metaContractId: string
  kept: number
}

/** A kept document as written by a formatter build (`formatter`, its id). */
export interface KeptDocumentWrite {
  dataKey: string
  tokenKey: string
  tokenId: string
  metaContractId: string
  formatter: string
  /** The slot head CIDs it was made from, sorted and comma-joined: it is kept only while they are the slots'. */
  heads: string
  etag: string
  json: string
}

/** The transaction fields a version block copies (dag/elided-block.ts), `data` being the signed data. */
export interface BlockTransactionRow {
  hash: string
  timestamp: number
  meta_contract_id: string
  method: string
  data: string
}

/** What the node holds, for status displays (node_info's `stats`). */
export interface StoreStats {
  collections: number
  tokens: number
  slots: number
  transactions: number
  blocks: number
  block_bytes: number
  /** Size of the database file(s) on disk. */
  database_bytes: number
}

/** What an export of a token, a collection or the whole node carries of the ledger. */
export type ExportScope = { dataKey: string, tokenKey: string } | { tokenKey: string } | Record<string, never>

/**
 * The read model of the engine's tables (`transactions`, `slots`, `receipt_rows`,
 * `contract_bindings`, `token_documents`; store migrations 5–14): every folder that reads them
 * (pins, snapshots, export, import, search, browse, replication, the DHT provider, the gateway
 * and the starting listener, the chain watcher's cron reads and reveal gate, the blockstore's
 * elided blocks, the node's stats) asks here instead of writing SQL against them, so a change to
 * those tables has one place to look. The engine's validator and convergence keep the write path.
 * Statements are prepared once per connection (`ledgerReads(db)` hands every caller the same
 * instance) and are exposed as they are, so hot paths pay nothing for the indirection.
 *
 * This file imports nothing at run time but `constants.ts` and `kept-document-codec.ts`, so code
 * that runs before `lineage/` loads (the starting listener, the reveal gate, the store's stats)
 * imports it by its own path rather than through `lineage/tokens/index.ts`, which loads Marine.
 */
export class LedgerReads {
  /** Every slot head (GC roots). */
  readonly slotHeads: Statement<[], { head_cid: string }>
  /** A token's slot heads, in key order. */
  readonly slotHeadsOfToken: Statement<[string], SlotHeadRow>
  /** A token's slot heads under one contract, in key order. */
  readonly slotHeadsOfTokenContract: Statement<[string, string], SlotHeadRow>
  /** Slot heads newest first, after the key (updated_at, head_cid) of the last one read. */
  readonly slotHeadsNewestBefore: Statement<[number, string, number], { head_cid: string, updated_at: number }>
  /** A token's slots under a contract, as its card is built from them. */
  readonly cardSlots: Statement<[string, string], CardSlotRow>
  /** Tokens and contracts that have slots, in (data_key, meta_contract_id) order after a key. */
  readonly tokenContractsAfter: Statement<[string, string, number], { data_key: string, meta_contract_id: string }>
  /** 1 when a collection has any slot. */
  readonly collectionHasSlots: Statement<[string], number>
  /** The collection of a token that has slots. */
  readonly collectionOfToken: Statement<[string], string>
  /** Tokens of a collection with slots under a contract. */
  readonly tokensUnderContract: Statement<[string, string], number>
  /** A page of those tokens in numeric id order, after a sort key (tokens' tokenOrderKey). */
  readonly tokensUnderContractAfter: Statement<[string, string, string, number], ContractTokenRow>
  /** The contract bound to a collection. */
  readonly boundContract: Statement<[string], string>
  /** The chain and address a collection was bound with. */
  readonly boundCollection: Statement<[string], { chain_id: string, token_address: string }>
  /** A transaction by hash. */
  readonly transactionByHash: Statement<[string], TransactionRow>
  /** The collection of a transaction. */
  readonly collectionOfTransaction: Statement<[string], string>
  /** A transaction's signed timestamp. */
  readonly timestampOfTransaction: Statement<[string], number>
  /** Transactions of a collection (every status). */
  readonly transactionsOfCollection: Statement<[string], number>
  /** A collection's canonical keys [timestamp, hash] in a range; null bounds are open. */
  readonly canonicalKeys: Statement<[{ token_key: string, lo_t: number | null, lo_h: string | null, hi_t: number | null, hi_h: string | null }], [number, string]>
  /** Applied transactions after a key (timestamp, hash), up to a timestamp, in canonical order. */
  readonly appliedAfter: Statement<[number, string, number, number], TransactionRow>
  /** Pending transactions in queue order. */
  readonly pending: Statement<[number], TransactionRow>
  /** What a version block stored without its transaction's copies is rebuilt from (store/blockstore.ts). */
  readonly blockTransaction: Statement<[string], BlockTransactionRow>
  /** The token a data_key names, from a transaction that wrote it (a binding names no token). */
  readonly tokenPlaceOfDataKey: Statement<[string], TokenPlaceRow>
  /** The token a transaction (by hash) wrote; none for a binding. */
  readonly tokenPlaceOfTransaction: Statement<[string], TokenPlaceRow>
  /** A collection's binding by token key. */
  readonly bindingByKey: Statement<[string], BindingRow>
  /** A collection's binding by chain id and address, in any letter case. */
  readonly bindingByAddress: Statement<[string, string], BindingRow>
  /** How many collections are bound. */
  readonly collectionCount: Statement<[], number>
  /** The store's kept totals (one row). */
  readonly totals: Statement<[], Pick<StoreStats, 'tokens' | 'slots' | 'transactions' | 'blocks' | 'block_bytes'>>
  /** Prepared on first use: stores opened at an older schema version (migration tests) have no dictionaries. */
  private keptStatements: KeptDocumentStatements | undefined

  constructor (private readonly db: Database) {
    this.slotHeads = db.prepare('SELECT head_cid FROM slots')
    this.slotHeadsOfToken = db.prepare('SELECT head_cid, meta_contract_id, public_key, alias, version FROM slots WHERE data_key = ? ORDER BY meta_contract_id, public_key, alias, version')
    this.slotHeadsOfTokenContract = db.prepare('SELECT head_cid, meta_contract_id, public_key, alias, version FROM slots WHERE data_key = ? AND meta_contract_id = ? ORDER BY public_key, alias, version')
    this.slotHeadsNewestBefore = db.prepare(`SELECT head_cid, updated_at FROM slots WHERE (updated_at, head_cid) < (?, ?)
      ORDER BY updated_at DESC, head_cid DESC LIMIT ?`)
    this.cardSlots = db.prepare('SELECT alias, public_key, version, head_cid, token_key, token_id, updated_at FROM slots WHERE data_key = ? AND meta_contract_id = ?')
    this.tokenContractsAfter = db.prepare(`SELECT DISTINCT data_key, meta_contract_id FROM slots WHERE (data_key, meta_contract_id) > (?, ?)
      ORDER BY data_key, meta_contract_id LIMIT ?`)
    this.collectionHasSlots = db.prepare<[string], number>('SELECT 1 FROM slots WHERE token_key = ? LIMIT 1').pluck()
    this.collectionOfToken = db.prepare<[string], string>('SELECT token_key FROM slots WHERE data_key = ? LIMIT 1').pluck()
    this.tokensUnderContract = db.prepare<[string, string], number>('SELECT count(DISTINCT token_id) FROM slots WHERE token_key = ? AND meta_contract_id = ?').pluck()
    // Keyset paging in numeric token order over the slots_token_order index (migration 4), so
    // each page is one seek however deep the walk is.
    this.tokensUnderContractAfter = db.prepare(`SELECT token_id, min(data_key) AS data_key FROM slots
      WHERE token_key = ? AND meta_contract_id = ? AND ${TOKEN_ORDER_SQL} > ?
      GROUP BY ${TOKEN_ORDER_SQL} ORDER BY ${TOKEN_ORDER_SQL} LIMIT ?`)
    this.boundContract = db.prepare<[string], string>('SELECT meta_contract_id FROM contract_bindings WHERE token_key = ?').pluck()
    this.boundCollection = db.prepare('SELECT chain_id, token_address FROM contract_bindings WHERE token_key = ?')
    this.transactionByHash = db.prepare('SELECT * FROM transactions WHERE hash = ?')
    this.collectionOfTransaction = db.prepare<[string], string>('SELECT token_key FROM transactions WHERE hash = ?').pluck()
    this.timestampOfTransaction = db.prepare<[string], number>('SELECT timestamp FROM transactions WHERE hash = ?').pluck()
    this.transactionsOfCollection = db.prepare<[string], number>('SELECT count(*) FROM transactions WHERE token_key = ?').pluck()
    // Row values compare (timestamp, hash) exactly as canonical order does.
    this.canonicalKeys = db.prepare<[{ token_key: string, lo_t: number | null, lo_h: string | null, hi_t: number | null, hi_h: string | null }], [number, string]>(`SELECT timestamp, hash FROM transactions
      WHERE token_key = @token_key AND (@lo_t IS NULL OR (timestamp, hash) >= (@lo_t, @lo_h)) AND (@hi_t IS NULL OR (timestamp, hash) < (@hi_t, @hi_h))
      ORDER BY timestamp, hash`).raw()
    // A seek into transactions_applied_time (migration 10) after the key (timestamp, hash).
    this.appliedAfter = db.prepare(`SELECT * FROM transactions WHERE status = 'applied' AND (timestamp, hash) > (?, ?) AND timestamp <= ?
      ORDER BY timestamp, hash LIMIT ?`)
    this.pending = db.prepare("SELECT * FROM transactions WHERE status = 'pending' ORDER BY seq LIMIT ?")
    this.blockTransaction = db.prepare('SELECT hash, timestamp, meta_contract_id, method, data FROM transactions WHERE hash = ?')
    this.tokenPlaceOfDataKey = db.prepare("SELECT chain_id, token_address, token_id FROM transactions WHERE data_key = ? AND method <> 'contract' LIMIT 1")
    this.tokenPlaceOfTransaction = db.prepare("SELECT chain_id, token_address, token_id FROM transactions WHERE hash = ? AND method <> 'contract'")
    // A token key is derived from the lower-cased address (services/keys), so any case names it;
    // bindings are one row a collection, few enough to compare without an index.
    const binding = 'token_key AS tokenKey, meta_contract_id AS metaContractId, chain_id AS chainId, token_address AS tokenAddress'
    this.bindingByKey = db.prepare(`SELECT ${binding} FROM contract_bindings WHERE token_key = ?`)
    this.bindingByAddress = db.prepare(`SELECT ${binding} FROM contract_bindings WHERE chain_id = ? AND lower(token_address) = lower(?)`)
    this.collectionCount = db.prepare<[], number>('SELECT count(*) FROM contract_bindings').pluck()
    this.totals = db.prepare('SELECT tokens, slots, transactions, blocks, block_bytes FROM store_totals WHERE id = 1')
  }

  private kept (): KeptDocumentStatements {
    this.keptStatements ??= prepareKeptDocuments(this.db)
    return this.keptStatements
  }

  /** The slot rows of the tokens after a token id (`token_index.id`), each with whether a formatter build (first parameter) kept its token's document. */
  get slotsToKeepAfter (): KeptDocumentStatements['slotsToKeepAfter'] {
    return this.kept().slotsToKeepAfter
  }

  /** A span of tokens after a token id: its last id and how many of those in bound collections lack a document a formatter build kept. */
  get unkeptSpan (): KeptDocumentStatements['unkeptSpan'] {
    return this.kept().unkeptSpan
  }

  /** How many bound collections have fewer current documents by a formatter build than tokens. */
  incompleteCollections (formatter: string): number {
    return this.kept().incompleteCollections.get(formatter) ?? 0
  }

  /** A token's kept document made by a formatter build, current for its slots, under the contract named. */
  keptDocumentOfToken (tokenKey: string, tokenId: string, metaContractId: string, formatter: string): KeptDocumentRow | undefined {
    const { codec, keptOfToken } = this.kept()
    const dictionary = codec.dictionary(tokenKey, formatter)
    if (dictionary === undefined) return undefined
    const row = keptOfToken.get(dictionary, tokenId, metaContractId)
    const json = row === undefined ? undefined : expandOrNothing(codec, dictionary, row.body)
    return row === undefined || json === undefined ? undefined : { dataKey: row.dataKey, etag: row.etag, json }
  }

  /**
   * Keeps formatted documents, each only if it was made from its token's current slots, deflated
   * against its collection's dictionary (made from the first of them when it has none). The one
   * write here: token_documents is a memo of reads, and whether a document is current is a read
   * of the slots, in the same statement. The caller holds the transaction.
   */
  keepDocuments (documents: readonly KeptDocumentWrite[]): void {
    const { codec, hasOtherBuilds, dropOtherBuilds, keepDocument } = this.kept()
    // By collection and build: one dictionary each, made from the first of its documents here.
    const groups = new Map<string, KeptDocumentWrite[]>()
    for (const d of documents) {
      const key = `${d.formatter}/${d.tokenKey}`
      const group = groups.get(key)
      if (group === undefined) groups.set(key, [d])
      else group.push(d)
    }
    for (const group of groups.values()) {
      const { tokenKey, formatter } = group[0] as KeptDocumentWrite
      const dictionary = codec.dictionaryFor(tokenKey, formatter, group.slice(0, DICTIONARY_SAMPLES).map(d => d.json))
      // A token keeps one document: one another build made goes first (only a collection kept
      // under more than one build can hold such a row).
      const others = hasOtherBuilds.get({ tokenKey, dictionary }) === 1
      for (const d of group) {
        if (others) dropOtherBuilds.run({ tokenKey, tokenId: d.tokenId, dictionary })
        keepDocument.run({
          dataKey: d.dataKey,
          tokenId: d.tokenId,
          metaContractId: d.metaContractId,
          heads: d.heads,
          etag: d.etag,
          dictionary,
          body: codec.compress(dictionary, d.json),
        })
      }
    }
  }

  /**
   * What the node holds. The totals are kept by triggers (migration 15, store/read-totals.ts) in
   * the transaction that changes what they count (counting at 1,000,000 tokens took seconds);
   * collections are bindings, few enough to count. Cheap to ask often.
   */
  stats (): StoreStats {
    const totals = this.totals.get()
    const pages = this.db.pragma('page_count', { simple: true }) as number
    const pageSize = this.db.pragma('page_size', { simple: true }) as number
    return {
      collections: this.collectionCount.get() ?? 0,
      tokens: totals?.tokens ?? 0,
      slots: totals?.slots ?? 0,
      transactions: totals?.transactions ?? 0,
      blocks: totals?.blocks ?? 0,
      block_bytes: totals?.block_bytes ?? 0,
      database_bytes: pages * pageSize,
    }
  }

  /**
   * A page of transactions or slots matching a search. `where` and `order` are built by
   * lineage/search from its whitelisted columns (values travel in `params`); each shape is
   * prepared when asked, as the search always has.
   */
  search (table: 'transactions' | 'slots', where: string, order: string, params: ReadonlyArray<string | number>, limit: number, offset: number): unknown[] {
    const columns = table === 'transactions'
      ? '*'
      : 'data_key, token_key, token_id, meta_contract_id, public_key, alias, version, head_cid AS cid, loose, last_tx, updated_at'
    return this.db.prepare(`SELECT ${columns} FROM ${table === 'transactions' ? 'transactions' : 'slots'} ${where} ${order} LIMIT ? OFFSET ?`).all(...params, limit, offset)
  }

  /** How many slots match a search's `where` (see `search`). */
  searchCount (where: string, params: ReadonlyArray<string | number>): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM slots ${where}`).get(...params) as { n: number }).n
  }

  /**
   * Fills an export's TEMP tables `<prefix>_tx (hash)` and `<prefix>_heads (cid)` with the applied
   * transactions of the scope in canonical order (a token's own, with its collection's bindings,
   * which a replay needs first) and its distinct slot heads. Rowids follow insertion, so each
   * table keeps that order.
   */
  fillExport (prefix: string, scope: ExportScope): void {
    const applied = "status = 'applied'"
    if ('dataKey' in scope) {
      this.db.prepare(`INSERT INTO ${prefix}_tx (hash) SELECT hash FROM transactions WHERE ${applied} AND (data_key = ? OR (token_key = ? AND method = 'contract')) ORDER BY timestamp, hash`).run(scope.dataKey, scope.tokenKey)
      this.db.prepare(`INSERT INTO ${prefix}_heads (cid) SELECT DISTINCT head_cid FROM slots WHERE data_key = ? ORDER BY head_cid`).run(scope.dataKey)
    } else if ('tokenKey' in scope) {
      this.db.prepare(`INSERT INTO ${prefix}_tx (hash) SELECT hash FROM transactions WHERE token_key = ? AND ${applied} ORDER BY timestamp, hash`).run(scope.tokenKey)
      this.db.prepare(`INSERT INTO ${prefix}_heads (cid) SELECT DISTINCT head_cid FROM slots WHERE token_key = ? ORDER BY head_cid`).run(scope.tokenKey)
    } else {
      this.db.prepare(`INSERT INTO ${prefix}_tx (hash) SELECT hash FROM transactions WHERE ${applied} ORDER BY timestamp, hash`).run()
      this.db.prepare(`INSERT INTO ${prefix}_heads (cid) SELECT DISTINCT head_cid FROM slots ORDER BY head_cid`).run()
    }
  }

  /** The contracts the transactions listed in `<prefix>_tx` name (distinct). */
  contractsOfExport (prefix: string): string {
    return `SELECT DISTINCT x.meta_contract_id FROM ${prefix}_tx e JOIN transactions x ON x.hash = e.hash`
  }

  /** The rows of the transactions listed in `<prefix>_tx` from rowid `after` + 1 to `to`, `columns` of each. */
  exportTransactionPage (prefix: string, columns: readonly string[], limit: number): Statement<[number, number]> {
    return this.db.prepare(`SELECT e.rowid AS rowid, ${columns.map(c => `x.${c}`).join(', ')}
      FROM ${prefix}_tx e JOIN transactions x ON x.hash = e.hash WHERE e.rowid > ? AND e.rowid <= ? ORDER BY e.rowid LIMIT ${limit}`)
  }

  /** The CIDs of a TEMP table `table (cid)` that are no slot's head: how many, and the first `limit` in order. */
  notSlotHeads (table: string): { count: () => number, first: (limit: number) => string[] } {
    // One pass over the slots, not a lookup per head: slots have no index on head_cid.
    const notCurrent = `FROM ${table} e LEFT JOIN (SELECT DISTINCT head_cid FROM slots) s ON s.head_cid = e.cid WHERE s.head_cid IS NULL`
    return {
      count: () => this.db.prepare(`SELECT count(*) ${notCurrent}`).pluck().get() as number,
      first: limit => this.db.prepare(`SELECT e.cid ${notCurrent} ORDER BY e.cid LIMIT ?`).pluck().all(limit) as string[],
    }
  }
}

/**
 * A kept document's JSON, or nothing when its bytes no longer inflate (a damaged row): a kept
 * document is a memo, so the caller formats the token again and the write replaces the row.
 */
function expandOrNothing (codec: KeptDocumentCodec, dictionary: number, body: Buffer): string | undefined {
  try {
    return codec.expand(dictionary, body)
  } catch {
    return undefined
  }
}

/** The read model's statements over token_documents and its dictionaries (store migration 27). */
interface KeptDocumentStatements {
  codec: KeptDocumentCodec
  keptOfToken: Statement<[number, string, string], { dataKey: string, etag: string, body: Buffer }>
  hasOtherBuilds: Statement<[{ tokenKey: string, dictionary: number }], number>
  dropOtherBuilds: Statement<[{ tokenKey: string, tokenId: string, dictionary: number }]>
  slotsToKeepAfter: Statement<[string, number, number], SlotToKeepRow>
  unkeptSpan: Statement<[string, number, number], { last: number | null, unkept: number | null }>
  incompleteCollections: Statement<[string], number>
  keepDocument: Statement<[Omit<KeptDocumentWrite, 'formatter' | 'json' | 'tokenKey'> & { dictionary: number, body: Buffer }]>
}

function prepareKeptDocuments (db: Database): KeptDocumentStatements {
  // A gateway read the cache missed: one seek of token_documents by its key (migration 27). A row
  // is current as far as the slots go (a slot change deletes it in the same transaction, and
  // `keepDocuments` writes only a document whose heads equal the slots'); the dictionary names
  // the formatter build, and the caller compares the binding.
  const keptOfToken: KeptDocumentStatements['keptOfToken'] = db.prepare(`
    SELECT data_key AS dataKey, etag, body FROM token_documents WHERE dictionary = ? AND token_id = ? AND meta_contract_id = ?`)
  // The walk that keeps every token's document goes through token_index in id order (the order
  // tokens arrived in, so mostly the documents' key order too): its rows name the token's key,
  // and a document counts for the contract its collection is bound to. The build's dictionaries
  // are listed once a statement, not looked up a row.
  const keptFor = (token: string, contract: string): string => `EXISTS (SELECT 1 FROM token_documents d
    WHERE d.dictionary = (SELECT id FROM document_dictionaries WHERE token_key = ${token}.token_key AND formatter = ?)
      AND d.token_id = ${token}.token_id AND d.meta_contract_id = ${contract})`
  // A page of tokens (the inner LIMIT, so a token's slots are never split between pages), each
  // slot row with whether its token has a current document under that slot's contract.
  const slotsToKeepAfter: KeptDocumentStatements['slotsToKeepAfter'] = db.prepare(`
    SELECT t.id AS token, s.data_key AS dataKey, s.token_key AS tokenKey, s.token_id AS tokenId, s.meta_contract_id AS metaContractId,
      ${keptFor('s', 's.meta_contract_id')} AS kept
    FROM (SELECT id, data_key FROM token_index WHERE id > ? ORDER BY id LIMIT ?) t JOIN slots s ON s.data_key = t.data_key
    ORDER BY t.id`)
  // Counted inside SQLite, tokens of bound collections only: a walk after an import that kept
  // every document reads spans, not rows.
  const unkeptSpan: KeptDocumentStatements['unkeptSpan'] = db.prepare(`
    SELECT max(t.id) AS last, sum(b.meta_contract_id IS NOT NULL AND NOT ${keptFor('t', 'b.meta_contract_id')}) AS unkept
    FROM (SELECT id, token_key, token_id FROM token_index WHERE id > ? ORDER BY id LIMIT ?) t
    LEFT JOIN contract_bindings b ON b.token_key = t.token_key`)
  // A document made from slots that changed since (the change already deleted the old row) is
  // dropped, and made again by the gateway's refresh. A token keeps one document: one another
  // build made (under another dictionary) goes first.
  const hasOtherBuilds: KeptDocumentStatements['hasOtherBuilds'] = db.prepare<[{ tokenKey: string, dictionary: number }], number>(
    'SELECT EXISTS (SELECT 1 FROM document_dictionaries WHERE token_key = @tokenKey AND id <> @dictionary)').pluck()
  const dropOtherBuilds: KeptDocumentStatements['dropOtherBuilds'] = db.prepare(`DELETE FROM token_documents
    WHERE token_id = @tokenId AND dictionary IN (SELECT id FROM document_dictionaries WHERE token_key = @tokenKey AND id <> @dictionary)`)
  const keepDocument: KeptDocumentStatements['keepDocument'] = db.prepare(`
    INSERT INTO token_documents (dictionary, token_id, data_key, meta_contract_id, etag, body)
    SELECT @dictionary, @tokenId, @dataKey, @metaContractId, @etag, @body
    WHERE @heads IS (SELECT group_concat(head_cid, ',' ORDER BY head_cid) FROM slots WHERE data_key = @dataKey AND meta_contract_id = @metaContractId)
    ON CONFLICT (dictionary, token_id) DO UPDATE SET data_key = excluded.data_key, meta_contract_id = excluded.meta_contract_id,
      etag = excluded.etag, body = excluded.body`)
  // Per bound collection, its kept token count (migration 15) against its current documents: a
  // range of the documents' key, read in order, where the walk seeks each token (20 against
  // 200–280 ms of CPU at 100,000 tokens).
  const incompleteCollections: KeptDocumentStatements['incompleteCollections'] = db.prepare<[string], number>(`
    SELECT count(*) FROM collection_totals c JOIN contract_bindings b ON b.token_key = c.token_key
    WHERE c.tokens <> (SELECT count(*) FROM token_documents d
      WHERE d.dictionary = (SELECT id FROM document_dictionaries WHERE token_key = c.token_key AND formatter = ?) AND d.meta_contract_id = b.meta_contract_id)`).pluck()
  return { codec: new KeptDocumentCodec(db), keptOfToken, slotsToKeepAfter, unkeptSpan, incompleteCollections, hasOtherBuilds, dropOtherBuilds, keepDocument }
}

const instances = new WeakMap<Database, LedgerReads>()

/** The read model of a connection, made (and its statements prepared) on the first call. */
export function ledgerReads (db: Database): LedgerReads {
  let reads = instances.get(db)
  if (reads === undefined) {
    reads = new LedgerReads(db)
    instances.set(db, reads)
  }
  return reads
}
