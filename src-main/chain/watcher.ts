import type { Logger } from '@libp2p/logger'
import type { Database, Statement } from 'better-sqlite3'
import type { ChainClient } from './client.js'
import { checkAddress, checkBlock, checkChainId, checkConfirmations, checkEndpointUrl, checkPollInterval, checkTokenId, checkTokenType } from './config.js'
import {
  CALL_TIMEOUT_MS, DEFAULT_CONFIRMATIONS, MAX_JUDGING_BLOCKS_AHEAD, DEFAULT_POLL_INTERVAL_MS, INITIAL_BLOCK_SPAN, MAX_BLOCK_SPAN, MAX_RESPONSE_BYTES, MAX_WATCHES,
  RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS,
} from './constants.js'
import { ChainInUseError, ChainNotConfiguredError, InvalidChainInputError, TooManyWatchesError, WatchExistsError, WatchNotFoundError } from './errors.js'
import { OwnerIndex } from './owner-index.js'
import type { TokenRow, WatchRow } from './owner-index.js'
import type { ChainEndpointInfo, ChainEndpointInput, ChainTokenInfo, MintHandler, TokenFacts, WatchInput, WatchStatusInfo } from './types.js'
import { WatchLoop } from './watch-loop.js'
import { MetadataUpdateReads } from './metadata-updates.js'
import { FactsAt } from './facts-at.js'
import type { TokenFactsAt } from './facts-at.js'
import type { RecordedMetadataUpdate } from './metadata-updates.js'
import type { LoopSettings } from './watch-loop.js'

export interface ChainWatcherComponents {
  /** The node's database (the store's connection). */
  db: Database
  log: Logger
  /** The node's on_mint calls (the engine's MintWriter); a watcher without it only indexes. */
  mints?: MintHandler
}

/** Timings and limits; the defaults (constants.ts) suit real endpoints, tests shorten the waits. */
export interface ChainWatcherInit {
  callTimeoutMs?: number
  maxResponseBytes?: number
  initialBlockSpan?: number
  maxBlockSpan?: number
  retryInitialDelayMs?: number
  retryMaxDelayMs?: number
}

export interface ChainWatcher {
  /** Starts a loop for every active watch. */
  start(): void
  /** Stops every loop (calls in flight are abandoned); the checkpoints stay where they are. */
  stop(): Promise<void>
  isStarted(): boolean
  /**
   * Sets a chain's endpoint after checking that it answers eth_chainId with that chain id.
   * Throws InvalidChainInputError (naming the field), ChainIdMismatchError, ChainEndpoint*Error;
   * nothing is stored then.
   */
  setEndpoint(input: ChainEndpointInput): Promise<ChainEndpointInfo>
  /** Throws ChainNotConfiguredError, ChainInUseError. */
  removeEndpoint(chainId: unknown): ChainEndpointInfo
  endpoints(): ChainEndpointInfo[]
  /** Starts watching a collection. Throws InvalidChainInputError, ChainNotConfiguredError, WatchExistsError, TooManyWatchesError. */
  watch(input: WatchInput): WatchStatusInfo
  /** Stops watching and forgets the collection's events and owner index. Throws WatchNotFoundError. */
  unwatch(chainId: unknown, address: unknown): WatchStatusInfo
  /** Pauses (false) or resumes (true) a watch; its index stays. Throws WatchNotFoundError. */
  setActive(chainId: unknown, address: unknown, active: boolean): WatchStatusInfo
  status(): WatchStatusInfo[]
  /** A token as the owner index knows it. Throws InvalidChainInputError, WatchNotFoundError. */
  token(chainId: unknown, address: unknown, tokenId: unknown): ChainTokenInfo
  isMinted(chainId: number, address: string, tokenId: string): boolean
  /** ERC-721's holder; null when not minted, burned, or ERC-1155. */
  ownerOf(chainId: number, address: string, tokenId: string): string | null
  /** What on_execute is told of a token (chain id in decimal text, as a transaction names it); "unwatched" for a collection not watched. */
  tokenFacts(chainId: string, address: string, tokenId: string): TokenFacts
  /**
   * What `tokenFacts` would have said with `block` the last confirmed block applied: the same on
   * every node that has applied that block, whatever its own head; `behind` while this node has
   * not (a judge must wait). "unwatched" for a collection not watched.
   */
  tokenFactsAt(chainId: string, address: string, tokenId: string, block: number): TokenFactsAt
  /**
   * The facts a holder write naming `block` is judged with: `tokenFactsAt`, or "wait" while this
   * node has not applied that block (the write waits, it is not refused). A block more than
   * MAX_JUDGING_BLOCKS_AHEAD past the head this node last saw is judged as unknown ("unwatched").
   */
  factsForJudging(chainId: string, address: string, tokenId: string, block: number): TokenFacts | 'wait'
  /** Calls `listener` whenever a watch's applied blocks change. Answers a function that stops it. */
  onAdvance(listener: () => void): () => void
  /** The newest confirmed block applied for a watched collection; null when it is not watched or none is applied yet. */
  lastAppliedBlock(chainId: string, address: string): number | null
  /** Whether an endpoint is set for the chain (chain id in decimal text). */
  configured(chainId: string): boolean
  /**
   * The collection contract's EIP-173 owner() at the newest confirmed block (head − confirmations);
   * owner null when the chain has no endpoint here or the contract has no owner(). Throws
   * ChainEndpoint*Error or ChainIdMismatchError when the endpoint cannot answer.
   */
  bindingAuthority(chainId: string, address: string): Promise<{ owner: string | null, block: number | null }>
  /**
   * Calls `listener` with the EIP-4906 announcements of each range right after it commits (from
   * any sender: a wallet, a script, this node's writer). Answers a function that stops it.
   */
  onMetadataUpdate(listener: (updates: RecordedMetadataUpdate[]) => void): () => void
}

