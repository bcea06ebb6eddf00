import type { Database, Statement } from 'better-sqlite3'
import type { TokenFacts } from './types.js'
import type { EventRow, WatchRow } from './owner-index.js'

/**
 * A token's facts as of a given block, or `behind` when this node has not applied that block yet
 * (it must wait rather than judge). The answer depends only on the chain's events up to that
 * block, so two nodes that have both applied it answer alike, whatever their confirmed heads.
 */
export type TokenFactsAt = TokenFacts | { token_state: 'behind', token_owner: '', last_block: number | null }

/**
 * Reads the owner index's history: chain_events keeps every applied transfer with its block (a
 * reorg deletes the events it removed), so the state at block B is what the events up to B give.
 * One indexed read of the token's events.
 */
export class FactsAt {
  private readonly events: Statement<[number, string], EventRow>

  constructor (db: Database) {
    this.events = db.prepare('SELECT * FROM chain_events WHERE watch_id = ? AND token_id = ? ORDER BY block_number, log_index, batch_index')
  }

  at (watch: WatchRow, tokenId: string, block: number): TokenFactsAt {
    const last = watch.next_block === null ? null : watch.next_block - 1
    if (last === null || block > last) return { token_state: 'behind', token_owner: '', last_block: last }
    const events = this.events.all(watch.id, tokenId)
    const upTo = events.filter(e => e.block_number <= block)
    if (watch.token_type === 'erc1155') {
      let supply = 0n
      for (const e of upTo) supply += e.kind === 'mint' ? BigInt(e.amount) : e.kind === 'burn' ? -BigInt(e.amount) : 0n
      // Minted before the start block: its first event moves what was minted then.
      const before = upTo.length === 0 && events[0] !== undefined && events[0].kind !== 'mint' && block >= (watch.start_block ?? 0)
      if (supply > 0n || before) return { token_state: 'minted', token_owner: '' }
      return { token_state: upTo.some(e => e.kind === 'mint') ? 'burned' : 'unminted', token_owner: '' }
    }
    const latest = upTo.at(-1)
    if (latest !== undefined) return latest.kind === 'burn' ? { token_state: 'burned', token_owner: '' } : { token_state: 'minted', token_owner: latest.to_address }
    // No event up to the block: a token whose first known event is not its mint was minted before
    // the watch's start block, and held by that event's sender until then.
    const first = events[0]
    if (first !== undefined && first.kind !== 'mint' && block >= (watch.start_block ?? 0)) return { token_state: 'minted', token_owner: first.from_address }
    return { token_state: 'unminted', token_owner: '' }
  }
}
