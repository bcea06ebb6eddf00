import type { Logger } from '@libp2p/logger'
import { setTimeout as sleep } from 'node:timers/promises'
import { MAX_ERROR_LENGTH } from './constants.js'
import type { ChainClient } from './client.js'
import { NoContractError } from './errors.js'
import { METADATA_TOPICS, WATCH_TOPICS } from './topics.js'
import type { OwnerIndex, WatchRow } from './owner-index.js'
import type { ConfirmedMint, MintHandler, WatchErrorInfo, WatchState } from './types.js'
import { mintHash } from './cron.js'
import type { RecordedMetadataUpdate } from './metadata-updates.js'

export interface LoopSettings {
  confirmations: number
  pollIntervalMs: number
}

export interface WatchLoopComponents {
  index: OwnerIndex
  log: Logger
  /** The chain's client; throws ChainNotConfiguredError. */
  client(chainId: number): Promise<ChainClient>
  /** Forgets a chain's client after a failure: the next attempt connects and checks its chain id again. */
  dropClient(chainId: number): void
  settings(chainId: number): LoopSettings | undefined
  /** The node's on_mint calls for a range's confirmed mints; none in a watcher without an engine. */
  mints?: MintHandler
  /** Stores the start block found for a watch (and its checkpoint). */
  setStart(watchId: number, block: number): void
  /** Told the EIP-4906 announcements a range recorded, once it has committed. */
  announced?(updates: RecordedMetadataUpdate[]): void
  /** Told that the watch's applied blocks changed (a range committed, or a reorg undid some). */
  advanced?(): void
}

export interface WatchLoopInit {
  initialSpan: number
  maxSpan: number
  retryInitialDelayMs: number
  retryMaxDelayMs: number
}

/** Why a range's eth_getLogs failed in a way a smaller range may not: the endpoint's limits. */
const SHRINKS = new Set(['ChainEndpointRejectedError', 'ChainEndpointResponseError'])

/**
 * One watched collection: finds its start block, reads confirmed ranges of its transfer logs
 * (and EIP-4906 announcements) into the owner index, follows new blocks by polling, undoes what a reorg removed, and on any
 * failure says why and tries again with backoff. Runs until its signal aborts.
 */
export class WatchLoop {
  state: WatchState = 'stopped'
  head: number | null = null
  safeBlock: number | null = null
  span: number
  failures = 0
  lastError: WatchErrorInfo | null = null
  retryAt: Date | null = null
  reorgs = 0
  private wakeUp: AbortController | undefined
  private running: Promise<void> | undefined
  private readonly controller = new AbortController()

  constructor (private readonly components: WatchLoopComponents, readonly watchId: number, private readonly init: WatchLoopInit) {
    this.span = init.initialSpan
  }

  start (): void {
    this.running ??= this.run()
  }

  async stop (): Promise<void> {
    this.controller.abort()
    this.wakeUp?.abort()
    await this.running
    this.state = 'stopped'
  }

  /** Ends a wait (poll or backoff) now: the endpoint changed, or a caller wants a step. */
  wake (): void {
    this.wakeUp?.abort()
  }

  private async run (): Promise<void> {
    const { signal } = this.controller
    while (!signal.aborted) {
      let wait: number
      try {
        const more = await this.step()
        this.failures = 0
        this.retryAt = null
        wait = more ? 0 : this.components.settings(this.watchRow()?.chain_id ?? 0)?.pollIntervalMs ?? this.init.retryInitialDelayMs
      } catch (err) {
        if (signal.aborted) break
        const row = this.watchRow()
        if (row === undefined) break
        this.components.dropClient(row.chain_id)
        this.failures++
        const e = err as Error
        this.lastError = { name: e.name, message: String(e.message).slice(0, MAX_ERROR_LENGTH), at: new Date().toISOString() }
        wait = Math.min(this.init.retryInitialDelayMs * 2 ** Math.min(this.failures - 1, 30), this.init.retryMaxDelayMs)
        this.retryAt = new Date(Date.now() + wait)
        this.state = 'retrying'
        this.components.log('watch %d on chain %d: %s; retrying in %d ms', this.watchId, row.chain_id, e.message, wait)
      }
      if (wait > 0) await this.pause(wait)
      else await sleep(0)
    }
  }

  private async pause (ms: number): Promise<void> {
    this.wakeUp = new AbortController()
    const both = AbortSignal.any([this.controller.signal, this.wakeUp.signal])
    await sleep(ms, undefined, { signal: both }).catch(() => {})
  }

  private watchRow (): WatchRow | undefined {
    return this.components.index.watch(this.watchId)
  }

