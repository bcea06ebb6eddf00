import type { Logger } from '@libp2p/logger'
import { VALIDATOR_BATCH, VALIDATOR_LANES_PER_CONTRACT } from './constants.js'
import type { Ledger } from './ledger.js'
import type { TransactionRow } from './records.js'

export interface CollectionLanesComponents {
  ledger: Ledger
  log: Logger
  /**
   * Decides and commits a batch of one collection's pending transactions, in order; false if it
   * had to stop (the validator is stopping, or storage failed) with the rest still pending;
   * "waiting" when a transaction must wait for the chain (it and the rest stay pending).
   */
  apply(batch: TransactionRow[]): Promise<boolean | 'waiting'>
}

/**
 * A collection being worked through, or waiting to be: its pending transactions after `cursor`
 * are its lane's to take. `contract`: the meta contract of its first pending transaction, which
 * the lane counts against (VALIDATOR_LANES_PER_CONTRACT).
 */
interface Lane { cursor: number, contract: string }

/**
 * Which pending transactions the validator works on, and when. Each collection with pending
 * transactions gets a lane that hands them to `apply` in arrival order, a batch at a time; lanes
 * run side by side, so a collection whose contract burns its time budget delays only itself.
 * Collections never share state a contract sees (a binding and a token's slots belong to one
 * collection), so applying them side by side gives what one at a time would.
 *
 * A meta contract's collections have at most VALIDATOR_LANES_PER_CONTRACT lanes; further ones wait
 * for one of that contract's lanes (never another contract's), in the order they were found.
 */
export class CollectionLanes {
  private running: Promise<void> | undefined
  private wanted = false
  private stopped = false
  /** A batch could not be applied (storage): start no more lanes until the next notify. */
  private failed = false
  /** Collection (token_key) → its lane. */
  private readonly lanes = new Map<string, Lane>()
  /** Collections found with pending transactions whose contract has no lane free, in the order found. */
  private readonly waiting = new Map<string, Lane>()
  /** Meta contract → its collections' running lanes. */
  private readonly lanesOfContract = new Map<string, number>()
  /** Collections held back by a transaction waiting for the chain: looked at again at each notify. */
  private readonly held = new Map<string, Lane>()
  /** A notify came since the held collections were last looked at (a lane ending is no reason to look again). */
  private retryHeld = false
  private notifies = 0
  /** Wakes the scan when a lane ends or new transactions arrive. */
  private wake: (() => void) | undefined

  constructor (private readonly components: CollectionLanesComponents) {}

  /** There may be new pending transactions: work through them. Cheap to call often. */
  notify (): void {
    if (this.stopped) return
    this.wanted = true
    this.retryHeld = true
    this.notifies++
    this.wake?.()
    this.running ??= this.drain().finally(() => {
      this.running = undefined
      // A notify after the drain's last look for work, but before this ran, found it "running"
      // and started nothing (a publish right after start() does): look again.
      if (this.wanted) this.notify()
    })
  }

  /** Starts no more batches; resolves when the lanes' batches under way have ended. */
  async stop (): Promise<void> {
    this.stopped = true
    this.wake?.()
    await this.running
  }

  /** Resolves when no transaction is pending or being applied. */
  async idle (): Promise<void> {
    while (this.running !== undefined) await this.running
  }

  /**
   * Starts a lane for each collection with pending transactions and none, and waits for lanes to
   * end or for news. Every pending transaction at or before `cursor` belongs to a collection with
   * a lane (which takes it before it ends) or one waiting for a lane, so each is looked at once
   * per drain.
   */
  private async drain (): Promise<void> {
    this.failed = false
    this.waiting.clear()
    let cursor = 0
    while (!this.stopped) {
      const woken = new Promise<void>(resolve => { this.wake = resolve })
      if (this.wanted) {
        this.wanted = false
        if (!this.failed) cursor = this.startLanes(cursor)
      }
      if (this.lanes.size === 0 && !this.wanted) break
      if (!this.wanted) await woken
    }
    this.wake = undefined
    while (this.lanes.size > 0) await new Promise<void>(resolve => { this.wake = resolve })
  }

  /**
   * Notes the collections of pending transactions after `cursor`, then starts lanes for those
   * waiting whose contract has a lane free, in the order they were found; the new cursor.
   */
  private startLanes (cursor: number): number {
    // Behind the cursor, so the scan below would not find them again.
    if (this.retryHeld) {
      this.retryHeld = false
      for (const [tokenKey, lane] of this.held) if (!this.lanes.has(tokenKey)) this.waiting.set(tokenKey, lane)
      this.held.clear()
    }
    for (;;) {
      const found = this.components.ledger.pendingAfter(cursor, VALIDATOR_BATCH)
      if (found.length === 0) break
      for (const { seq, token_key: tokenKey, meta_contract_id: contract } of found) {
        cursor = seq
        if (!this.lanes.has(tokenKey) && !this.waiting.has(tokenKey)) this.waiting.set(tokenKey, { cursor: seq - 1, contract })
      }
    }
    for (const [tokenKey, lane] of this.waiting) {
      if ((this.lanesOfContract.get(lane.contract) ?? 0) >= VALIDATOR_LANES_PER_CONTRACT) continue
      this.waiting.delete(tokenKey)
      this.startLane(tokenKey, lane)
    }
    return cursor
  }

  private startLane (tokenKey: string, lane: Lane): void {
    // In the map before the lane runs: it removes itself in the same step that finds it has no work left.
    this.lanes.set(tokenKey, lane)
    this.lanesOfContract.set(lane.contract, (this.lanesOfContract.get(lane.contract) ?? 0) + 1)
    this.runLane(tokenKey, lane).catch((err: unknown) => {
      this.components.log.error('the validator lane of collection %s failed: %e', tokenKey, err)
      this.failed = true
      this.endLane(tokenKey)
    })
  }

  /** Hands one collection's pending transactions to `apply` in arrival order until none is left. */
  private async runLane (tokenKey: string, lane: Lane): Promise<void> {
    while (!this.stopped) {
      const batch = this.components.ledger.pendingOf(tokenKey, lane.cursor, VALIDATOR_BATCH)
      if (batch.length === 0) break
      const before = lane.cursor
      lane.cursor = batch[batch.length - 1]?.seq ?? lane.cursor
      const seen = this.notifies
      const applied = await this.components.apply(batch)
      if (applied === 'waiting') {
        // Taken up again from the start of this batch (what was decided is no longer pending) at the
        // next notify, or at once if one came while it was looked at (the chain may have moved since).
        this.held.set(tokenKey, { cursor: before, contract: lane.contract })
        if (this.notifies !== seen) this.retryHeld = true
        break
      }
      if (!applied) {
        // Stopping, or a storage failure: what is left stays pending for the next drain.
        if (!this.stopped) this.failed = true
        break
      }
    }
    this.endLane(tokenKey)
  }

  private endLane (tokenKey: string): void {
    const lane = this.lanes.get(tokenKey)
    if (lane === undefined) return
    this.lanes.delete(tokenKey)
    const left = (this.lanesOfContract.get(lane.contract) ?? 1) - 1
    if (left === 0) this.lanesOfContract.delete(lane.contract)
    else this.lanesOfContract.set(lane.contract, left)
    // Collections that waited for a free lane can have one now.
    this.wanted = true
    this.wake?.()
  }
}
