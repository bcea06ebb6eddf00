import { EventEmitter } from 'node:events'
import type { Logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { decodeVersionBlock, walkHistory } from '../../dag/index.js'
import type { JsonValue } from '../../dag/index.js'
import type { ContractSandbox } from '../../marine/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import { canonicalPublicKey, canonicalSlotKey, checkSignedTransaction, encodeSignature, InvalidTransactionError, MAX_CLOCK_SKEW_MS, prepareTransaction, SignerMismatchError } from '../signing/index.js'
import type { PreparedTransaction, TransactionSigner } from '../signing/index.js'
import { BoundedMap } from '../../util/index.js'
import { TOKEN_KEY_CACHE_SIZE } from './constants.js'
import { Convergence, RewindPlan } from './convergence.js'
import type { Rewind } from './convergence.js'
import { BindingOwnerError, CloneSourceError, CollectionNotBoundError, EquivocatingSignerError, LineageStoppedError, MetaContractMismatchError, ReplayedTransactionError, UnknownMetaContractError } from './errors.js'
import { dryRunGate, dryRunMetadata } from './dry-run.js'
import type { DryRunResult, MetadataCandidate } from './dry-run.js'
import { Ledger } from './ledger.js'
import type { BindingAuthority, BindingRow, ChainFactSource, ReceiptRow, SlotRow, TokenChainFacts, TransactionMethod, TransactionRow, TransactionStatus } from './records.js'
import { Validator } from './validator.js'
import { MintWriter } from './mint-writes.js'
import { CardWriter } from '../browse/index.js'
import type { Outcome } from './validator.js'
import { blockToName, withJudgingBlock } from './sign-at-block.js'
import type { JudgingBlockSource } from './sign-at-block.js'

/** token_key and data_key, as the protocol derives them (the `keys` Marine service). */
export interface KeyDerivation {
  tokenKey(chainId: string, tokenAddress: string): string
  dataKey(chainId: string, tokenAddress: string, tokenId: string): string
}

export interface LineageComponents {
  store: Store
  blockstore: SqliteBlockstore
  sandbox: ContractSandbox
  keys: KeyDerivation
  log: Logger
}

export interface PublishOptions {
  /**
   * The transactions were accepted by another node first (a CAR archive, replication), in any
   * order. Fields, limits, signature and nonce are checked; what depends on state that may not
   * have arrived yet (the binding, its owner, the contract it names) and the clock are not: the
   * validator decides those, in canonical order (convergence.ts). One already held is a no-op.
   */
  replicated?: boolean
}

/**
 * One request's result in `publishBatch`: its hash, or why it was refused (nothing stored).
 * `known`: a replicated transaction this node already held; nothing new was stored.
 */
export type PublishResult = { hash: string, error?: undefined, known?: true } | { hash?: undefined, error: Error, known?: undefined }

/** A checked request, as the ledger stores it pending. */
type PendingTransaction = Omit<TransactionRow, 'seq' | 'status'>

/** The keys a request is stored under: its collection's, and its token's ('' for a binding). */
interface ScopeKeys { tokenKey: string, dataKey: string }

/** What the binding rules of a request read of its collection's binding, applied or pending. */
type CheckedBinding = Pick<BindingRow, 'public_key' | 'meta_contract_id'>

/** A replicated transaction this node already holds. */
interface KnownTransaction { known: true, hash: string }

export interface LineageEvents {
  applied: [Outcome]
  rejected: [Outcome]
  /** A late transaction set a token or collection back to pending: drop what is cached of it. */
  rewound: [Rewind]
}

export interface SlotVersion {
  cid: string
  timestamp: number
  content: JsonValue
  transaction: { hash: string, timestamp: number, meta_contract_id: string, method: string }
}

export interface SlotWithContent extends SlotRow {
  content: JsonValue
}

/** Slots of one token, as the reads and the formatter need them. */
export interface SlotKey {
  data_key: string
  meta_contract_id: string
  public_key: string
  alias: string
  version: string
}

/**
 * The Lineage engine: accepts signed transactions, and applies them through the governing meta
 * contract with the validator. Only the validator changes state; everything else here reads.
 */
export class Lineage extends EventEmitter<LineageEvents> {
  private readonly ledger: Ledger
  private readonly convergence: Convergence
  private readonly validator: Validator
  private readonly cards: CardWriter
  private readonly mints: MintWriter
  private chain: ChainFactSource | undefined
  private started = false
  /** The browse index's start-up rebuild, when a migration asked for one (runs in the background). */
  private indexing: { controller: AbortController, done: Promise<void> } | undefined
  private readonly tokenKeys = new BoundedMap<string, string>(TOKEN_KEY_CACHE_SIZE)
  private readonly dryRuns = dryRunGate()
  /**
   * While a batch is checked (synchronously, so nothing else writes meanwhile), the binding each
   * collection's requests were checked against: one read per collection rather than per request.
   * Storing a binding in the batch drops its collection's entry.
   */
  private batchBindings: Map<string, CheckedBinding | undefined> | undefined

  constructor (private readonly components: LineageComponents) {
    super()
    this.ledger = new Ledger(components.store.db)
    this.convergence = new Convergence(components.store.db)
    this.cards = new CardWriter(components.store.db, components.blockstore, components.log)
    this.validator = new Validator({
      cards: this.cards,
      ledger: this.ledger,
      blockstore: components.blockstore,
      sandbox: components.sandbox,
      log: components.log,
      now: () => Date.now(),
      onOutcome: outcome => { this.tell(outcome) },
      chainFacts: tx => this.chainFacts(tx),
      waits: tx => this.waitsForChain(tx),
      bindingAuthority: async tx => await this.bindingAuthority(tx),
    })
    this.mints = new MintWriter({
      db: components.store.db,
      ledger: this.ledger,
      blockstore: components.blockstore,
      sandbox: components.sandbox,
      cards: this.cards,
      log: components.log,
      tokenKey: (c, a) => this.tokenKey(c, a),
      dataKey: (c, a, t) => this.dataKey(c, a, t),
      changed: (tokenKey, dataKey) => { this.tellRewound({ token_key: tokenKey, data_key: dataKey, transactions: 0 }) },
    })
  }

  /**
   * Gives the engine the chain (the node's chain watcher, made after the engine): contracts that
   * take them see the chain facts in on_execute, and owner() decides who binds a collection on a
   * configured chain. Without it every collection is "unwatched" and the first binder's rule holds.
   */
  useChain (chain: ChainFactSource): void {
    this.chain = chain
    // A write waiting for a block (chain_block) goes on once the watcher has applied it.
    chain.onAdvance?.(() => { this.validator.notify() })
  }

  /** on_mint: what the chain watcher calls for each range's confirmed mints (mint-writes.ts). */
  get mintWriter (): MintWriter {
    return this.mints
  }

  /** What the node's own holder writes name as their judging block (sign-at-block.ts). */
  private readonly judgingBlocks: JudgingBlockSource = {
    takesChainFacts: id => this.components.sandbox.takesChainFacts?.(id) ?? false,
    lastAppliedBlock: (chainId, address) => this.chain?.lastAppliedBlock?.(chainId, address) ?? null,
  }

  /**
   * The judging block a metadata write through `metaContractId` to the collection should name in
   * its mcdata (`{"chain_block": N}`), as the node's own signing paths do; null for none.
   */
  judgingBlockFor (chainId: string, tokenAddress: string, metaContractId: string): number | null {
    return blockToName(this.judgingBlocks, chainId, tokenAddress, metaContractId)
  }

  /** Given to every contract; the sandbox leaves them out for one built with the original's Transaction. */
  private chainFacts (tx: Pick<TransactionRow, 'chain_id' | 'token_address' | 'token_id' | 'method' | 'mcdata'>): TokenChainFacts {
    const block = judgingBlock(tx)
    if (block !== undefined && this.chain?.factsForJudging !== undefined) {
      const facts = this.chain.factsForJudging(tx.chain_id, tx.token_address, tx.token_id, block)
      // Not reached while waiting (waitsForChain holds the write back); unknown if it ever is.
      return facts === 'wait' ? { token_state: 'unwatched', token_owner: '' } : facts
    }
    return this.chain?.tokenFacts(tx.chain_id, tx.token_address, tx.token_id) ?? { token_state: 'unwatched', token_owner: '' }
  }

  /** Whether a write names a block (chain_block) this node's watcher has not applied yet: it waits. */
  private waitsForChain (tx: TransactionRow): boolean {
    const block = judgingBlock(tx)
    if (block === undefined || this.chain?.factsForJudging === undefined) return false
    return this.chain.factsForJudging(tx.chain_id, tx.token_address, tx.token_id, block) === 'wait'
  }

  private async bindingAuthority (tx: TransactionRow): Promise<BindingAuthority> {
    const chain = this.chain
    if (chain === undefined || !chain.configured(tx.chain_id)) return { owner: null, block: null }
    return await chain.bindingAuthority(tx.chain_id, tx.token_address)
  }

  /**
   * Tells every listener, each on its own: a listener that throws is logged and the others still
   * hear (a plain emit would stop at it, and a cache listening after it would keep stale data).
   */
  private tell (outcome: Outcome): void {
    for (const listener of this.rawListeners(outcome.status)) {
      try {
        listener(outcome)
      } catch (err) {
        this.components.log.error('a listener of the outcome of %s failed: %e', outcome.hash, err)
      }
    }
  }

  /** As `tell`, for a rewind: every cache listening must hear it. */
  private tellRewound (rewind: Rewind): void {
    this.components.log('rewound %d transactions of %s %s', rewind.transactions, rewind.data_key === undefined ? 'collection' : 'token', rewind.data_key ?? rewind.token_key)
    for (const listener of this.rawListeners('rewound')) {
      try {
        listener(rewind)
      } catch (err) {
        this.components.log.error('a listener of a rewind of %s failed: %e', rewind.token_key, err)
      }
    }
  }

  /** Starts the validator, which first applies whatever a crash left pending. */
  start (): void {
    if (!this.started && this.indexing === undefined) {
      const controller = new AbortController()
      const done = this.cards.rebuildIfAsked(controller.signal).catch((err: unknown) => {
        // The index is rebuilt at the next start (the request stays); reads meanwhile miss what it lacks.
        this.components.log.error('building the browse index failed: %e', err)
      })
      this.indexing = { controller, done }
    }
    this.started = true
    this.validator.notify()
  }

  async stop (): Promise<void> {
    this.started = false
    const indexing = this.indexing
    this.indexing = undefined
    indexing?.controller.abort()
    await indexing?.done
    await this.validator.stop()
  }

  /** Resolves once the browse index's start-up rebuild (if one was asked for) has ended. */
  async indexed (): Promise<void> {
    await this.indexing?.done
  }

  /** Resolves once every accepted transaction has its receipt. */
  async settled (): Promise<void> {
    await this.validator.idle()
  }

  /**
   * Checks a signed request completely (fields, limits, signature, nonce, method rules) and stores
   * it as pending, or throws saying why and stores nothing. Resolves to the transaction hash; the
   * receipt follows when the validator has applied it.
   */
  publish (raw: unknown): { hash: string } {
    const [result] = this.commitBatch([raw], r => this.checkSigned(r))
    if (result?.error !== undefined) throw result.error
    return { hash: result?.hash ?? '' }
  }

  /**
   * Publishes several signed requests in one SQLite transaction (one fsync for all). Each request
   * is checked exactly as `publish` checks it, in order, seeing the ones before it (a nonce used
   * twice in the batch is a replay); one that fails is not stored and its error is returned in
   * its place. Nothing is acknowledged before the commit: if it fails, this throws and none of
   * the batch is stored.
   */
  publishBatch (raws: readonly unknown[], options: PublishOptions = {}): PublishResult[] {
    const replicated = options.replicated === true
    return this.commitBatch(raws, raw => this.checkSigned(raw, replicated))
  }

  /**
   * Signs unsigned requests with one of the node's own keys and publishes them as `publishBatch`
   * does (same checks, one commit), the signatures made off this thread where the signer can
   * (ed25519 on the thread pool), so a bulk import signs on another core. A signature is made here,
   * from the very bytes whose hash is stored, by a key whose public key was derived from its
   * private key: verifying it again would prove nothing. Requests are checked before they are
   * signed (a refused one is never signed) and checked again when they are stored, since the
   * ledger may have changed while the signatures were made.
   */
  async signAndPublish (requests: readonly unknown[], signer: TransactionSigner): Promise<PublishResult[]> {
    if (!this.started) throw new LineageStoppedError()
    const raws = requests.map(raw => withJudgingBlock(raw, this.judgingBlocks))
    const canonical = canonicalPublicKey(signer.publicKey)
    // A nonce used twice in the batch is a replay of the first: it is refused when stored, unsigned.
    const nonces = new Set<string>()
    const early = this.withBatchBindings(() => raws.map((raw): { prepared: PreparedTransaction, keys: ScopeKeys, replay: boolean } | { error: Error } => {
      try {
        const prepared = prepareTransaction(raw)
        if (prepared.publicKey !== canonical) throw new SignerMismatchError(signer.publicKey, prepared.request.public_key)
        // The keys are derived once: they depend on the request alone, not on what the ledger holds.
        const keys = this.scopeKeys(prepared.request)
        this.admitWithKeys(prepared, keys, () => '')
        const replay = nonces.has(prepared.request.nonce)
        nonces.add(prepared.request.nonce)
        return { prepared, keys, replay }
      } catch (err) {
        if (isStorageError(err)) throw err
        return { error: err as Error }
      }
    }))
    // Each request is signed on its own: one signature that fails (a locked key, a signer's
    // error) is that request's error, never the whole batch's.
    const signatures = await Promise.all(early.map(async (e): Promise<string | Error> => {
      if (!('prepared' in e) || e.replay) return ''
      try {
        return encodeSignature(signer.type, signer.signAsync === undefined ? signer.sign(e.prepared.message) : await signer.signAsync(e.prepared.message))
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err))
      }
    }))
    const signed = early.map((e, k) => {
      const signature = signatures[k] ?? ''
      if (!('prepared' in e)) return e
      return typeof signature === 'string' ? { ...e, signature } : { error: signature }
    })
    return this.commitBatch(signed, item => {
      const e = item as (typeof signed)[number]
      if ('error' in e) throw e.error
      // A batch replay whose first use was refused after all: it stands on its own, so sign it now.
      return this.admitWithKeys(e.prepared, e.keys, () => e.signature !== '' ? e.signature : encodeSignature(signer.type, signer.sign(e.prepared.message)))
    })
  }

  /**
   * Stores the requests that pass `check` and, in the same SQLite transaction, rewinds what late
   * ones (older in canonical order than what their scope holds) require: once for the batch, so
   * a batch arriving out of order costs one rewind, and one in order none (convergence.ts).
   */
  private commitBatch (raws: readonly unknown[], check: (raw: unknown) => PendingTransaction | KnownTransaction): PublishResult[] {
    if (!this.started) throw new LineageStoppedError()
    const results: PublishResult[] = []
    let rewinds: Rewind[] = []
    this.withBatchBindings(() => this.components.store.db.transaction(() => {
      const plan = new RewindPlan()
      for (const raw of raws) {
        let row: PendingTransaction | KnownTransaction
        try {
          row = check(raw)
        } catch (err) {
          if (isStorageError(err)) throw err
          results.push({ error: err as Error })
          continue
        }
        if ('known' in row) {
          results.push({ hash: row.hash, known: true })
          continue
        }
        this.ledger.addPending(row)
        // A binding accepted now is what the collection's next requests are checked against.
        if (row.method === 'contract') this.batchBindings?.delete(row.token_key)
        this.convergence.place(row, plan)
        results.push({ hash: row.hash })
      }
      rewinds = plan.empty ? [] : this.convergence.rewind(plan)
    })())
    for (const rewind of rewinds) this.tellRewound(rewind)
    this.validator.notify()
    return results
  }

  /** Runs `check` (synchronous) with the batch's binding reads shared (batchBindings). */
  private withBatchBindings<T> (check: () => T): T {
    // Inside another batch's check (a nested transaction), its reads stand.
    if (this.batchBindings !== undefined) return check()
    this.batchBindings = new Map()
    try {
      return check()
    } finally {
      this.batchBindings = undefined
    }
  }

  /** Everything `publish` checks; the row to store as pending, or throws saying why. */
  private checkSigned (raw: unknown, replicated = false): PendingTransaction | KnownTransaction {
    const checked = checkSignedTransaction(raw)
    return this.admitWithKeys(checked, this.scopeKeys(checked.request), () => checked.request.signature, replicated)
  }

  /** The token_key and data_key ('' for a binding) a request is stored under. */
  private scopeKeys (request: PreparedTransaction['request']): ScopeKeys {
    return {
      tokenKey: this.tokenKey(request.chain_id, request.token_address),
      dataKey: request.method === 'contract' ? '' : this.components.keys.dataKey(request.chain_id, request.token_address, request.token_id),
    }
  }

  /**
   * The rules every new transaction meets, after its fields (and signature, if it came signed):
   * the clock, the binding, the contract, the nonce; `keys` come from `scopeKeys`. `signature` is
   * called only once they pass. A replicated one skips the clock and the binding rules, and may be
   * one already held.
   */
  private admitWithKeys (prepared: PreparedTransaction, { tokenKey, dataKey }: ScopeKeys, signature: () => string, replicated = false): PendingTransaction | KnownTransaction {
    const { request, hash } = prepared
    // One spelling per key (an EVM address in any letter case is one signer), so nonces and
    // ownership compare the same key however a client wrote it.
    const publicKey = prepared.publicKey
    const { sandbox } = this.components
    const ahead = request.timestamp - Date.now()
    if (!replicated && ahead > MAX_CLOCK_SKEW_MS) {
      throw new InvalidTransactionError('timestamp', `is ${Math.round(ahead / 1000)} s ahead of this node's clock; the limit is ${MAX_CLOCK_SKEW_MS / 60_000} minutes. Check the date and time of the computer that signed.`)
    }

    if (!sandbox.has(request.meta_contract_id)) throw new UnknownMetaContractError(request.meta_contract_id)
    // A replicated transaction's binding may not have arrived yet, or may arrive later with a
    // smaller key: the validator judges it, in canonical order.
    if (!replicated) this.checkBinding(request, tokenKey, publicKey)
    if (request.method === 'clone') checkCloneSource(request.mcdata)

    const used = this.ledger.nonceOwner(publicKey, request.nonce)
    if (used !== undefined) {
      // Replication delivers the same transaction more than once; a different one under a used
      // nonce is a signer that signed two things as one (the one case nodes keep different sets).
      if (!replicated) throw new ReplayedTransactionError(used)
      if (used === hash) return { known: true, hash }
      throw new EquivocatingSignerError(publicKey, request.nonce, used)
    }
    return {
      hash,
      method: request.method,
      meta_contract_id: request.meta_contract_id,
      token_key: tokenKey,
      data_key: dataKey,
      chain_id: request.chain_id,
      // Stored as the signed text names it (lower case), so every spelling of a contract address
      // is one collection in reads and searches; the signature still verifies, and the hash is the same.
      token_address: request.token_address.toLowerCase(),
      token_id: request.token_id,
      alias: request.alias,
      version: request.version,
      public_key: publicKey,
      nonce: request.nonce,
      data: request.data,
      mcdata: request.mcdata,
      signature: signature(),
      timestamp: request.timestamp,
    }
  }

  /** The binding rules of a local request, against the binding it will be applied under. */
  private checkBinding (request: PreparedTransaction['request'], tokenKey: string, publicKey: string): void {
    // A binding accepted but not applied yet counts: a client may publish a collection's binding
    // and its metadata back to back (or in one batch). The validator checks again when applying.
    let binding = this.batchBindings?.get(tokenKey)
    if (binding === undefined && this.batchBindings?.has(tokenKey) !== true) {
      binding = this.ledger.binding(tokenKey) ?? this.ledger.pendingBinding(tokenKey)
      this.batchBindings?.set(tokenKey, binding)
    }
    if (request.method === 'contract') {
      // On a configured chain the collection contract's owner() decides, when the binding is applied.
      if (binding !== undefined && binding.public_key !== publicKey && this.chain?.configured(request.chain_id) !== true) throw new BindingOwnerError(binding.public_key)
    } else {
      if (binding === undefined) throw new CollectionNotBoundError(tokenKey)
      if (binding.meta_contract_id !== request.meta_contract_id) throw new MetaContractMismatchError(request.meta_contract_id, binding.meta_contract_id)
    }
  }

  /**
   * What the collection's governing contract would say to a metadata write, without writing
   * anything (no transaction, nonce, block or receipt): the editor's live validation.
   */
  async dryRun (candidate: MetadataCandidate): Promise<DryRunResult> {
    return await dryRunMetadata({ ledger: this.ledger, sandbox: this.components.sandbox, gate: this.dryRuns, chainFacts: tx => this.chainFacts({ ...tx, method: 'metadata', mcdata: '' }), tokenKey: (c, a) => this.tokenKey(c, a), dataKey: (c, a, t) => this.dataKey(c, a, t) }, candidate)
  }

  transaction (hash: string): TransactionRow | undefined {
    return this.ledger.transaction(hash)
  }

  receipt (hash: string): ReceiptRow | undefined {
    return this.ledger.receipt(hash)
  }

  /**
   * How the `method` transactions signed by `publicKey` whose nonces start with `noncePrefix` stand,
   * as committed: one index range, so a bulk import reads its progress back from the ledger.
   */
  transactionCounts (publicKey: string, noncePrefix: string, method: TransactionMethod): Record<TransactionStatus, number> {
    return this.ledger.countsByNoncePrefix(publicKey, noncePrefix, method)
  }

  binding (tokenKey: string): BindingRow | undefined {
    return this.ledger.binding(tokenKey)
  }

  /** Remembered: a collection's key is asked for on every publish (a map hit costs less than the hash). */
  tokenKey (chainId: string, tokenAddress: string): string {
    return this.tokenKeys.getOrSet(`${chainId}\n${tokenAddress}`, () => this.components.keys.tokenKey(chainId, tokenAddress))
  }

  /**
   * A timestamp for a request this node signs now, when the caller chose none: after what the
   * node holds for the token and its collection's bindings (the whole collection, for a binding),
   * so an edit made after seeing a replicated one wins even on a slow clock, and a write signed
   * right after its binding is ordered after it; never further ahead than any node accepts.
   */
  timestampFor (target: { method: string, chain_id: string, token_address: string, token_id: string }): number {
    const now = Date.now()
    const dataKey = target.method === 'contract' ? '' : this.dataKey(target.chain_id, target.token_address, target.token_id)
    const latest = this.ledger.latestTimestamp(this.tokenKey(target.chain_id, target.token_address), dataKey)
    return latest === undefined ? now : Math.max(now, Math.min(latest + 1, now + MAX_CLOCK_SKEW_MS))
  }

  dataKey (chainId: string, tokenAddress: string, tokenId: string): string {
    return this.components.keys.dataKey(chainId, tokenAddress, tokenId)
  }

  /** The current slots of a token under a contract, each with its head's content. */
  slots (dataKey: string, metaContractId: string): SlotWithContent[] {
    return this.ledger.slots(dataKey, metaContractId).map(slot => ({ ...slot, content: this.headContent(slot) }))
  }

  /** The head CIDs of a token's slots under a contract, sorted; cheap (no block is read). */
  slotHeads (dataKey: string, metaContractId: string): string[] {
    return this.ledger.heads(dataKey, metaContractId)
  }

  /** Every slot of a token at one version, across contracts and writers, each with its content. */
  slotsAtVersion (dataKey: string, version: string): SlotWithContent[] {
    return this.ledger.slotsAtVersion(dataKey, version).map(slot => ({ ...slot, content: this.headContent(slot) }))
  }

  /** One slot; an EVM public_key (and an alias that is that key) may be written in any case. */
  slot (key: SlotKey): SlotWithContent | undefined {
    const { public_key: publicKey, alias } = canonicalSlotKey(key)
    const slot = this.ledger.slot(key.data_key, key.meta_contract_id, publicKey, alias, key.version)
    return slot === undefined ? undefined : { ...slot, content: this.headContent(slot) }
  }

  /** Every version of a slot, newest first, following `previous` links from its head. */
  async history (slot: SlotRow, options: { signal?: AbortSignal, limit?: number } = {}): Promise<SlotVersion[]> {
    const versions: SlotVersion[] = []
    for await (const { cid, block } of walkHistory(this.components.blockstore, CID.parse(slot.head_cid), options)) {
      versions.push({
        cid: cid.toString(),
        timestamp: block.timestamp,
        content: block.content,
        transaction: { hash: block.transaction.hash, timestamp: block.transaction.timestamp, meta_contract_id: block.transaction.meta_contract_id, method: block.transaction.method },
      })
    }
    return versions
  }

  private headContent (slot: SlotRow): JsonValue {
    return this.contentOf(slot.head_cid)
  }

  /** The content of a slot's head (a version block this node holds), as the reads answer it. */
  contentOf (headCid: string): JsonValue {
    const cid = CID.parse(headCid)
    // Without rebuilding and decoding the block (two thirds of a slot read): parsed from the
    // transaction's row when the contract wrote the data unchanged, else decoded alone.
    const content = this.components.blockstore.versionContentSync(cid)
    if (content !== undefined) return content
    const bytes = this.components.blockstore.getSync(cid)
    // A head without its block means the database lost data; say which block rather than guess.
    if (bytes === undefined) throw new Error(`block ${headCid} (head of a slot) is missing from the blockstore`)
    return decodeVersionBlock(bytes).content
  }
}

