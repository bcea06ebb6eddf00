import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import type { Lineage, Outcome, Rewind } from '../../lineage/engine/index.js'
import { formatTokenDocument } from '../../marine/index.js'
import type { MetadataFormatter } from '../../marine/index.js'
import { DOCUMENT_ADMISSION_BITS, REFRESH_MAX_TOKENS } from './constants.js'
import { DocumentCache } from './document-cache.js'
import type { CachedDocument } from './document-cache.js'
import { Doorkeeper } from './doorkeeper.js'
import { KeyMemo } from './key-memo.js'
import type { DocumentStore } from './stored-documents.js'

/** What the gateway needs of a collection's binding. */
export interface Collection {
  tokenKey: string
  chainId: string
  tokenAddress: string
  metaContractId: string
}

export interface TokenDocumentsComponents {
  lineage: Lineage
  formatter: MetadataFormatter
  /** Keeps every document made here across restarts. */
  stored: DocumentStore
}

/** What changed since the background formatter last looked: tokens (by data_key), or whole collections. */
export interface Changes {
  /** data_key → token_key of tokens whose slots changed. */
  tokens: Map<string, string>
  /** A binding changed or a collection was rewound: its tokens are found again by a walk of the slots. */
  collections: boolean
}

export interface TokenDocumentsInit {
  /** Token documents kept in memory (found or missing). */
  maxDocuments: number
  /** Memory they may be counted as (`entryBytes`); no byte limit when absent. */
  maxBytes?: number
  /** Collections and key derivations kept. */
  maxKeys: number
  /** Changed tokens remembered one by one; past this a refresh walks the slots instead. */
  maxChanges?: number
  /** Bits of the doorkeeper that lets a kept document into the cache on its second read (`Doorkeeper`). */
  admissionBits?: number
}

/** The formatter refused the token's slots; not cached, every read says so again. */
export interface FormatFailure {
  readonly found: false
  readonly error: string
}

/**
 * Formatted tokenURI documents, kept in memory and dropped the moment the engine applies a
 * transaction that changes them: a metadata or clone transaction drops its token, a binding drops
 * its whole collection. The engine emits 'applied' synchronously right after the commit, and a
 * document is read and formatted synchronously, so no read can slip in between a change and its
 * invalidation. A cached read therefore touches neither SQLite nor Marine; a read the cache
 * misses is one SQLite statement for the kept document (DocumentStore), and only a token with no
 * current kept document is formatted.
 */
export class TokenDocuments {
  private readonly cache: DocumentCache
  private readonly admission: Doorkeeper
  private readonly keys: KeyMemo
  /** chain id and address, as requests write them → token_key. */
  private readonly tokenKeys = new Map<string, string>()
  /** token_key → its binding, or null while unbound. */
  private readonly collections = new Map<string, Collection | null>()
  private subscribed = false
  private served = 0
  private changes: Changes = { tokens: new Map(), collections: false }
  /** Called after each change, so the owner can schedule the documents to be made again. */
  onChange: () => void = () => {}

  constructor (private readonly components: TokenDocumentsComponents, private readonly init: TokenDocumentsInit) {
    this.cache = new DocumentCache(init.maxDocuments, init.maxBytes)
    this.admission = new Doorkeeper(init.admissionBits ?? DOCUMENT_ADMISSION_BITS)
    this.keys = new KeyMemo(components.lineage, init.maxKeys)
  }

  /** Starts following the engine; until then nothing is cached. Idempotent. */
  start (): void {
    if (this.subscribed) return
    this.subscribed = true
    // First in line: a listener that throws before ours would leave a stale document served.
    this.components.lineage.prependListener('applied', this.onApplied)
    this.components.lineage.prependListener('rewound', this.onRewound)
  }

  /** Stops following the engine and forgets everything, since changes would go unseen. Idempotent. */
  stop (): void {
    if (!this.subscribed) return
    this.subscribed = false
    this.components.lineage.off('applied', this.onApplied)
    this.components.lineage.off('rewound', this.onRewound)
    this.collections.clear()
    this.cache.clear()
    this.changes = { tokens: new Map(), collections: false }
    this.components.stored.flush()
  }