interface EndpointRow { chain_id: number, http_url: string, ws_url: string, confirmations: number, poll_interval_ms: number, updated_at: number }

const endpointInfo = (r: EndpointRow): ChainEndpointInfo => ({ ...r, updated_at: new Date(r.updated_at).toISOString() })

export class SqliteChainWatcher implements ChainWatcher {
  private readonly index: OwnerIndex
  private readonly s: Record<string, Statement>
  private readonly loops = new Map<number, WatchLoop>()
  private readonly clients = new Map<number, Promise<ChainClient>>()
  private started = false
  private readonly settings: Required<ChainWatcherInit>
  private readonly updates: MetadataUpdateReads
  private readonly factsAt: FactsAt
  private readonly updateListeners = new Set<(updates: RecordedMetadataUpdate[]) => void>()
  private readonly advanceListeners = new Set<() => void>()

  constructor (private readonly components: ChainWatcherComponents, init: ChainWatcherInit = {}) {
    const { db } = components
    const mints = components.mints
    this.index = new OwnerIndex(db, mints === undefined ? undefined : (watchId, keep) => mints.undo(watchId, keep))
    this.updates = new MetadataUpdateReads(db)
    this.factsAt = new FactsAt(db)
    this.settings = {
      callTimeoutMs: init.callTimeoutMs ?? CALL_TIMEOUT_MS,
      maxResponseBytes: init.maxResponseBytes ?? MAX_RESPONSE_BYTES,
      initialBlockSpan: init.initialBlockSpan ?? INITIAL_BLOCK_SPAN,
      maxBlockSpan: init.maxBlockSpan ?? MAX_BLOCK_SPAN,
      retryInitialDelayMs: init.retryInitialDelayMs ?? RETRY_INITIAL_DELAY_MS,
      retryMaxDelayMs: init.retryMaxDelayMs ?? RETRY_MAX_DELAY_MS,
    }
    this.s = {
      endpoint: db.prepare('SELECT * FROM chain_endpoints WHERE chain_id = ?'),
      endpoints: db.prepare('SELECT * FROM chain_endpoints ORDER BY chain_id'),
      upsertEndpoint: db.prepare(`INSERT INTO chain_endpoints (chain_id, http_url, ws_url, confirmations, poll_interval_ms, updated_at)
        VALUES (@chain_id, @http_url, @ws_url, @confirmations, @poll_interval_ms, @updated_at)
        ON CONFLICT (chain_id) DO UPDATE SET http_url = excluded.http_url, ws_url = excluded.ws_url, confirmations = excluded.confirmations,
          poll_interval_ms = excluded.poll_interval_ms, updated_at = excluded.updated_at`),
      deleteEndpoint: db.prepare('DELETE FROM chain_endpoints WHERE chain_id = ?'),
      watchesOnChain: db.prepare('SELECT count(*) AS n FROM chain_watches WHERE chain_id = ?'),
      watchCount: db.prepare('SELECT count(*) AS n FROM chain_watches'),
      watchOf: db.prepare('SELECT * FROM chain_watches WHERE chain_id = ? AND address = ?'),
      watches: db.prepare('SELECT * FROM chain_watches ORDER BY chain_id, address'),
      insertWatch: db.prepare(`INSERT INTO chain_watches (chain_id, address, token_type, start_block, next_block, active, created_at)
        VALUES (@chain_id, @address, @token_type, @start_block, @next_block, 1, @created_at)`),
      deleteWatch: db.prepare('DELETE FROM chain_watches WHERE id = ?'),
      setActive: db.prepare('UPDATE chain_watches SET active = ? WHERE id = ?'),
      setStart: db.prepare('UPDATE chain_watches SET start_block = ?, next_block = ? WHERE id = ? AND next_block IS NULL'),
      token: db.prepare('SELECT * FROM chain_tokens WHERE watch_id = ? AND token_id = ?'),
      balances: db.prepare('SELECT holder, amount FROM chain_balances WHERE watch_id = ? AND token_id = ? ORDER BY holder'),
      eventCount: db.prepare('SELECT count(*) AS n FROM chain_events WHERE watch_id = ?'),
      tokenCount: db.prepare('SELECT count(*) AS n FROM chain_tokens WHERE watch_id = ?'),
    }
  }

