import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import type { Database, Statement } from 'better-sqlite3'
import { CID } from 'multiformats/cid'
// The read model's own file: the reveal gate answers the starting listener, before lineage/ loads.
import { ledgerReads } from '../lineage/tokens/ledger-reads.js'
import type { TokenPlaceRow } from '../lineage/tokens/ledger-reads.js'
import { checkAddress, checkChainId } from './config.js'
import { MAX_PLACEHOLDER_BYTES, MAX_REVEAL_TOKENS } from './constants.js'
import { InvalidChainInputError, RevealNotFoundError, WatchNotFoundError } from './errors.js'
import { OwnPeers } from './own-peers.js'

/** A collection hidden until minted, as listings show it. */
export interface RevealInfo {
  chain_id: number
  address: string
  /** What the gateway serves for a token not minted yet: this document, or a 404 when null. */
  placeholder: Record<string, unknown> | null
  updated_at: string
}

/** What is served instead of an unminted token's document: the placeholder, or nothing (a 404). */
export interface Hidden {
  readonly placeholder: { readonly etag: string, readonly json: string } | null
}

/** A token's reveal state, for the owner's token list. */
export interface RevealTokenInfo {
  token_id: string
  minted: boolean
  /** Its real document is public: minted, or its collection is not hidden. */
  revealed: boolean
}

/** What an export leaves out (see RevealGate.copyOmits). */
export interface CopyOmits {
  transaction(hash: string): boolean
  /** A slot head, by CID text. */
  head(cid: string): boolean
}

interface RevealRow { chain_id: number, address: string, placeholder: string | null, updated_at: number }

const DAG_CBOR = 0x71

/** A chain id as bindings and paths write it (decimal text), as one key; undefined if it is none. */
function chainKey (chainId: string | number): string | undefined {
  if (typeof chainId === 'number') return Number.isSafeInteger(chainId) ? String(chainId) : undefined
  return /^[0-9]{1,20}$/.test(chainId) ? BigInt(chainId).toString() : undefined
}

/** A token id as the owner index keeps it (decimal); undefined for text no chain could mint. */
function canonicalTokenId (tokenId: string): string | undefined {
  if (!/^(?:[0-9]{1,78}|0x[0-9a-fA-F]{1,64})$/.test(tokenId)) return undefined
  return BigInt(tokenId).toString()
}

function placeholderOf (json: string | null): Hidden {
  if (json === null) return { placeholder: null }
  return { placeholder: { etag: `"p${bytesToHex(sha256(new TextEncoder().encode(json))).slice(0, 31)}"`, json } }
}

/**
 * Reveal on mint: the collections whose tokens stay hidden until the owner index says they are
 * minted. Every public read of a token's content asks `hidden()` (or its variants by token key,
 * data key or block) at the moment it serves, after any cache, so a mint confirmed, or undone by
 * a reorg, takes effect on the next read: nothing needs invalidating. Hidden collections are held
 * in memory (a Map lookup for every other collection); a hidden one costs one indexed SQLite read.
 */
export class RevealGate {
  /** The owner's own nodes: a collection copy to one of them carries hidden tokens too. */
  readonly ownPeers: OwnPeers
  private readonly collections = new Map<string, Hidden>()
  private readonly s: {
    all: Statement<[], RevealRow>
    get: Statement<[number, string], RevealRow>
    upsert: Statement<[number, string, string | null, number]>
    remove: Statement<[number, string]>
    watched: Statement<[number, string], unknown>
    minted: Statement<[number, string, string], unknown>
    everMinted: Statement<[number, string, string], unknown>
    byKey: Statement<[string], { chain_id: string, token_address: string }>
    byDataKey: Statement<[string], TokenPlaceRow>
    byTx: Statement<[string], TokenPlaceRow>
  }

