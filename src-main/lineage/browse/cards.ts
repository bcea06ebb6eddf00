import type { Logger } from '@libp2p/logger'
import type { Database, Statement } from 'better-sqlite3'
import { CID } from 'multiformats/cid'
import { decodeVersionBlock } from '../../dag/index.js'
import type { JsonValue } from '../../dag/index.js'
import { BROWSE_REBUILD_SETTING } from '../../store/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import { BoundedMap } from '../../util/index.js'
import { ledgerReads, TOKEN_ORDER_SQL } from '../tokens/index.js'
import { MAX_CACHED_TRAIT_VALUES, REBUILD_BATCH } from './constants.js'
import { cardOf, mergeDocument } from './document.js'
import type { Card } from './document.js'

interface SlotHead { alias: string, public_key: string, version: string, head_cid: string, token_key: string, token_id: string, updated_at: number }
interface KeptCard { id: number, name: string, description: string, image: string, traits: string, updated_at: number }

/**
 * Writes the browse index (store migrations 19 and 20): a token's card from its slots under one
 * contract. Called by the engine's validator inside the transaction that writes the slots, so the
 * index is never behind the documents; synchronous, like the store.
 */
export class CardWriter {
  private readonly slotsOf: Statement<[string, string], SlotHead>
  private readonly collectionId: Statement<[string, string], number>
  private readonly insertCollection: Statement<[string, string], number>
  private readonly cardOfToken: Statement<[number, string, string], KeptCard>
  private readonly insertCard: Statement<[number, string, string, string, string, string, string, number]>
  private readonly updateText: Statement<[string, string, string, string, number, number]>
  private readonly updateRest: Statement<[string, string, number, number]>
  private readonly traitValue: Statement<[number, string, string], number>
  private readonly countValue: Statement<[number, number, string, string]>
  /** Trait value ids by collection, type and value: most writes count values seen before. */
  private readonly valueIds = new BoundedMap<string, number>(MAX_CACHED_TRAIT_VALUES)
  private readonly insertTrait: Statement<[number, number]>
  private readonly deleteTraits: Statement<[number]>
  private readonly tokensPage: Statement<[string, string, number], { data_key: string, meta_contract_id: string }>

