import type { Database, Statement } from 'better-sqlite3'
import type { MetadataUpdateFact } from './events.js'

/**
 * EIP-4906 announcements in `chain_metadata_updates` (store migration 23): the watcher records
 * every one its collection's contract emits, from any sender, with the range that holds it; the
 * chain writer records those of the transactions it sent (the same row, keyed by transaction and
 * log index). A range of ids is one row however wide, and the reads below compare ids as
 * decimal text in SQL (shorter is smaller, then by characters: ids are canonical, no leading
 * zeros), so nothing is ever done per token of a range.
 */

/** `a <= b` for canonical decimal text, in SQL. */
const LE = (a: string, b: string): string => `(length(${a}) < length(${b}) OR (length(${a}) = length(${b}) AND ${a} <= ${b}))`

/** The newest announcement that covers a token. */
export interface TokenMetadataUpdate {
  block_number: number
  tx_hash: string
}

/** One recorded announcement, for listeners told once its range has committed. */
export interface RecordedMetadataUpdate {
  chain_id: number
  address: string
  tx_hash: string
  log_index: number
  block_number: number
  token_from: string
  token_to: string | null
}

/** The statements the owner index runs inside its range and rewind transactions. */
export class MetadataUpdateRows {
  private readonly s: Record<string, Statement>

  constructor (db: Database) {
    this.s = {
      // The writer's tracker may have recorded the same event first: the watcher's copy replaces it.
      record: db.prepare(`INSERT OR REPLACE INTO chain_metadata_updates (chain_id, address, tx_hash, log_index, block_number, token_from, token_to, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      // Whoever recorded them: the blocks after the fork are read again from the new branch.
      deleteAfter: db.prepare('DELETE FROM chain_metadata_updates WHERE chain_id = ? AND address = ? AND block_number > ?'),
    }
  }

  record (chainId: number, address: string, updates: readonly MetadataUpdateFact[], now: number): RecordedMetadataUpdate[] {
    return updates.map(u => {
      this.s.record!.run(chainId, address, u.txHash, u.logIndex, u.blockNumber, u.from, u.to, now)
      return { chain_id: chainId, address, tx_hash: u.txHash, log_index: u.logIndex, block_number: u.blockNumber, token_from: u.from, token_to: u.to }
    })
  }

  deleteAfter (chainId: number, address: string, keep: number): number {
    return this.s.deleteAfter!.run(chainId, address, keep).changes
  }
}

/** Reads: which announcement last covered a token. */
export class MetadataUpdateReads {
  private readonly single: Statement
  private readonly batch: Statement

  constructor (db: Database) {
    this.single = db.prepare(`SELECT block_number, tx_hash FROM chain_metadata_updates
      WHERE chain_id = ? AND address = ? AND token_to IS NULL AND token_from = ? ORDER BY block_number DESC, log_index DESC LIMIT 1`)
    this.batch = db.prepare(`SELECT block_number, tx_hash FROM chain_metadata_updates
      WHERE chain_id = @chain AND address = @address AND token_to IS NOT NULL AND ${LE('token_from', '@id')} AND ${LE('@id', 'token_to')}
      ORDER BY block_number DESC, log_index DESC LIMIT 1`)
  }

  /** The newest announcement naming the token (alone or in a range), or null. tokenId: canonical decimal. */
  latest (chainId: number, address: string, tokenId: string): TokenMetadataUpdate | null {
    const one = this.single.get(chainId, address, tokenId) as TokenMetadataUpdate | undefined
    const many = this.batch.get({ chain: chainId, address, id: tokenId }) as TokenMetadataUpdate | undefined
    if (one === undefined) return many ?? null
    if (many === undefined) return one
    return many.block_number > one.block_number ? many : one
  }
}