  /** Changes since the last call, handed over once. */
  takeChanges (): Changes {
    const changes = this.changes
    this.changes = { tokens: new Map(), collections: false }
    return changes
  }

  /** The collection a request names (chain id and address as written), or undefined when unbound. */
  collectionAt (chainId: string, tokenAddress: string): Collection | undefined {
    const written = `${chainId}/${tokenAddress}`
    let tokenKey = this.tokenKeys.get(written)
    if (tokenKey === undefined) {
      tokenKey = this.components.lineage.tokenKey(chainId, tokenAddress)
      // A key never goes stale, so no recency is kept: the map starts over if it ever fills.
      if (this.tokenKeys.size >= this.init.maxKeys) this.tokenKeys.clear()
      this.tokenKeys.set(written, tokenKey)
    }
    return this.collection(tokenKey)
  }

  /** The collection bound under a token_key, or undefined when none is. */
  collection (tokenKey: string): Collection | undefined {
    let collection = this.collections.get(tokenKey)
    if (collection === undefined) {
      const binding = this.components.lineage.binding(tokenKey)
      collection = binding === undefined
        ? null
        : { tokenKey, chainId: binding.chain_id, tokenAddress: binding.token_address, metaContractId: binding.meta_contract_id }
      if (this.subscribed) this.remember(tokenKey, collection)
    }
    return collection ?? undefined
  }

  /** A token's document (tokenId canonical decimal), formatted only if no current one is cached or kept. */
  document (collection: Collection, tokenId: string): CachedDocument | FormatFailure {
    this.served++
    const cached = this.cache.get(collection.tokenKey, tokenId)
    if (cached !== undefined) return cached
    const kept = this.components.stored.current(collection.tokenKey, tokenId, collection.metaContractId)
    if (kept !== undefined) {
      const document: CachedDocument = { found: true, tokenKey: collection.tokenKey, dataKey: kept.dataKey, etag: kept.etag, json: kept.json }
      // Held only once read again soon: a read that misses is one indexed SQLite read anyway.
      if (this.subscribed && this.admission.admit(collection.tokenKey, tokenId)) this.cache.set(tokenId, document)
      return document
    }
    return this.build(collection, tokenId, this.keys.dataKey(collection.chainId, collection.tokenAddress, tokenId))
  }

  /**
   * Makes and keeps (in SQLite) the document of a token that has no current kept one, from one of
   * its slot rows (whose keys spare the two Marine derivations), so that no later read formats it.
   * Not cached: the cache holds what readers ask for. A slot under a contract the collection is no
   * longer bound to is skipped. Returns whether it formatted.
   */
  keep (tokenKey: string, tokenId: string, dataKey: string, metaContractId: string): boolean {
    if (!this.subscribed) return false
    const collection = this.collection(tokenKey)
    if (collection?.metaContractId !== metaContractId || this.cache.hasDataKey(dataKey)) return false
    this.build(collection, tokenId, dataKey, undefined, false)
    return true
  }

  /**
   * Makes (and keeps) a changed token's document again, ahead of its next read, unless it was read
   * (and so made) meanwhile. Cached only while the cache has room: it never pushes out what
   * readers asked for.
   */
  refresh (tokenKey: string, dataKey: string): void {
    const collection = this.collection(tokenKey)
    if (collection === undefined || this.cache.hasDataKey(dataKey)) return
    const slots = this.components.lineage.slots(dataKey, collection.metaContractId)
    const tokenId = slots[0]?.token_id
    if (tokenId !== undefined) this.build(collection, tokenId, dataKey, slots, !this.cache.isFull)
  }

  /** Reads served so far (background work gives way while this moves). */
  get reads (): number {
    return this.served
  }

  /** Documents held in memory, found and missing. */
  get size (): number {
    return this.cache.size
  }

  /** Memory the held documents are counted as (`entryBytes`). */
  get bytes (): number {
    return this.cache.bytes
  }