  constructor (private readonly db: Database, private readonly blockstore: SqliteBlockstore, private readonly log: Logger) {
    const reads = ledgerReads(db)
    this.slotsOf = reads.cardSlots
    // Looked up on every write, not remembered: an id made by a transaction that rolled back is gone.
    this.collectionId = db.prepare<[string, string], number>('SELECT id FROM card_collections WHERE token_key = ? AND meta_contract_id = ?').pluck()
    this.insertCollection = db.prepare<[string, string], number>('INSERT INTO card_collections (token_key, meta_contract_id) VALUES (?, ?) RETURNING id').pluck()
    // By collection and token id, through the id order index (store migration 25).
    this.cardOfToken = db.prepare(`SELECT id, name, description, image, traits, updated_at FROM token_cards WHERE collection = ? AND ${TOKEN_ORDER_SQL} = printf('%02d', length(?)) || ?`)
    this.insertCard = db.prepare(`INSERT INTO token_cards (collection, data_key, token_id, name, description, image, traits, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    // Two updates: the text index's trigger fires only on the one that names the text columns.
    this.updateText = db.prepare('UPDATE token_cards SET name = ?, description = ?, image = ?, traits = ?, updated_at = ? WHERE id = ?')
    this.updateRest = db.prepare('UPDATE token_cards SET image = ?, traits = ?, updated_at = ? WHERE id = ?')
    // The value's row, counted once more: its id is what the card's trait row holds.
    this.traitValue = db.prepare<[number, string, string], number>(`INSERT INTO trait_values (collection, trait_type, value, tokens) VALUES (?, ?, ?, 1)
      ON CONFLICT (collection, trait_type, value) DO UPDATE SET tokens = tokens + 1 RETURNING id`).pluck()
    // A value already seen is counted by its id: one seek by rowid instead of the upsert's probe
    // of the unique index (docs/BENCHMARKS.md: the traits of a card 60–80 → 45–60 µs). The row
    // must still be that value's (an id freed by a deletion may be reused, or the transaction that
    // made it rolled back): else nothing changes and the upsert runs.
    this.countValue = db.prepare('UPDATE trait_values SET tokens = tokens + 1 WHERE id = ? AND collection = ? AND trait_type = ? AND value = ?')
    this.insertTrait = db.prepare('INSERT INTO token_traits (value_id, card) VALUES (?, ?)')
    this.deleteTraits = db.prepare('DELETE FROM token_traits WHERE card = ?')
    this.tokensPage = reads.tokenContractsAfter
  }

  /**
   * The card of a token under a contract, from its slots as they are now in this transaction.
   * `known`: contents by head CID the caller already holds (what it just wrote); others are read.
   */
  refresh (dataKey: string, metaContractId: string, known?: ReadonlyMap<string, JsonValue>): void {
    const slots = this.slotsOf.all(dataKey, metaContractId)
    const first = slots[0]
    // No slot left: the slot-delete trigger took the card with the last one.
    if (first === undefined) return
    const collection = this.collection(first.token_key, metaContractId)
    const kept = this.cardOfToken.get(collection, first.token_id, first.token_id)
    const document = mergeDocument(slots.map(s => ({ alias: s.alias, public_key: s.public_key, version: s.version, content: known?.get(s.head_cid) ?? this.content(s.head_cid) })))
    const card = cardOf(first.token_id, document)
    const traits = JSON.stringify(card.traits.map(t => [t.trait_type, t.value]))
    const updatedAt = Math.max(...slots.map(s => s.updated_at))
    if (kept === undefined) {
      const id = Number(this.insertCard.run(collection, dataKey, first.token_id, card.name, card.description, card.image, traits, updatedAt).lastInsertRowid)
      this.addTraits(collection, card, id)
      return
    }
    if (kept.name !== card.name || kept.description !== card.description) this.updateText.run(card.name, card.description, card.image, traits, updatedAt, kept.id)
    else if (kept.image !== card.image || kept.traits !== traits || kept.updated_at !== updatedAt) this.updateRest.run(card.image, traits, updatedAt, kept.id)
    if (kept.traits !== traits) {
      this.deleteTraits.run(kept.id)
      this.addTraits(collection, card, kept.id)
    }
  }

  /**
   * Builds every card from the slots, when store migration 19 asked for it (a store that held
   * slots before the index existed), in the background: batches of REBUILD_BATCH tokens, each in
   * its own transaction, with the event loop's other work between them (at 100,000 tokens the
   * whole takes tens of seconds, which a node's start must not wait for). Writes meanwhile keep
   * their own cards; a token refreshed twice ends the same. The request is cleared after the
   * last batch, so a rebuild that `signal` stopped starts over at the next start.
   */
  async rebuildIfAsked (signal: AbortSignal): Promise<void> {
    if (this.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(BROWSE_REBUILD_SETTING) === undefined) return
    const started = Date.now()
    this.log('building the browse index from the slots, in the background')
    let after = { data_key: '', meta_contract_id: '' }
    let cards = 0
    for (;;) {
      await new Promise(resolve => setImmediate(resolve))
      if (signal.aborted || !this.db.open) return
      const page = this.tokensPage.all(after.data_key, after.meta_contract_id, REBUILD_BATCH)
      this.db.transaction(() => { for (const token of page) this.refresh(token.data_key, token.meta_contract_id) })()
      cards += page.length
      const last = page.at(-1)
      if (last === undefined || page.length < REBUILD_BATCH) break
      after = last
    }
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(BROWSE_REBUILD_SETTING)
    this.log('built the browse index: %d token cards in %d ms', cards, Date.now() - started)
  }

  /** The collection's id under a contract, made on its first card. */
  private collection (tokenKey: string, metaContractId: string): number {
    return this.collectionId.get(tokenKey, metaContractId) ?? this.insertCollection.get(tokenKey, metaContractId) ?? 0
  }

  private addTraits (collection: number, card: Card, id: number): void {
    // A card's traits are distinct (traitsOf), so each value is counted once per card.
    for (const { trait_type: type, value } of card.traits) {
      const key = `${collection}\n${type}\n${value}`
      let valueId = this.valueIds.get(key)
      if (valueId === undefined || this.countValue.run(valueId, collection, type, value).changes === 0) {
        valueId = this.traitValue.get(collection, type, value) ?? 0
        this.valueIds.set(key, valueId)
      }
      this.insertTrait.run(valueId, id)
    }
  }

  /** A head's content: from the signed data when the block was stored without it, else the block. */
  private content (headCid: string): JsonValue {
    try {
      const cid = CID.parse(headCid)
      const content = this.blockstore.versionContentSync(cid)
      if (content !== undefined) return content
      const bytes = this.blockstore.getSync(cid)
      return bytes === undefined ? null : decodeVersionBlock(bytes).content
    } catch (err) {
      // A damaged head has no card text rather than stopping the write that found it.
      this.log.error('the browse index could not read %s: %e', headCid, err)
      return null
    }
  }
}