/** A failure of SQLite itself (better-sqlite3 sets an SQLITE_* code), as opposed to a refused request. */
function isStorageError (err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('SQLITE_')
}

function checkCloneSource (mcdata: string): void {
  let source: unknown
  try {
    source = JSON.parse(mcdata)
  } catch {
    throw new CloneSourceError('for clone, mcdata must be JSON naming the slot to copy: {"public_key": …, "alias": …, "version": …}')
  }
  const s = source as Record<string, unknown>
  if (typeof source !== 'object' || source === null || typeof s.public_key !== 'string' || typeof s.alias !== 'string' || typeof s.version !== 'string') {
    throw new CloneSourceError('for clone, mcdata must name the slot to copy: {"public_key": …, "alias": …, "version": …}')
  }
}

/**
 * The block a metadata write's chain facts are judged at: `chain_block` in its mcdata (a JSON
 * object; mcdata is signed, so the signer fixes it and every node judges alike). Undefined for a
 * write that names none, which is judged at each node's last applied block, as before.
 */
export function judgingBlock (tx: Pick<TransactionRow, 'method' | 'mcdata'>): number | undefined {
  if (tx.method !== 'metadata' || !tx.mcdata.startsWith('{')) return undefined
  try {
    const block = (JSON.parse(tx.mcdata) as { chain_block?: unknown }).chain_block
    return typeof block === 'number' && Number.isSafeInteger(block) && block >= 0 ? block : undefined
  } catch {
    return undefined
  }
}