  constructor (db: Database) {
    const reads = ledgerReads(db)
    this.ownPeers = new OwnPeers(db)
    this.s = {
      all: db.prepare('SELECT * FROM chain_reveals ORDER BY chain_id, address'),
      get: db.prepare('SELECT * FROM chain_reveals WHERE chain_id = ? AND address = ?'),
      upsert: db.prepare(`INSERT INTO chain_reveals (chain_id, address, placeholder, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (chain_id, address) DO UPDATE SET placeholder = excluded.placeholder, updated_at = excluded.updated_at`),
      remove: db.prepare('DELETE FROM chain_reveals WHERE chain_id = ? AND address = ?'),
      watched: db.prepare('SELECT 1 FROM chain_watches WHERE chain_id = ? AND address = ?'),
      minted: db.prepare(`SELECT 1 FROM chain_watches w JOIN chain_tokens t ON t.watch_id = w.id
        WHERE w.chain_id = ? AND w.address = ? AND t.token_id = ? AND t.supply <> '0'`),
      // A burned token stays revealed: its content was public from its mint. A reorg that undoes
      // the mint removes the row (the owner index rebuilds it from the events left), hiding it again.
      everMinted: db.prepare(`SELECT 1 FROM chain_watches w JOIN chain_tokens t ON t.watch_id = w.id
        WHERE w.chain_id = ? AND w.address = ? AND t.token_id = ?`),
      byKey: reads.boundCollection,
      // A binding transaction names no token; every other names the token whose slots it writes.
      byDataKey: reads.tokenPlaceOfDataKey,
      byTx: reads.tokenPlaceOfTransaction,
    }
    for (const row of this.s.all.all()) this.collections.set(`${row.chain_id}/${row.address}`, placeholderOf(row.placeholder))
  }

  /**
   * Hides a watched collection's tokens until each is minted. `placeholder` is the document served
   * meanwhile (a JSON object, at most MAX_PLACEHOLDER_BYTES as JSON), or null for a 404. Setting it
   * again replaces the placeholder. Throws InvalidChainInputError (naming the field), WatchNotFoundError.
   */
  set (chainIdInput: unknown, addressInput: unknown, placeholder: unknown): RevealInfo {
    const chainId = checkChainId(chainIdInput)
    const address = checkAddress(addressInput)
    let json: string | null = null
    if (placeholder !== null) {
      if (typeof placeholder !== 'object' || Array.isArray(placeholder) || placeholder === undefined) {
        throw new InvalidChainInputError('placeholder', 'must be a JSON object (the document shown before the mint, e.g. {"name": "Unrevealed", "image": "ipfs://…"}) or null for a 404')
      }
      json = JSON.stringify(placeholder)
      const bytes = Buffer.byteLength(json)
      if (bytes > MAX_PLACEHOLDER_BYTES) throw new InvalidChainInputError('placeholder', `is ${bytes} bytes as JSON, more than the ${MAX_PLACEHOLDER_BYTES} allowed`)
    }
    // Reveals follow the owner index: a collection that is not watched would never reveal.
    if (this.s.watched.get(chainId, address) === undefined) throw new WatchNotFoundError(chainId, address)
    const now = Date.now()
    this.s.upsert.run(chainId, address, json, now)
    this.collections.set(`${chainId}/${address}`, placeholderOf(json))
    return this.infoOf({ chain_id: chainId, address, placeholder: json, updated_at: now })
  }

  /** Makes every token of the collection public again. Throws RevealNotFoundError. */
  clear (chainIdInput: unknown, addressInput: unknown): RevealInfo {
    const chainId = checkChainId(chainIdInput)
    const address = checkAddress(addressInput)
    const row = this.s.get.get(chainId, address)
    if (row === undefined) throw new RevealNotFoundError(chainId, address)
    this.s.remove.run(chainId, address)
    this.collections.delete(`${chainId}/${address}`)
    return this.infoOf(row)
  }

  list (): RevealInfo[] {
    return this.s.all.all().map(r => this.infoOf(r))
  }

  /** Whether any collection is hidden: when none is, every check below answers at once. */
  get active (): boolean {
    return this.collections.size > 0
  }

  /**
   * What to serve instead of a token's real content, or undefined when that content is public
   * (its collection is not hidden, or the token was minted as of the last confirmed block applied,
   * burned since or not).
   */
  hidden (chainId: string | number, address: string, tokenId: string): Hidden | undefined {
    if (this.collections.size === 0) return undefined
    const chain = chainKey(chainId)
    if (chain === undefined) return undefined
    const lower = address.toLowerCase()
    const hidden = this.collections.get(`${chain}/${lower}`)
    if (hidden === undefined) return undefined
    const id = canonicalTokenId(tokenId)
    // An id no chain could mint never is: it stays hidden.
    if (id === undefined) return hidden
    return this.s.everMinted.get(Number(chain), lower, id) === undefined ? hidden : undefined
  }