  start (): void {
    if (this.started) return
    this.started = true
    for (const w of this.s.watches!.all() as WatchRow[]) if (w.active === 1) this.loopOf(w.id).start()
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    const loops = [...this.loops.values()]
    this.loops.clear()
    const stopping = loops.map(async l => { await l.stop() })
    // Calls in flight end now (a silent endpoint would hold each loop until its timeout).
    for (const chainId of [...this.clients.keys()]) this.dropClient(chainId)
    await Promise.all(stopping)
  }

  isStarted (): boolean {
    return this.started
  }

  async setEndpoint (input: ChainEndpointInput): Promise<ChainEndpointInfo> {
    const chainId = checkChainId(input.chain_id)
    const httpUrl = input.http_url === undefined || input.http_url === '' ? '' : checkEndpointUrl(input.http_url, 'http_url')
    const wsUrl = input.ws_url === undefined || input.ws_url === '' ? '' : checkEndpointUrl(input.ws_url, 'ws_url')
    if (httpUrl === '' && wsUrl === '') throw new InvalidChainInputError('http_url', 'or ws_url is required: the chain\'s JSON-RPC endpoint')
    const current = this.s.endpoint!.get(chainId) as EndpointRow | undefined
    const row: EndpointRow = {
      chain_id: chainId,
      http_url: httpUrl,
      ws_url: wsUrl,
      confirmations: input.confirmations === undefined ? current?.confirmations ?? DEFAULT_CONFIRMATIONS : checkConfirmations(input.confirmations),
      poll_interval_ms: input.poll_interval_ms === undefined ? current?.poll_interval_ms ?? DEFAULT_POLL_INTERVAL_MS : checkPollInterval(input.poll_interval_ms),
      updated_at: Date.now(),
    }
    // Checked before anything is stored: an endpoint of another chain would index another collection.
    const client = await this.newClient(row)
    try {
      await client.checkChainId()
    } finally {
      client.destroy()
    }
    this.s.upsertEndpoint!.run(row)
    this.dropClient(chainId)
    this.wakeChain(chainId)
    return endpointInfo(row)
  }

