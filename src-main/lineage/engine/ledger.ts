import type { Database, Statement } from 'better-sqlite3'
import type { BindingRow, ReceiptRow, SlotRow, TransactionMethod, TransactionRow, TransactionStatus } from './records.js'

type ReceiptTableRow = Omit<ReceiptRow, 'heads' | 'unchanged'> & { heads: string, unchanged: number }

/**
 * Above every character a nonce may hold (NONCE_PATTERN: 0-9, A-Z, a-z, "_", "-"; "z" is the
 * highest), so `prefix + NONCE_RANGE_END` bounds the nonces that start with `prefix`.
 */
const NONCE_RANGE_END = '~'

/**
 * The engine's tables through prepared statements. Synchronous, like the store: callers wrap
 * multi-row changes in `db.transaction()` so blocks, slot heads and the receipt commit together.
 */
export class Ledger {
  private readonly insertTx: Statement
  private readonly txByHash: Statement
  private readonly nonceUsed: Statement
  private readonly statusOfNonceRange: Statement
  private readonly pending: Statement
  private readonly pendingAfterSeq: Statement
  private readonly pendingOfCollection: Statement
  private readonly claimPending: Statement
  private readonly insertReceipt: Statement
  private readonly receiptByHash: Statement
  private readonly slotsOfToken: Statement
  private readonly slotByKey: Statement
  private readonly slotsOfVersion: Statement
  private readonly headsOfToken: Statement
  private readonly upsertSlot: Statement
  private readonly bindingByToken: Statement
  private readonly pendingBindingByToken: Statement
  private readonly upsertBinding: Statement
  private readonly latestOfToken: Statement
  private readonly latestOfCollection: Statement
  private readonly latestBinding: Statement

