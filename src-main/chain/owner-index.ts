import type { Database, Statement } from 'better-sqlite3'
import { CHECKPOINTS_KEPT, ZERO_ADDRESS } from './constants.js'
import type { TokenType } from './constants.js'
import type { MetadataUpdateFact, TransferFact } from './events.js'
import { MetadataUpdateRows } from './metadata-updates.js'
import type { RecordedMetadataUpdate } from './metadata-updates.js'

export interface WatchRow {
  id: number
  chain_id: number
  address: string
  token_type: TokenType
  start_block: number | null
  next_block: number | null
  active: 0 | 1
  created_at: number
}

export interface EventRow {
  watch_id: number
  block_number: number
  log_index: number
  batch_index: number
  block_hash: string
  tx_hash: string
  token_id: string
  from_address: string
  to_address: string
  amount: string
  kind: 'mint' | 'transfer' | 'burn'
  applied_at: number
}

export interface TokenRow {
  watch_id: number
  token_id: string
  owner: string | null
  supply: string
  mint_block: number | null
  mint_tx: string | null
  burn_block: number | null
}

/**
 * The owner index: chain_events and what they give (chain_tokens, chain_balances), with the
 * watch's checkpoint. Synchronous, as the store is; `applyRange` and `rewind` are each one
 * transaction, so the checkpoint never runs ahead of or behind the effects.
 */
export class OwnerIndex {
  private readonly s: Record<string, Statement>
  private readonly updates: MetadataUpdateRows

  /** `undo`: what a rewind must undo beside the events (what on_mint wrote), inside its transaction. */
  constructor (private readonly db: Database, private readonly undo?: (watchId: number, keep: number) => () => void) {
    this.updates = new MetadataUpdateRows(db)
    this.s = {
      watch: db.prepare('SELECT * FROM chain_watches WHERE id = ?'),
      insertEvent: db.prepare(`INSERT INTO chain_events (watch_id, block_number, log_index, batch_index, block_hash, tx_hash, token_id, from_address, to_address, amount, kind, applied_at)
        VALUES (@watch_id, @block_number, @log_index, @batch_index, @block_hash, @tx_hash, @token_id, @from_address, @to_address, @amount, @kind, @applied_at)`),
      token: db.prepare('SELECT * FROM chain_tokens WHERE watch_id = ? AND token_id = ?'),
      upsertToken: db.prepare(`INSERT INTO chain_tokens (watch_id, token_id, owner, supply, mint_block, mint_tx, burn_block) VALUES (@watch_id, @token_id, @owner, @supply, @mint_block, @mint_tx, @burn_block)
        ON CONFLICT (watch_id, token_id) DO UPDATE SET owner = excluded.owner, supply = excluded.supply, mint_block = excluded.mint_block, mint_tx = excluded.mint_tx, burn_block = excluded.burn_block`),
      deleteToken: db.prepare('DELETE FROM chain_tokens WHERE watch_id = ? AND token_id = ?'),
      balance: db.prepare('SELECT amount FROM chain_balances WHERE watch_id = ? AND token_id = ? AND holder = ?'),
      setBalance: db.prepare('INSERT INTO chain_balances (watch_id, token_id, holder, amount) VALUES (?, ?, ?, ?) ON CONFLICT (watch_id, token_id, holder) DO UPDATE SET amount = excluded.amount'),
      deleteBalance: db.prepare('DELETE FROM chain_balances WHERE watch_id = ? AND token_id = ? AND holder = ?'),
      deleteBalances: db.prepare('DELETE FROM chain_balances WHERE watch_id = ? AND token_id = ?'),
      setNext: db.prepare('UPDATE chain_watches SET next_block = ? WHERE id = ?'),
      insertCheckpoint: db.prepare('INSERT OR REPLACE INTO chain_checkpoints (watch_id, number, hash) VALUES (?, ?, ?)'),
      pruneCheckpoints: db.prepare(`DELETE FROM chain_checkpoints WHERE watch_id = ? AND number < (
        SELECT min(number) FROM (SELECT number FROM chain_checkpoints WHERE watch_id = ? ORDER BY number DESC LIMIT ${CHECKPOINTS_KEPT}))`),
      checkpoints: db.prepare('SELECT number, hash FROM chain_checkpoints WHERE watch_id = ? ORDER BY number DESC'),
      deleteCheckpointsAfter: db.prepare('DELETE FROM chain_checkpoints WHERE watch_id = ? AND number > ?'),
      tokensAfter: db.prepare('SELECT DISTINCT token_id FROM chain_events WHERE watch_id = ? AND block_number > ?'),
      deleteEventsAfter: db.prepare('DELETE FROM chain_events WHERE watch_id = ? AND block_number > ?'),
      eventsOfToken: db.prepare('SELECT * FROM chain_events WHERE watch_id = ? AND token_id = ? ORDER BY block_number, log_index, batch_index'),
    }
  }

  watch (id: number): WatchRow | undefined {
    return this.s.watch!.get(id) as WatchRow | undefined
  }

