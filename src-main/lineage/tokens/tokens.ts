import type { CID } from 'multiformats/cid'
import type { JsonValue } from '../../dag/index.js'
import { formatTokenDocument } from '../../marine/index.js'
import type { MetadataFormatter } from '../../marine/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import type { BindingRow, KeyDerivation, SlotKey, SlotRow } from '../engine/index.js'
import { canonicalSlotKey } from '../signing/index.js'
import { DEFAULT_HISTORY_PAGE, DEFAULT_TOKEN_PAGE } from './constants.js'
import { diffContent } from './diff.js'
import type { ContentChange } from './diff.js'
import { HistoryCursorError, UnknownCollectionError } from './errors.js'
import { TokenTables, tokenOrderKey } from './tables.js'
import type { ReceiptCounts, TokenSummary, TransactionSummaryRow } from './tables.js'
import { parseVersionCid, readVersion } from './versions.js'

export interface TokensComponents {
  store: Store
  blockstore: SqliteBlockstore
  /** token_key / data_key derivation (the engine, through the Marine `keys` service). */
  keys: KeyDerivation
  /** Builds `metadata` in `token()`, as the gateway does; without it `metadata` is null. */
  formatter?: MetadataFormatter
  /**
   * The formatter build's id as the gateway keeps documents under it (token_documents.formatter):
   * `token()` then answers a kept current document instead of formatting again.
   */
  formatterId?: string
}

/** A token by its data_key, or by chain, contract address and token id. */
export type TokenRef = { data_key: string } | { chain_id: string, token_address: string, token_id: string }
/** A collection by its token_key, or by chain and contract address. */
export type CollectionRef = { token_key: string } | { chain_id: string, token_address: string }

export interface TokenSlot extends SlotRow {
  content: JsonValue
}

export interface TokenDetails {
  token_key: string
  data_key: string
  token_id: string
  /** From the collection's binding; null if it has none. */
  chain_id: string | null
  token_address: string | null
  binding: BindingRow | null
  /** Every slot of the token (all contracts, writers, aliases, versions), each with its head's content. */
  slots: TokenSlot[]
  /** The tokenURI JSON the gateway serves: the slots under the governing contract, formatted. */
  metadata: JsonValue | null
  /** Why the formatter could not build `metadata`; null otherwise. */
  metadata_error: string | null
  receipts: ReceiptCounts
  /** Transactions for the token accepted but not applied yet. */
  pending: number
  /** When one of its slots last moved. */
  updated_at: number
}

export interface ListTokensOptions {
  /** The `next_cursor` of the previous page. */
  cursor?: string
  limit?: number
  /** Only token ids containing these digits. */
  token_id_contains?: string
}

export interface TokenPage {
  token_key: string
  items: TokenSummary[]
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null
  /** Tokens matching the filter in the whole collection. */
  total: number
}

export interface HistoryVersion {
  cid: string
  timestamp: number
  content: JsonValue
  previous: string | null
  /** The version block's transaction summary, with its signer and status when this node holds it. */
  transaction: { hash: string, timestamp: number, meta_contract_id: string, method: string, public_key: string | null, status: TransactionSummaryRow['status'] | null }
}

export interface HistoryPage {
  /** The slot's current head. */
  head: string
  /** Newest first. */
  items: HistoryVersion[]
  next_cursor: string | null
}

export interface VersionDiff {
  cid: string
  /** The version compared against; null when `cid` is a first version. */
  base: string | null
  changes: ContentChange[]
}

export interface Tokens {
  /** One token with its slots, tokenURI JSON and receipt counts; undefined when no slot of it is here. */
  token(ref: TokenRef): TokenDetails | undefined
  /** A page of a collection's tokens in numeric token id order. Throws UnknownCollectionError. */
  list(collection: CollectionRef, options?: ListTokensOptions): TokenPage
  /** A page of a slot's versions, newest first; undefined when the slot does not exist. An EVM key may be in any case. Throws HistoryCursorError. */
  history(slot: SlotKey, options?: { cursor?: string, limit?: number }): HistoryPage | undefined
  /** The changes from `base` (default: the version before `cid`) to `cid`. Throws VersionCidError, VersionNotFoundError, NotAVersionError. */
  diff(cid: string, base?: string): VersionDiff
}

class StoreTokens implements Tokens {
  private readonly tables: TokenTables

  constructor (private readonly components: TokensComponents) {
    this.tables = new TokenTables(components.store.db)
  }

  token (ref: TokenRef): TokenDetails | undefined {
    const dataKey = 'data_key' in ref ? ref.data_key : this.components.keys.dataKey(ref.chain_id, ref.token_address, ref.token_id)
    const rows = this.tables.slots(dataKey)
    const first = rows[0]
    if (first === undefined) return undefined
    const slots = rows.map(slot => ({ ...slot, content: this.content(slot.head_cid) }))
    const binding = this.tables.binding(first.token_key)
    return {
      token_key: first.token_key,
      data_key: dataKey,
      token_id: first.token_id,
      chain_id: binding?.chain_id ?? null,
      token_address: binding?.token_address ?? null,
      binding: binding ?? null,
      slots,
      ...this.metadata(dataKey, first.token_id, binding, slots),
      ...this.tables.receipts(dataKey),
      updated_at: Math.max(...slots.map(s => s.updated_at)),
    }
  }