  removeEndpoint (chainIdInput: unknown): ChainEndpointInfo {
    const chainId = checkChainId(chainIdInput)
    const row = this.s.endpoint!.get(chainId) as EndpointRow | undefined
    if (row === undefined) throw new ChainNotConfiguredError(chainId)
    const { n } = this.s.watchesOnChain!.get(chainId) as { n: number }
    if (n > 0) throw new ChainInUseError(chainId, n)
    this.s.deleteEndpoint!.run(chainId)
    this.dropClient(chainId)
    return endpointInfo(row)
  }

  endpoints (): ChainEndpointInfo[] {
    return (this.s.endpoints!.all() as EndpointRow[]).map(endpointInfo)
  }

  watch (input: WatchInput): WatchStatusInfo {
    const chainId = checkChainId(input.chain_id)
    const address = checkAddress(input.address)
    const tokenType = checkTokenType(input.token_type)
    const start = input.start_block === undefined ? null : checkBlock(input.start_block)
    if (this.s.endpoint!.get(chainId) === undefined) throw new ChainNotConfiguredError(chainId)
    if (this.s.watchOf!.get(chainId, address) !== undefined) throw new WatchExistsError(chainId, address)
    if ((this.s.watchCount!.get() as { n: number }).n >= MAX_WATCHES) throw new TooManyWatchesError(MAX_WATCHES)
    const { lastInsertRowid } = this.s.insertWatch!.run({ chain_id: chainId, address, token_type: tokenType, start_block: start, next_block: start, created_at: Date.now() })
    const id = Number(lastInsertRowid)
    if (this.started) this.loopOf(id).start()
    return this.statusOf(this.index.watch(id) as WatchRow)
  }

  unwatch (chainId: unknown, address: unknown): WatchStatusInfo {
    const watch = this.find(chainId, address)
    const info = this.statusOf(watch)
    this.stopLoop(watch.id)
    // The events, tokens, balances and checkpoints go with it (ON DELETE CASCADE).
    this.s.deleteWatch!.run(watch.id)
    return { ...info, active: false, state: 'stopped' }
  }

  setActive (chainId: unknown, address: unknown, active: boolean): WatchStatusInfo {
    const watch = this.find(chainId, address)
    this.s.setActive!.run(active ? 1 : 0, watch.id)
    if (!active) this.stopLoop(watch.id)
    else if (this.started) this.loopOf(watch.id).start()
    return this.statusOf(this.index.watch(watch.id) as WatchRow)
  }

  status (): WatchStatusInfo[] {
    return (this.s.watches!.all() as WatchRow[]).map(w => this.statusOf(w))
  }

  token (chainIdInput: unknown, addressInput: unknown, tokenIdInput: unknown): ChainTokenInfo {
    const watch = this.find(chainIdInput, addressInput)
    const tokenId = checkTokenId(tokenIdInput)
    const row = this.s.token!.get(watch.id, tokenId) as TokenRow | undefined
    const burned = row !== undefined && row.supply === '0'
    const balances = row === undefined
      ? []
      : watch.token_type === 'erc721'
        ? (row.owner === null ? [] : [{ holder: row.owner, amount: '1' }])
        : this.s.balances!.all(watch.id, tokenId) as Array<{ holder: string, amount: string }>
    return {
      chain_id: watch.chain_id,
      address: watch.address,
      token_id: tokenId,
      minted: row !== undefined && !burned,
      burned,
      owner: row?.owner ?? null,
      balances,
      supply: row?.supply ?? '0',
      mint_block: row?.mint_block ?? null,
      mint_tx: row?.mint_tx ?? null,
      burn_block: row?.burn_block ?? null,
      metadata_update: this.updates.latest(watch.chain_id, watch.address, tokenId),
    }
  }

  onMetadataUpdate (listener: (updates: RecordedMetadataUpdate[]) => void): () => void {
    this.updateListeners.add(listener)
    return () => { this.updateListeners.delete(listener) }
  }

  private announced (updates: RecordedMetadataUpdate[]): void {
    for (const listener of this.updateListeners) {
      try {
        listener(updates)
      } catch (err) {
        // A listener's failure is its own: the range is committed, and the other listeners are told.
        this.components.log('a metadata update listener failed: %s', (err as Error).message)
      }
    }
  }

