import type { IdentifyResult, PeerId } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import type { Lineage, Outcome } from '../lineage/engine/index.js'
import { ADDRESS_PATTERN, CHAIN_ID_PATTERN } from '../lineage/signing/index.js'
import type { P2pHost } from '../p2p/index.js'
import type { Store } from '../store/index.js'
import { RESYNC_INTERVAL_MS, SYNC_PROTOCOL } from './constants.js'
import { DenyList } from './deny-list.js'
import { InvalidCollectionError, NotFollowedError, ReplicationOfflineError } from './errors.js'
import { FollowBook } from './follows.js'
import type { FollowRow } from './follows.js'
import type { Gossip } from './gossip.js'
import type { GossipInit } from './gossip.js'
import type { SyncProgress, SyncResult } from './sync-client.js'
import type { SyncServer } from './sync-server.js'
import { TransactionSet } from './tx-set.js'

export interface ReplicationComponents {
  store: Store
  lineage: Lineage
  /** Undefined when the node is offline: follows are kept, nothing is sent or heard. */
  host: P2pHost | undefined
  log: Logger
  /** Reveal on mint: a transaction of a token hidden until minted is neither gossiped nor served to peers. */
  isHiddenTransaction?(hash: string): boolean
}

export interface ReplicationInit {
  /** Every sync's progress, for the API's events. */
  onSyncProgress?(progress: SyncProgress): void
  onSyncFailed?(failure: { peer_id: string, token_key: string, error: Error }): void
  /** The gossip flood limit (defaults in constants.ts). */
  gossip?: GossipInit
}

export interface Follow extends FollowRow {
  /** Transactions of the collection this node holds. */
  transactions: number
}

export interface ReplicationStatus {
  follows: number
  syncing: SyncProgress[]
  denied: Array<{ peer_id: string, until: number, why: string }>
  remembered_peers: Array<{ peer_id: string, address: string, added_at: number, last_seen: number | null }>
}

/**
 * Keeps followed collections the same on every node that follows them. New transactions are
 * announced by gossip; a sync (set reconciliation over canonical keys) catches a node up with
 * each Lineage peer it meets, again every RESYNC_INTERVAL_MS, and when a collection is followed.
 * Only transactions travel: each node applies them through its own contracts and writes the
 * same blocks (signed timestamps, canonical order), so heads converge to the same CIDs.
 * Collections this node writes to are followed automatically.
 */