  /** Whether a collection (chain id and address as written) is hidden until minted. */
  isCollectionHidden (chainId: string | number, address: string): boolean {
    const chain = chainKey(chainId)
    return chain !== undefined && this.collections.has(`${chain}/${address.toLowerCase()}`)
  }

  /** `hidden()` of a token named by its collection's token_key (a bound collection). */
  hiddenByTokenKey (tokenKey: string, tokenId: string): Hidden | undefined {
    if (this.collections.size === 0) return undefined
    const binding = this.s.byKey.get(tokenKey)
    return binding === undefined ? undefined : this.hidden(binding.chain_id, binding.token_address, tokenId)
  }

  /** `hidden()` of the token a data_key names (known from a transaction that wrote it). */
  hiddenByDataKey (dataKey: string): Hidden | undefined {
    if (this.collections.size === 0) return undefined
    const place = this.s.byDataKey.get(dataKey)
    return place === undefined ? undefined : this.hidden(place.chain_id, place.token_address, place.token_id)
  }

  /** `hidden()` of the token a transaction (by hash) wrote. */
  hiddenByTransaction (hash: string): Hidden | undefined {
    if (this.collections.size === 0) return undefined
    const place = this.s.byTx.get(hash)
    return place === undefined ? undefined : this.hidden(place.chain_id, place.token_address, place.token_id)
  }

  /**
   * Whether a block holds a hidden token's content: a version block (it names the transaction that
   * wrote it, and every version of a token's slot is one), or a transaction block of an archive
   * (the signed request itself, naming its token). Other blocks are no token's.
   */
  isHiddenBlock (cid: CID, bytes: Uint8Array | undefined): boolean {
    if (this.collections.size === 0 || cid.code !== DAG_CBOR || bytes === undefined) return false
    let block: Record<string, unknown>
    try {
      const decoded: unknown = dagCbor.decode(bytes)
      if (typeof decoded !== 'object' || decoded === null) return false
      block = decoded as Record<string, unknown>
    } catch {
      return false
    }
    const hash = (block.transaction as { hash?: unknown } | undefined)?.hash
    if (typeof hash === 'string') return this.hiddenByTransaction(hash) !== undefined
    const { method, chain_id: chainId, token_address: address, token_id: tokenId } = block
    if (method === 'contract' || typeof chainId !== 'string' || typeof address !== 'string' || typeof tokenId !== 'string') return false
    return this.hidden(chainId, address, tokenId) !== undefined
  }

  /**
   * What a collection copy for `peer` leaves out: nothing for one of the owner's own nodes;
   * otherwise every hidden token's transactions and slot heads (with the histories under them),
   * so the copy holds the collection as the public sees it. `block` reads a block from this node.
   */
  copyOmits (peer: string, block: (cid: CID) => Uint8Array | undefined): CopyOmits | undefined {
    if (this.collections.size === 0 || this.ownPeers.has(peer)) return undefined
    return {
      transaction: hash => this.hiddenByTransaction(hash) !== undefined,
      head: cid => {
        const parsed = CID.parse(cid)
        return this.isHiddenBlock(parsed, block(parsed))
      },
    }
  }

  /** Each token's minted and revealed state, for the owner's token list. Throws InvalidChainInputError. */
  tokens (chainIdInput: unknown, addressInput: unknown, tokenIds: unknown): RevealTokenInfo[] {
    const chainId = checkChainId(chainIdInput)
    const address = checkAddress(addressInput)
    if (!Array.isArray(tokenIds) || tokenIds.length > MAX_REVEAL_TOKENS) throw new InvalidChainInputError('token_ids', `must be a list of at most ${MAX_REVEAL_TOKENS} token ids`)
    return tokenIds.map((tokenId: unknown, i) => {
      const id = typeof tokenId === 'string' ? canonicalTokenId(tokenId) : undefined
      if (id === undefined) throw new InvalidChainInputError(`token_ids[${i}]`, 'must be a token id (decimal, or 0x and hex digits)')
      const minted = this.s.minted.get(chainId, address, id) !== undefined
      return { token_id: id, minted, revealed: this.hidden(chainId, address, id) === undefined }
    })
  }

  private infoOf (row: RevealRow): RevealInfo {
    return {
      chain_id: row.chain_id,
      address: row.address,
      placeholder: row.placeholder === null ? null : JSON.parse(row.placeholder) as Record<string, unknown>,
      updated_at: new Date(row.updated_at).toISOString(),
    }
  }
}