  isMinted (chainId: number, address: string, tokenId: string): boolean {
    return this.token(chainId, address, tokenId).minted
  }

  ownerOf (chainId: number, address: string, tokenId: string): string | null {
    return this.token(chainId, address, tokenId).owner
  }

  tokenFacts (chainId: string, address: string, tokenId: string): TokenFacts {
    const watch = /^[1-9][0-9]{0,15}$/.test(chainId) && /^0x[0-9a-fA-F]{40}$/.test(address)
      ? this.s.watchOf!.get(Number(chainId), address.toLowerCase()) as WatchRow | undefined
      : undefined
    if (watch === undefined) return { token_state: 'unwatched', token_owner: '' }
    const row = this.s.token!.get(watch.id, tokenId) as TokenRow | undefined
    if (row === undefined) return { token_state: 'unminted', token_owner: '' }
    if (row.supply === '0') return { token_state: 'burned', token_owner: '' }
    return { token_state: 'minted', token_owner: row.owner ?? '' }
  }

  tokenFactsAt (chainId: string, address: string, tokenId: string, block: number): TokenFactsAt {
    const watch = /^[1-9][0-9]{0,15}$/.test(chainId) && /^0x[0-9a-fA-F]{40}$/.test(address)
      ? this.s.watchOf!.get(Number(chainId), address.toLowerCase()) as WatchRow | undefined
      : undefined
    if (watch === undefined) return { token_state: 'unwatched', token_owner: '' }
    return this.factsAt.at(watch, tokenId, block)
  }

  factsForJudging (chainId: string, address: string, tokenId: string, block: number): TokenFacts | 'wait' {
    const facts = this.tokenFactsAt(chainId, address, tokenId, block)
    if (facts.token_state !== 'behind') return facts
    const watch = this.s.watchOf!.get(Number(chainId), address.toLowerCase()) as WatchRow
    const head = this.loops.get(watch.id)?.head ?? null
    if (head !== null && block > head + MAX_JUDGING_BLOCKS_AHEAD) return { token_state: 'unwatched', token_owner: '' }
    return 'wait'
  }

  lastAppliedBlock (chainId: string, address: string): number | null {
    if (!/^[1-9][0-9]{0,15}$/.test(chainId) || !/^0x[0-9a-fA-F]{40}$/.test(address)) return null
    const watch = this.s.watchOf!.get(Number(chainId), address.toLowerCase()) as WatchRow | undefined
    return watch?.next_block === null || watch?.next_block === undefined ? null : watch.next_block - 1
  }

  onAdvance (listener: () => void): () => void {
    this.advanceListeners.add(listener)
    return () => { this.advanceListeners.delete(listener) }
  }

  configured (chainId: string): boolean {
    return /^[1-9][0-9]{0,15}$/.test(chainId) && this.s.endpoint!.get(Number(chainId)) !== undefined
  }

  async bindingAuthority (chainIdText: string, address: string): Promise<{ owner: string | null, block: number | null }> {
    if (!this.configured(chainIdText) || !/^0x[0-9a-fA-F]{40}$/.test(address)) return { owner: null, block: null }
    const chainId = Number(chainIdText)
    const row = this.s.endpoint!.get(chainId) as EndpointRow
    try {
      const client = await this.clientFor(chainId)
      await client.checkChainId()
      const block = Math.max(await client.blockNumber() - row.confirmations, 0)
      return { owner: await client.contractOwner(address.toLowerCase(), block), block }
    } catch (err) {
      // The next call connects again (as the watch loops do after a failure).
      this.dropClient(chainId)
      throw err
    }
  }

  private find (chainIdInput: unknown, addressInput: unknown): WatchRow {
    const chainId = checkChainId(chainIdInput)
    const address = checkAddress(addressInput)
    const watch = this.s.watchOf!.get(chainId, address) as WatchRow | undefined
    if (watch === undefined) throw new WatchNotFoundError(chainId, address)
    return watch
  }