  constructor (readonly db: Database) {
    this.insertTx = db.prepare(`INSERT INTO transactions
      (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
      VALUES (@hash, @method, @meta_contract_id, @token_key, @data_key, @chain_id, @token_address, @token_id, @alias, @version, @public_key, @nonce, @data, @mcdata, @signature, @timestamp, 'pending')`)
    this.txByHash = db.prepare('SELECT * FROM transactions WHERE hash = ?')
    this.nonceUsed = db.prepare('SELECT hash FROM transactions WHERE public_key = ? AND nonce = ?')
    // One range of the UNIQUE (public_key, nonce) index.
    this.statusOfNonceRange = db.prepare('SELECT status, count(*) AS n FROM transactions WHERE public_key = ? AND nonce >= ? AND nonce < ? AND method = ? GROUP BY status')
    this.pending = db.prepare("SELECT * FROM transactions WHERE status = 'pending' ORDER BY seq LIMIT ?")
    this.pendingAfterSeq = db.prepare("SELECT seq, token_key, meta_contract_id FROM transactions WHERE status = 'pending' AND seq > ? ORDER BY seq LIMIT ?")
    // By the (token_key, seq) index: the pending index would walk every other collection's pending rows too.
    this.pendingOfCollection = db.prepare("SELECT * FROM transactions INDEXED BY transactions_token WHERE token_key = ? AND seq > ? AND status = 'pending' ORDER BY seq LIMIT ?")
    this.claimPending = db.prepare("UPDATE transactions SET status = ? WHERE hash = ? AND seq = ? AND status = 'pending'")
    // Receipts are keyed by their transaction's seq (migration 16); the view `receipts` reads them by hash.
    // By the seq `claim` just matched: no second lookup of the transaction by its hash.
    this.insertReceipt = db.prepare('INSERT INTO receipt_rows (seq, status, reason, heads, unchanged, timestamp) VALUES (?, ?, ?, ?, ?, ?)')
    this.receiptByHash = db.prepare('SELECT * FROM receipts WHERE hash = ?')
    this.slotsOfToken = db.prepare('SELECT * FROM slots WHERE data_key = ? AND meta_contract_id = ? ORDER BY public_key, alias, version')
    this.headsOfToken = db.prepare('SELECT head_cid FROM slots WHERE data_key = ? AND meta_contract_id = ? ORDER BY head_cid').pluck()
    this.slotsOfVersion = db.prepare('SELECT * FROM slots WHERE data_key = ? AND version = ? ORDER BY meta_contract_id, public_key, alias')
    this.slotByKey = db.prepare('SELECT * FROM slots WHERE data_key = ? AND meta_contract_id = ? AND public_key = ? AND alias = ? AND version = ?')
    this.upsertSlot = db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES (@data_key, @meta_contract_id, @public_key, @alias, @version, @token_key, @token_id, @head_cid, @loose, @last_tx, @updated_at)
      ON CONFLICT (data_key, meta_contract_id, public_key, alias, version)
      DO UPDATE SET head_cid = excluded.head_cid, loose = excluded.loose, last_tx = excluded.last_tx, updated_at = excluded.updated_at`)
    this.bindingByToken = db.prepare('SELECT * FROM contract_bindings WHERE token_key = ?')
    this.pendingBindingByToken = db.prepare("SELECT public_key, meta_contract_id FROM transactions WHERE token_key = ? AND method = 'contract' AND status = 'pending' ORDER BY seq LIMIT 1")
    this.upsertBinding = db.prepare(`INSERT INTO contract_bindings (token_key, chain_id, token_address, meta_contract_id, public_key, data, tx_hash, updated_at)
      VALUES (@token_key, @chain_id, @token_address, @meta_contract_id, @public_key, @data, @tx_hash, @updated_at)
      ON CONFLICT (token_key) DO UPDATE SET meta_contract_id = excluded.meta_contract_id, public_key = excluded.public_key, data = excluded.data, tx_hash = excluded.tx_hash, updated_at = excluded.updated_at`)
    this.latestOfToken = db.prepare('SELECT max(timestamp) FROM transactions WHERE data_key = ?').pluck()
    this.latestOfCollection = db.prepare('SELECT max(timestamp) FROM transactions WHERE token_key = ?').pluck()
    this.latestBinding = db.prepare("SELECT max(timestamp) FROM transactions WHERE token_key = ? AND method = 'contract'").pluck()
  }

  addPending (tx: Omit<TransactionRow, 'seq' | 'status'>): void {
    this.insertTx.run(tx)
  }

  transaction (hash: string): TransactionRow | undefined {
    return this.txByHash.get(hash) as TransactionRow | undefined
  }

  /** The hash of the transaction that already used this nonce, if any. */
  nonceOwner (publicKey: string, nonce: string): string | undefined {
    return (this.nonceUsed.get(publicKey, nonce) as { hash: string } | undefined)?.hash
  }

  /** How the transactions of a key whose nonces start with `prefix` stand: pending, applied, rejected. */
  countsByNoncePrefix (publicKey: string, prefix: string, method: TransactionMethod): Record<TransactionStatus, number> {
    const counts: Record<TransactionStatus, number> = { pending: 0, applied: 0, rejected: 0 }
    for (const { status, n } of this.statusOfNonceRange.all(publicKey, prefix, prefix + NONCE_RANGE_END, method) as Array<{ status: TransactionStatus, n: number }>) counts[status] = n
    return counts
  }

  pendingTransactions (limit: number): TransactionRow[] {
    return this.pending.all(limit) as TransactionRow[]
  }

  /** Where pending transactions wait, after `seq`, in arrival order: which collection and contract each is of. */
  pendingAfter (seq: number, limit: number): Array<Pick<TransactionRow, 'seq' | 'token_key' | 'meta_contract_id'>> {
    return this.pendingAfterSeq.all(seq, limit) as Array<Pick<TransactionRow, 'seq' | 'token_key' | 'meta_contract_id'>>
  }

  /** One collection's pending transactions after `seq`, in arrival order. */
  pendingOf (tokenKey: string, seq: number, limit: number): TransactionRow[] {
    return this.pendingOfCollection.all(tokenKey, seq, limit) as TransactionRow[]
  }

  /**
   * Ends a transaction loaded as pending with `seq` with its status, if it is still waiting there:
   * false when a rewind (convergence.ts) has queued it again, under a new seq, while it was being
   * decided. One statement for the check and the write. Call inside the db.transaction that then
   * writes its blocks, slots and receipt (`addReceipt`).
   */
  claim (hash: string, seq: number, status: 'applied' | 'rejected'): boolean {
    return this.claimPending.run(status, hash, seq).changes === 1
  }

  /**
   * The newest signed timestamp a new transaction of the token must follow: of the token's
   * transactions and its collection's bindings (of all the collection's, for data_key ''), if any.
   */
  latestTimestamp (tokenKey: string, dataKey: string): number | undefined {
    if (dataKey === '') return (this.latestOfCollection.get(tokenKey) as number | null) ?? undefined
    const token = this.latestOfToken.get(dataKey) as number | null
    const binding = this.latestBinding.get(tokenKey) as number | null
    if (token === null) return binding ?? undefined
    return binding === null ? token : Math.max(token, binding)
  }

  /**
   * A claimed transaction's one receipt, under the seq `claim` matched. Call inside the same
   * db.transaction as `claim` and its writes (receipt_rows.seq references transactions.seq).
   */
  addReceipt (seq: number, status: 'applied' | 'rejected', reason: string, heads: string[], unchanged: boolean, now: number): void {
    this.insertReceipt.run(seq, status, reason, JSON.stringify(heads), unchanged ? 1 : 0, now)
  }

  receipt (hash: string): ReceiptRow | undefined {
    const row = this.receiptByHash.get(hash) as ReceiptTableRow | undefined
    return row === undefined ? undefined : { ...row, heads: JSON.parse(row.heads) as string[], unchanged: row.unchanged === 1 }
  }

  slots (dataKey: string, metaContractId: string): SlotRow[] {
    return this.slotsOfToken.all(dataKey, metaContractId) as SlotRow[]
  }

  /** The head CIDs of a token's slots, sorted: they change exactly when its document can. */
  heads (dataKey: string, metaContractId: string): string[] {
    return this.headsOfToken.all(dataKey, metaContractId) as string[]
  }

  /** Every slot of a token at one version, across contracts and writers (the original's get_metadatas). */
  slotsAtVersion (dataKey: string, version: string): SlotRow[] {
    return this.slotsOfVersion.all(dataKey, version) as SlotRow[]
  }

  slot (dataKey: string, metaContractId: string, publicKey: string, alias: string, version: string): SlotRow | undefined {
    return this.slotByKey.get(dataKey, metaContractId, publicKey, alias, version) as SlotRow | undefined
  }

  putSlot (slot: SlotRow): void {
    this.upsertSlot.run(slot)
  }

  binding (tokenKey: string): BindingRow | undefined {
    return this.bindingByToken.get(tokenKey) as BindingRow | undefined
  }

  /** The earliest binding accepted but not yet applied: the one the validator will apply first. */
  pendingBinding (tokenKey: string): Pick<BindingRow, 'public_key' | 'meta_contract_id'> | undefined {
    return this.pendingBindingByToken.get(tokenKey) as Pick<BindingRow, 'public_key' | 'meta_contract_id'> | undefined
  }

  putBinding (binding: BindingRow): void {
    this.upsertBinding.run(binding)
  }
}