  private build (collection: Collection, tokenId: string, dataKey: string, slots = this.components.lineage.slots(dataKey, collection.metaContractId), cache = true): CachedDocument | FormatFailure {
    const { formatter, stored } = this.components
    let document: CachedDocument
    if (slots.length === 0) {
      document = { found: false, tokenKey: collection.tokenKey, dataKey }
    } else {
      const result = formatTokenDocument(formatter, tokenId, slots)
      if (!result.ok) return { found: false, error: result.error }
      // Sorted as SQLite sorts them (CIDs are ASCII), so the ETag is what slotHeads() would give.
      const heads = slots.map(s => s.head_cid).sort().join(',')
      const etag = `"${bytesToHex(sha256(new TextEncoder().encode(heads))).slice(0, 32)}"`
      document = { found: true, tokenKey: collection.tokenKey, dataKey, etag, json: result.json }
      if (this.subscribed) stored.save({ dataKey, tokenKey: collection.tokenKey, tokenId, metaContractId: collection.metaContractId, heads, etag, json: result.json })
    }
    if (this.subscribed && cache) this.cache.set(tokenId, document)
    return document
  }

  private remember (tokenKey: string, collection: Collection | null): void {
    // Oldest out: a binding is one indexed query away, so recency is not worth tracking here.
    if (this.collections.size >= this.init.maxKeys) {
      const oldest = this.collections.keys().next().value
      if (oldest !== undefined) this.collections.delete(oldest)
    }
    this.collections.set(tokenKey, collection)
  }

  private readonly onApplied = (outcome: Outcome): void => {
    if (outcome.method === 'contract') {
      // A (re)binding may name another contract, whose slots make different documents.
      this.collections.delete(outcome.token_key)
      this.cache.dropCollection(outcome.token_key)
      this.changes.collections = true
    } else {
      this.cache.dropToken(outcome.data_key)
      this.noteToken(outcome.data_key, outcome.token_key)
    }
    this.onChange()
  }

  /**
   * A late replicated transaction set a token (or a whole collection, binding included) back to
   * pending: its slots are gone until applied again, and may end otherwise (even all rejected,
   * which no 'applied' would announce).
   */
  private readonly onRewound = (rewind: Rewind): void => {
    if (rewind.data_key === undefined) {
      this.collections.delete(rewind.token_key)
      this.cache.dropCollection(rewind.token_key)
      this.changes.collections = true
    } else {
      this.cache.dropToken(rewind.data_key)
      this.noteToken(rewind.data_key, rewind.token_key)
    }
    this.onChange()
  }

  /**
   * An EIP-4906 announcement read from the chain: the held documents of those tokens are dropped,
   * so the next read is made from the slots again. Documents follow the slots already, so this
   * only matters when they might not (a formatter reading something else); it costs a scan of the
   * held entries for a range, never a step per id. Answers how many documents went.
   */
  announced (chainId: number, address: string, from: string, to: string | null): number {
    let dropped = 0
    for (const tokenKey of this.tokenKeysOf(String(chainId), address.toLowerCase())) {
      dropped += to === null ? (this.cache.dropId(tokenKey, from) ? 1 : 0) : this.cache.dropRange(tokenKey, BigInt(from), BigInt(to))
    }
    return dropped
  }

  /** The token_keys a collection may be held under: requests and bindings may spell its address in any case. */
  private tokenKeysOf (chainId: string, lower: string): Set<string> {
    const keys = new Set([this.components.lineage.tokenKey(chainId, lower)])
    for (const [written, tokenKey] of this.tokenKeys) if (written.toLowerCase() === `${chainId}/${lower}`) keys.add(tokenKey)
    for (const [tokenKey, c] of this.collections) if (c !== null && c.chainId === chainId && c.tokenAddress.toLowerCase() === lower) keys.add(tokenKey)
    return keys
  }

  /** Remembers a changed token, or once too many are (a bulk import), that the slots need a walk. */
  private noteToken (dataKey: string, tokenKey: string): void {
    if (this.changes.collections) return
    this.changes.tokens.set(dataKey, tokenKey)
    if (this.changes.tokens.size > (this.init.maxChanges ?? REFRESH_MAX_TOKENS)) {
      this.changes.tokens.clear()
      this.changes.collections = true
    }
  }
}