export class Replication {
  private readonly book: FollowBook
  private readonly transactions: TransactionSet
  readonly denied = new DenyList()
  private gossip: Gossip | undefined
  private server: SyncServer | undefined
  private readonly replicated = new Set<string>()
  /** The followed token_keys, as the follows table holds them (only this class changes it). */
  private readonly followed = new Set<string>()
  private readonly running = new Map<string, { progress: SyncProgress, abort: AbortController, done: Promise<SyncResult> }>()
  private timer: NodeJS.Timeout | undefined
  private started = false
  private readonly onOutcome = (outcome: Outcome): void => { this.outcome(outcome) }
  private readonly syncPeers = new Set<string>()
  private readonly onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    const peer = event.detail.peerId.toString()
    if (!event.detail.protocols.includes(SYNC_PROTOCOL) || this.syncPeers.has(peer)) return
    this.syncPeers.add(peer)
    this.syncPeer(peer)
  }

  private readonly onDisconnect = (event: CustomEvent<PeerId>): void => {
    this.syncPeers.delete(event.detail.toString())
  }

  constructor (private readonly components: ReplicationComponents, private readonly init: ReplicationInit = {}) {
    this.book = new FollowBook(components.store.db)
    this.transactions = new TransactionSet(components.store.db)
    for (const f of this.book.list()) this.followed.add(f.token_key)
  }

  async start (): Promise<void> {
    if (this.started) return
    const { lineage, host, log } = this.components
    lineage.on('applied', this.onOutcome)
    lineage.on('rejected', this.onOutcome)
    this.started = true
    if (host === undefined) return
    // The network side loads only with a host: a hostless user (an import) never needs gossipsub or libp2p.
    const [{ SyncServer }, { Gossip }] = await Promise.all([import('./sync-server.js'), import('./gossip.js')])
    if (!this.started) return
    const libp2p = host.libp2p
    const misbehaving = (peer: string, why: string): void => { this.cutOff(peer, why) }
    this.server = new SyncServer({ libp2p, transactions: this.transactions, log, onMisbehaviour: misbehaving, ...(this.components.isHiddenTransaction === undefined ? {} : { isHidden: this.components.isHiddenTransaction }) })
    await this.server.start()
    this.gossip = new Gossip({ pubsub: libp2p.services.pubsub, lineage, transactions: this.transactions, log, onReplicated: h => { this.markReplicated(h) }, onMisbehaviour: misbehaving }, this.init.gossip)
    for (const f of this.book.list()) this.gossip.subscribe(f.token_key)
    libp2p.addEventListener('peer:identify', this.onIdentify)
    libp2p.addEventListener('peer:disconnect', this.onDisconnect)
    this.timer = setInterval(() => { for (const peer of this.lineagePeers()) this.syncPeer(peer) }, RESYNC_INTERVAL_MS)
    this.timer.unref()
    // Peers met before this start (the bootstrap list, mDNS) were identified already.
    for (const connection of libp2p.getConnections()) {
      const peer = connection.remotePeer
      libp2p.peerStore.get(peer).then(info => {
        if (info.protocols.includes(SYNC_PROTOCOL) && !this.syncPeers.has(peer.toString()) && this.started) {
          this.syncPeers.add(peer.toString())
          this.syncPeer(peer.toString())
        }
      }).catch(() => {})
    }
    for (const peer of this.book.peers()) {
      host.dial(peer.address).catch(err => { log('remembered peer %s is not reachable: %s', peer.peer_id, (err as Error).message) })
    }
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    const { lineage, host } = this.components
    lineage.off('applied', this.onOutcome)
    lineage.off('rejected', this.onOutcome)
    if (this.timer !== undefined) clearInterval(this.timer)
    for (const run of this.running.values()) run.abort.abort()
    await Promise.allSettled([...this.running.values()].map(async r => await r.done))
    if (host?.isStarted() === true) {
      host.libp2p.removeEventListener('peer:identify', this.onIdentify)
      host.libp2p.removeEventListener('peer:disconnect', this.onDisconnect)
    }
    this.syncPeers.clear()
    this.gossip?.stop()
    this.gossip = undefined
    await this.server?.stop()
    this.server = undefined
  }

  /** Follows a collection: subscribes to its gossip and syncs it from every connected peer. */
  follow (chainId: string, tokenAddress: string, auto = false): Follow {
    if (!CHAIN_ID_PATTERN.test(chainId)) throw new InvalidCollectionError(`the chain id must be a decimal number without leading zeros (e.g. "1"), got "${chainId.slice(0, 40)}"`)
    if (!ADDRESS_PATTERN.test(tokenAddress)) throw new InvalidCollectionError(`the contract address must be 0x followed by 40 hex digits, got "${tokenAddress.slice(0, 60)}"`)
    let tokenKey: string
    try {
      tokenKey = this.components.lineage.tokenKey(chainId, tokenAddress)
    } catch (err) {
      throw new InvalidCollectionError((err as Error).message)
    }
    this.followed.add(tokenKey)
    // One collection, one spelling: the address as the signed text and the ledger name it.
    if (this.book.follow(tokenKey, chainId, tokenAddress.toLowerCase(), auto, Date.now())) {
      this.gossip?.subscribe(tokenKey)
      for (const peer of this.lineagePeers()) this.startSync(peer, tokenKey)
    }
    return this.withCount(this.book.get(tokenKey) as FollowRow)
  }

  /** Stops replicating a collection. What this node holds of it stays (slots are never collected). */
  unfollow (tokenKey: string): void {
    if (!this.book.unfollow(tokenKey)) throw new NotFollowedError(tokenKey)
    this.followed.delete(tokenKey)
    this.gossip?.unsubscribe(tokenKey)
    for (const [id, run] of this.running) if (run.progress.token_key === tokenKey) { run.abort.abort(); this.running.delete(id) }
  }

  follows (): Follow[] {
    return this.book.list().map(f => this.withCount(f))
  }

  /** Dials a peer by multiaddr and remembers it, so it is dialled again at every start. */
  async connect (address: string): Promise<string> {
    const host = this.requireHost()
    const peerId = await host.dial(address)
    this.book.rememberPeer(peerId, address, Date.now())
    return peerId
  }

  /** Hangs up on a peer and forgets it. */
  async disconnect (peerId: string): Promise<void> {
    this.book.forgetPeer(peerId)
    await this.requireHost().hangUp(peerId)
  }

  /**
   * Syncs now: the given collection (or every followed one) with the given peer (or every
   * connected Lineage peer). Resolves when all of them are done; failures are reported per sync.
   */
  async syncNow (options: { token_key?: string, peer_id?: string } = {}): Promise<Array<SyncResult | { peer_id: string, token_key: string, error: string }>> {
    this.requireHost()
    const collections = options.token_key === undefined ? this.book.list().map(f => f.token_key) : [options.token_key]
    if (options.token_key !== undefined && this.book.get(options.token_key) === undefined) throw new NotFollowedError(options.token_key)
    const peers = options.peer_id === undefined ? this.lineagePeers() : [options.peer_id]
    const runs = peers.flatMap(peer => collections.map(token => ({ peer, token, done: this.startSync(peer, token) })))
    return await Promise.all(runs.map(async r => {
      try {
        return await r.done
      } catch (err) {
        return { peer_id: r.peer, token_key: r.token, error: (err as Error).message }
      }
    }))
  }

  /** Cancels running syncs (all, or those of one collection); what they stored stays. */
  cancelSync (tokenKey?: string): number {
    let cancelled = 0
    for (const run of this.running.values()) {
      if (tokenKey !== undefined && run.progress.token_key !== tokenKey) continue
      run.abort.abort()
      cancelled++
    }
    return cancelled
  }

  status (): ReplicationStatus {
    return {
      follows: this.book.list().length,
      syncing: [...this.running.values()].map(r => ({ ...r.progress })),
      denied: this.denied.list(),
      remembered_peers: this.book.peers(),
    }
  }

  /** Whether a peer is cut off (the host's connection gater asks). */
  isDenied (peerId: string): boolean {
    return this.denied.isDenied(peerId)
  }

  private withCount (f: FollowRow): Follow {
    return { ...f, transactions: this.transactions.size(f.token_key) }
  }

  private requireHost (): P2pHost {
    const host = this.components.host
    if (host === undefined || !host.isStarted()) throw new ReplicationOfflineError()
    return host
  }

  /** Connected peers that said (identify) they speak the sync protocol. */
  private lineagePeers (): string[] {
    return [...this.syncPeers]
  }

  private syncPeer (peerId: string): void {
    for (const f of this.book.list()) this.startSync(peerId, f.token_key)
  }

  /** One sync per peer and collection at a time: a second ask joins the running one. */
  private startSync (peerId: string, tokenKey: string): Promise<SyncResult> {
    const id = `${peerId}|${tokenKey}`
    const running = this.running.get(id)
    if (running !== undefined) return running.done
    const { lineage, host, log } = this.components
    const abort = new AbortController()
    const progress: SyncProgress = { peer_id: peerId, token_key: tokenKey, phase: 'reconciling', fetched: 0, missing: 0, rounds: 0 }
    const done = (async () => {
      if (host === undefined) throw new ReplicationOfflineError()
      const { syncCollection } = await import('./sync-client.js')
      const result = await syncCollection({
        libp2p: host.libp2p,
        db: this.components.store.db,
        lineage,
        transactions: this.transactions,
        log,
        onReplicated: h => { this.markReplicated(h) },
      }, peerId, tokenKey, {
        signal: abort.signal,
        onProgress: p => { Object.assign(progress, p); this.init.onSyncProgress?.(p) },
      })
      this.book.markSynced(tokenKey, Date.now())
      this.book.peerSeen(peerId, Date.now())
      return result
    })()
    this.running.set(id, { progress, abort, done })
    done.catch(err => {
      const error = err as Error
      if (error.name === 'ForgedTransactionError' || error.name === 'SyncProtocolError') this.cutOff(peerId, error.message)
      log('sync of %s with %s failed: %s', tokenKey, peerId, error.message)
      this.init.onSyncFailed?.({ peer_id: peerId, token_key: tokenKey, error })
    }).finally(() => { this.running.delete(id) })
    return done
  }

  private markReplicated (hashes: string[]): void {
    for (const h of hashes) this.replicated.add(h)
  }

  /**
   * A transaction got its receipt. One this node replicated needs nothing more; one written here
   * makes its collection followed (if it was not) and is announced to the peers following it.
   */
  private outcome (outcome: Outcome): void {
    if (this.replicated.delete(outcome.hash)) return
    // Called for every receipt of a bulk import: read the transaction only when there is
    // something to do with it.
    const followed = this.followed.has(outcome.token_key)
    const listened = this.gossip?.hasListeners(outcome.token_key) === true
    if (followed && !listened) return
    const tx = this.transactions.request(outcome.hash)
    if (tx === undefined) return
    if (!followed) this.follow(tx.chain_id, tx.token_address, true)
    // A hidden token's transaction reaches followers by sync once it is revealed.
    if (listened && this.components.isHiddenTransaction?.(outcome.hash) !== true) this.gossip?.announce(outcome.token_key, tx)
  }

  /** A peer broke the rules (here, or in another protocol of the host): refused from now on (for DENY_PEER_MS) and hung up on. */
  cutOff (peerId: string, why: string): void {
    if (this.denied.isDenied(peerId)) return
    this.components.log('cutting off peer %s: %s', peerId, why)
    this.denied.deny(peerId, why)
    this.components.host?.hangUp(peerId).catch(() => {})
  }
}