  /** One step; answers true when there is more to read at once. */
  private async step (): Promise<boolean> {
    const watch = this.watchRow()
    if (watch === undefined || watch.active === 0) { this.controller.abort(); return false }
    const settings = this.components.settings(watch.chain_id)
    const client = await this.components.client(watch.chain_id)
    if (settings === undefined) return false
    // Every step: an endpoint behind a load balancer or a changed DNS name may start serving another chain.
    await client.checkChainId()
    const head = await client.blockNumber()
    this.head = head
    this.safeBlock = Math.max(head - settings.confirmations, -1)
    if (watch.next_block === null) {
      this.state = 'finding start block'
      this.components.setStart(this.watchId, await this.deploymentBlock(client, watch, head))
      return true
    }
    if (await this.reorged(client, watch)) return true
    const from = watch.next_block
    if (from > this.safeBlock) {
      this.state = 'following'
      return false
    }
    this.state = 'backfilling'
    const to = Math.min(this.safeBlock, from + this.span - 1)
    let logs
    try {
      logs = await client.getLogs(watch.address, WATCH_TOPICS[watch.token_type], from, to)
    } catch (err) {
      if (this.span > 1 && SHRINKS.has((err as Error).name)) {
        // The endpoint's limit on a range (blocks, results or bytes): half as many blocks at once.
        this.span = Math.ceil(this.span / 2)
        this.components.log('watch %d: %s; asking %d blocks at once', this.watchId, (err as Error).message, this.span)
        return true
      }
      throw err
    }
    const hash = await client.blockHash(to)
    if (hash === null) return false
    // Decoding loads ethers' ABI coder, which the client has loaded already.
    const { decodeMetadataUpdates, decodeTransfers } = await import('./events.js')
    const announcing = (log: { topics: string[] }): boolean => METADATA_TOPICS.includes(log.topics[0] ?? '')
    const { facts } = decodeTransfers(logs.filter(l => !announcing(l)), watch.token_type)
    const { updates } = decodeMetadataUpdates(logs.filter(announcing))
    const mints: ConfirmedMint[] = facts.filter(f => f.kind === 'mint').map(f => ({
      watch_id: watch.id, chain_id: watch.chain_id, address: watch.address, block_number: f.blockNumber, log_index: f.logIndex, batch_index: f.batchIndex,
      tx_hash: f.txHash, token_id: f.tokenId, from: f.from, to: f.to, amount: f.amount, hash: mintHash(watch.chain_id, watch.address, f.txHash, f.logIndex, f.batchIndex),
    }))
    // on_mint's contract calls run now; their writes commit with the range, or not at all.
    const effects = mints.length === 0 ? undefined : await this.components.mints?.prepare(mints, async block => await client.blockTimestampMs(block))
    const recorded = this.components.index.applyRange(this.watchId, from, to, hash, facts, Date.now(), effects, updates)
    if (recorded === false) return true
    effects?.after()
    if (recorded.length > 0) this.components.announced?.(recorded)
    this.components.advanced?.()
    if (to - from + 1 === this.span) this.span = Math.min(this.span * 2, this.init.maxSpan)
    this.state = to < this.safeBlock ? 'backfilling' : 'following'
    return to < this.safeBlock
  }

  /**
   * Whether the chain no longer holds the last applied range's block: then the newest kept
   * checkpoint still on the chain is found and everything after it undone.
   */
  private async reorged (client: ChainClient, watch: WatchRow): Promise<boolean> {
    const checkpoints = this.components.index.checkpoints(this.watchId)
    const newest = checkpoints[0]
    if (newest === undefined) return false
    const hash = await client.blockHash(newest.number)
    // A chain shorter than our checkpoint (its other branch not grown yet) is waited for.
    if (hash === null || hash === newest.hash) return false
    let keep = (watch.start_block ?? 0) - 1
    for (const c of checkpoints.slice(1)) {
      if (await client.blockHash(c.number) === c.hash) { keep = c.number; break }
    }
    const rebuilt = this.components.index.rewind(this.watchId, keep)
    this.components.advanced?.()
    this.reorgs++
    this.components.log('watch %d: block %d changed (reorg); undid blocks after %d, %d tokens rebuilt', this.watchId, newest.number, keep, rebuilt)
    return true
  }

  /** The first block with the contract's code: a binary search on eth_getCode. */
  private async deploymentBlock (client: ChainClient, watch: WatchRow, head: number): Promise<number> {
    if (!await client.hasCode(watch.address, head)) throw new NoContractError(watch.chain_id, watch.address, head)
    let lo = 0
    let hi = head
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (await client.hasCode(watch.address, mid)) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}