  list (collection: CollectionRef, options: ListTokensOptions = {}): TokenPage {
    const tokenKey = 'token_key' in collection ? collection.token_key : this.components.keys.tokenKey(collection.chain_id, collection.token_address)
    const limit = options.limit ?? DEFAULT_TOKEN_PAGE
    const contains = options.token_id_contains ?? ''
    // One row more than asked says whether another page follows, without a second query.
    const { items: rows, total } = this.tables.page(tokenKey, options.cursor === undefined ? '' : tokenOrderKey(options.cursor), contains, limit + 1)
    const items = rows.slice(0, limit)
    if (items.length === 0 && this.tables.binding(tokenKey) === undefined && this.tables.count(tokenKey, '') === 0) {
      throw new UnknownCollectionError(tokenKey)
    }
    return {
      token_key: tokenKey,
      items,
      next_cursor: rows.length > limit ? items.at(-1)?.token_id ?? null : null,
      total,
    }
  }

  history (key: SlotKey, options: { cursor?: string, limit?: number } = {}): HistoryPage | undefined {
    // An EVM public_key (and an alias that is that key) may be written in any case.
    const slot = this.tables.slot(canonicalSlotKey(key))
    if (slot === undefined) return undefined
    let next: CID | undefined = options.cursor === undefined ? parseVersionCid(slot.head_cid, 'head_cid') : this.cursor(slot, options.cursor)
    const items: HistoryVersion[] = []
    for (const limit = options.limit ?? DEFAULT_HISTORY_PAGE; next !== undefined && items.length < limit;) {
      const block = readVersion(this.components.blockstore, next)
      const tx = this.tables.transaction(block.transaction.hash)
      const { hash, timestamp, meta_contract_id, method } = block.transaction
      items.push({
        cid: next.toString(),
        timestamp: block.timestamp,
        content: block.content,
        previous: block.previous?.toString() ?? null,
        transaction: { hash, timestamp, meta_contract_id, method, public_key: tx?.public_key ?? null, status: tx?.status ?? null },
      })
      next = block.previous
    }
    return { head: slot.head_cid, items, next_cursor: next?.toString() ?? null }
  }

  diff (cid: string, base?: string): VersionDiff {
    const { blockstore } = this.components
    const target = parseVersionCid(cid, 'cid')
    const version = readVersion(blockstore, target)
    const baseCid = base === undefined ? version.previous : parseVersionCid(base, 'base')
    const before = baseCid === undefined ? undefined : readVersion(blockstore, baseCid).content
    return { cid: target.toString(), base: baseCid?.toString() ?? null, changes: diffContent(before, version.content) }
  }

  private content (headCid: string): JsonValue {
    const { blockstore } = this.components
    const cid = parseVersionCid(headCid, 'head_cid')
    // As the engine's slot reads do: the content without rebuilding and decoding the whole block
    // (most of a slot's cost), parsed from the transaction's row or decoded alone.
    return blockstore.versionContentSync(cid) ?? readVersion(blockstore, cid).content
  }

  /** The tokenURI JSON from the slots under the governing contract, as the gateway builds it. */
  private metadata (dataKey: string, tokenId: string, binding: BindingRow | undefined, slots: TokenSlot[]): Pick<TokenDetails, 'metadata' | 'metadata_error'> {
    const { formatter, formatterId } = this.components
    const governed = slots.filter(s => s.meta_contract_id === binding?.meta_contract_id)
    if (formatter === undefined || governed.length === 0 || binding === undefined) return { metadata: null, metadata_error: null }
    // The gateway's kept document is current while its row exists (store migration 14 deletes it
    // with any slot change); formatting in the Wasm service was half of a get_token's time.
    const kept = formatterId === undefined ? undefined : this.tables.keptDocument(binding.token_key, tokenId, binding.meta_contract_id, formatterId)
    if (kept !== undefined) return { metadata: JSON.parse(kept) as JsonValue, metadata_error: null }
    const result = formatTokenDocument(formatter, tokenId, governed)
    return result.ok ? { metadata: JSON.parse(result.json) as JsonValue, metadata_error: null } : { metadata: null, metadata_error: result.error }
  }

  /**
   * A cursor is the CID where the previous page stopped. It must be a version this node holds,
   * written (when its transaction is known here) to the same token under the same contract; a
   * full check that it is on this slot's chain would cost a walk from the head.
   */
  private cursor (slot: SlotRow, cursor: string): CID {
    let cid: CID
    try {
      cid = parseVersionCid(cursor, 'cursor')
    } catch {
      throw new HistoryCursorError(`is not a CID ("${cursor.slice(0, 80)}")`)
    }
    let hash: string
    try {
      hash = readVersion(this.components.blockstore, cid).transaction.hash
    } catch (err) {
      throw new HistoryCursorError(`does not name a version this node holds (${(err as Error).message})`)
    }
    const tx = this.tables.transaction(hash)
    if (tx !== undefined && (tx.data_key !== slot.data_key || tx.meta_contract_id !== slot.meta_contract_id)) {
      throw new HistoryCursorError('is a version of another token or contract')
    }
    return cid
  }
}

export function createTokens (components: TokensComponents): Tokens {
  return new StoreTokens(components)
}