  /**
   * Applies a range's transfers and EIP-4906 announcements and moves the checkpoint past it, in
   * one transaction. Answers the announcements recorded, or false, changing nothing, when the
   * watch is gone or its checkpoint is no longer `from` (it was removed, rewound or reset while
   * the range was read).
   */
  applyRange (watchId: number, from: number, to: number, toHash: string, facts: TransferFact[], now = Date.now(), effects?: { apply(): void }, updates: readonly MetadataUpdateFact[] = []): RecordedMetadataUpdate[] | false {
    return this.db.transaction((): RecordedMetadataUpdate[] | false => {
      const watch = this.watch(watchId)
      if (watch?.next_block !== from) return false
      for (const f of facts) {
        const row: EventRow = {
          watch_id: watchId, block_number: f.blockNumber, log_index: f.logIndex, batch_index: f.batchIndex, block_hash: f.blockHash, tx_hash: f.txHash,
          token_id: f.tokenId, from_address: f.from, to_address: f.to, amount: f.amount, kind: f.kind, applied_at: now,
        }
        this.s.insertEvent!.run(row)
        this.effect(watch.token_type, row)
      }
      // What on_mint wrote for these mints: with the events (it references them) and the checkpoint.
      effects?.apply()
      const recorded = this.updates.record(watch.chain_id, watch.address, updates, now)
      this.s.setNext!.run(to + 1, watchId)
      this.s.insertCheckpoint!.run(watchId, to, toHash)
      this.s.pruneCheckpoints!.run(watchId, watchId)
      return recorded
    })()
  }

  /** Checkpoints, newest first: where a reorg check looks. */
  checkpoints (watchId: number): Array<{ number: number, hash: string }> {
    return this.s.checkpoints!.all(watchId) as Array<{ number: number, hash: string }>
  }

  /**
   * Undoes every block after `keep`: its events and EIP-4906 announcements are deleted and each token they touched is
   * rebuilt from the events that remain; the checkpoint goes back to keep + 1. One transaction.
   * Answers the number of tokens rebuilt.
   */
  rewind (watchId: number, keep: number): number {
    let after: (() => void) | undefined
    const rebuilt = this.db.transaction(() => {
      const watch = this.watch(watchId)
      if (watch === undefined) return 0
      after = this.undo?.(watchId, keep)
      const tokens = (this.s.tokensAfter!.all(watchId, keep) as Array<{ token_id: string }>).map(r => r.token_id)
      this.s.deleteEventsAfter!.run(watchId, keep)
      this.updates.deleteAfter(watch.chain_id, watch.address, keep)
      for (const tokenId of tokens) {
        this.s.deleteToken!.run(watchId, tokenId)
        this.s.deleteBalances!.run(watchId, tokenId)
        for (const row of this.s.eventsOfToken!.all(watchId, tokenId) as EventRow[]) this.effect(watch.token_type, row)
      }
      this.s.deleteCheckpointsAfter!.run(watchId, keep)
      this.s.setNext!.run(keep + 1, watchId)
      return tokens.length
    })()
    after?.()
    return rebuilt
  }

  /** What one transfer does to the index. */
  private effect (type: TokenType, e: EventRow): void {
    const current = this.s.token!.get(e.watch_id, e.token_id) as TokenRow | undefined
    if (type === 'erc721') {
      if (e.kind === 'mint') {
        this.s.upsertToken!.run({ watch_id: e.watch_id, token_id: e.token_id, owner: e.to_address, supply: '1', mint_block: e.block_number, mint_tx: e.tx_hash, burn_block: null })
      } else {
        // A token minted before the start block is known from its first transfer, its mint unknown.
        const burned = e.kind === 'burn'
        const known = current ?? { watch_id: e.watch_id, token_id: e.token_id, mint_block: null, mint_tx: null }
        this.s.upsertToken!.run({ ...known, owner: burned ? null : e.to_address, supply: burned ? '0' : '1', burn_block: burned ? e.block_number : null })
      }
      return
    }
    const amount = BigInt(e.amount)
    if (e.from_address !== ZERO_ADDRESS) this.addBalance(e.watch_id, e.token_id, e.from_address, -amount)
    if (e.to_address !== ZERO_ADDRESS) this.addBalance(e.watch_id, e.token_id, e.to_address, amount)
    if (e.kind === 'transfer') return
    const before = BigInt(current?.supply ?? '0')
    const supply = e.kind === 'mint' ? before + amount : before - amount
    const fresh = current === undefined || before === 0n
    this.s.upsertToken!.run({
      watch_id: e.watch_id,
      token_id: e.token_id,
      owner: null,
      supply: (supply < 0n ? 0n : supply).toString(),
      mint_block: fresh && e.kind === 'mint' ? e.block_number : current?.mint_block ?? null,
      mint_tx: fresh && e.kind === 'mint' ? e.tx_hash : current?.mint_tx ?? null,
      burn_block: supply <= 0n ? e.block_number : null,
    })
  }

  private addBalance (watchId: number, tokenId: string, holder: string, delta: bigint): void {
    const row = this.s.balance!.get(watchId, tokenId, holder) as { amount: string } | undefined
    const next = BigInt(row?.amount ?? '0') + delta
    if (next <= 0n) this.s.deleteBalance!.run(watchId, tokenId, holder)
    else this.s.setBalance!.run(watchId, tokenId, holder, next.toString())
  }
}