  private statusOf (w: WatchRow): WatchStatusInfo {
    const loop = this.loops.get(w.id)
    const endpoint = this.s.endpoint!.get(w.chain_id) as EndpointRow | undefined
    return {
      chain_id: w.chain_id,
      address: w.address,
      token_type: w.token_type,
      active: w.active === 1,
      state: w.active === 1 ? loop?.state ?? 'stopped' : 'stopped',
      start_block: w.start_block,
      last_block: w.next_block === null || w.next_block === w.start_block ? null : w.next_block - 1,
      head: loop?.head ?? null,
      safe_block: loop?.safeBlock ?? null,
      confirmations: endpoint?.confirmations ?? null,
      block_span: loop?.span ?? this.settings.initialBlockSpan,
      failures: loop?.failures ?? 0,
      last_error: loop?.lastError ?? null,
      retry_at: loop?.retryAt?.toISOString() ?? null,
      reorgs: loop?.reorgs ?? 0,
      events: (this.s.eventCount!.get(w.id) as { n: number }).n,
      tokens: (this.s.tokenCount!.get(w.id) as { n: number }).n,
    }
  }

  private loopOf (watchId: number): WatchLoop {
    let loop = this.loops.get(watchId)
    if (loop === undefined) {
      loop = new WatchLoop({
        index: this.index,
        log: this.components.log,
        client: async chainId => await this.clientFor(chainId),
        dropClient: chainId => { this.dropClient(chainId) },
        settings: chainId => this.loopSettings(chainId),
        setStart: (id, block) => { this.s.setStart!.run(block, block, id) },
        announced: updates => { this.announced(updates) },
        advanced: () => {
          for (const listener of this.advanceListeners) {
            try {
              listener()
            } catch (err) {
              this.components.log('an advance listener failed: %s', (err as Error).message)
            }
          }
        },
        ...(this.components.mints === undefined ? {} : { mints: this.components.mints }),
      }, watchId, {
        initialSpan: this.settings.initialBlockSpan,
        maxSpan: this.settings.maxBlockSpan,
        retryInitialDelayMs: this.settings.retryInitialDelayMs,
        retryMaxDelayMs: this.settings.retryMaxDelayMs,
      })
      this.loops.set(watchId, loop)
    }
    return loop
  }

  private stopLoop (watchId: number): void {
    const loop = this.loops.get(watchId)
    this.loops.delete(watchId)
    // Its step in flight finds the watch gone or paused, or applies nothing: applyRange checks the checkpoint.
    void loop?.stop()
  }

  private wakeChain (chainId: number): void {
    for (const loop of this.loops.values()) if (this.index.watch(loop.watchId)?.chain_id === chainId) loop.wake()
  }

  private loopSettings (chainId: number): LoopSettings | undefined {
    const row = this.s.endpoint!.get(chainId) as EndpointRow | undefined
    return row === undefined ? undefined : { confirmations: row.confirmations, pollIntervalMs: row.poll_interval_ms }
  }

  /**
   * A client of an endpoint. ethers (about 30 MiB and half a second to load) comes with the
   * first one: a node whose owner set no chain never loads it.
   */
  private async newClient (row: EndpointRow): Promise<ChainClient> {
    const { ChainClient } = await import('./client.js')
    return new ChainClient({ chainId: row.chain_id, httpUrl: row.http_url, wsUrl: row.ws_url, timeoutMs: this.settings.callTimeoutMs, maxResponseBytes: this.settings.maxResponseBytes })
  }

  /** A chain's client, created on first use after a failure or a change of its endpoint. */
  private async clientFor (chainId: number): Promise<ChainClient> {
    let client = this.clients.get(chainId)
    if (client === undefined) {
      const row = this.s.endpoint!.get(chainId) as EndpointRow | undefined
      if (row === undefined) throw new ChainNotConfiguredError(chainId)
      client = this.newClient(row)
      this.clients.set(chainId, client)
    }
    return await client
  }

  private dropClient (chainId: number): void {
    const client = this.clients.get(chainId)
    this.clients.delete(chainId)
    client?.then(c => { c.destroy() }, () => {})
  }
}
