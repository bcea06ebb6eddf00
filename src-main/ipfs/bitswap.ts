import { withBitswap } from '@helia/bitswap'
import type { BitswapWantProgressEvents } from '@helia/bitswap'
import type { Libp2p } from '@libp2p/interface'
import type { ComponentLogger, Logger } from '@libp2p/logger'
import type { CID } from 'multiformats/cid'
import { AbortError, MAX_BLOCK_BYTES, verifyBlock } from '../dag/index.js'
import type { SqliteBlockstore } from '../store/index.js'
import { FETCH_TIMEOUT_MS, MAX_BITSWAP_STREAMS, MAX_MESSAGE_BYTES, MAX_PEER_WANTLIST_ENTRIES, UNSOLICITED_GRACE_MS } from './constants.js'
import { BitswapNotStartedError, BitswapStartError, BlockMismatchError, BlockTooLargeError, BlockUnavailableError } from './errors.js'
import { connectedPeersRouting, loadHasher } from './routing.js'

export interface BitswapServiceComponents {
  /** The node's libp2p host, on which the bitswap protocol is registered. */
  libp2p: Libp2p
  /** The node's blockstore: what peers may fetch, and where fetched blocks go. */
  blockstore: SqliteBlockstore
  logger: ComponentLogger
  /**
   * A peer sent a block this node never asked for: bitswap names a received block by hashing
   * it, so a block whose bytes do not match the CID it was sent for arrives as such a block.
   * The node cuts the peer off.
   */
  onMisbehaviour?(peerId: string, why: string): void
  /**
   * Blocks that are not served to peers for now (reveal on mint: the versions of a token hidden
   * until it is minted); asked at each want, so a block is served from the moment it is revealed.
   */
  isHidden?(cid: CID, bytes: Uint8Array | undefined): boolean
}

export interface BitswapServiceInit {
  /** How long one block may take to arrive; defaults to FETCH_TIMEOUT_MS. */
  fetchTimeoutMs?: number
  /** Largest bitswap message read or written; defaults to MAX_MESSAGE_BYTES. */
  maxMessageBytes?: number
  /** Wantlist entries kept per peer; defaults to MAX_PEER_WANTLIST_ENTRIES. */
  maxPeerWantlistEntries?: number
}

export interface WantOptions {
  signal?: AbortSignal
  /** Bitswap's own progress events (want sent, block received…), for logs and UIs. */
  onProgress?: (event: BitswapWantProgressEvents) => void
}

export interface BitswapService {
  start(): Promise<void>
  stop(): Promise<void>
  isStarted(): boolean
  /**
   * The block of `cid`: from this node's blockstore, or else from connected peers, checked
   * against the CID and stored before it is returned. Throws BlockUnavailableError after the
   * fetch timeout, AbortError when `signal` aborts, BlockMismatchError, BlockTooLargeError,
   * BitswapNotStartedError.
   */
  want(cid: CID, options?: WantOptions): Promise<Uint8Array>
  /** Sends a block this node just stored to the peers that asked for it. */
  notify(cid: CID): Promise<void>
}

type HeliaParts = Parameters<typeof withBitswap>[0]
/** What this service uses of the block broker the mixin creates (@helia/interface BlockBroker). */
interface BlockBroker {
  retrieve(cid: CID, options: { signal: AbortSignal, onProgress?: (event: BitswapWantProgressEvents) => void }): Promise<Uint8Array>
  announce(cid: CID): Promise<void>
  stop(): Promise<void>
}

type Mixin = Parameters<HeliaParts['addMixin']>[0]

/**
 * @helia/bitswap's only public entry is a Helia mixin. Helia's own parts are not wanted here (the
 * node has its blockstore, libp2p host and no DHT), so the mixin gets exactly what it reads from a
 * Helia node: those parts, plus the hooks that hand over the block broker it creates.
 */
async function startBroker (components: BitswapServiceComponents, init: Required<BitswapServiceInit>): Promise<BlockBroker> {
  let mixin: Mixin | undefined
  let broker: Partial<BlockBroker> | undefined
  const parts = {
    libp2p: components.libp2p,
    blockstore: servedBlockstore(components),
    logger: components.logger,
    routing: connectedPeersRouting(),
    getHasher: loadHasher,
    status: 'starting',
    hasBlockBroker: () => false,
    addBlockBroker: (created: Partial<BlockBroker>) => { broker = created },
    addMixin: (added: Mixin) => { mixin = added },
  }
  withBitswap(parts as unknown as HeliaParts, {
    maxIncomingMessageSize: init.maxMessageBytes,
    maxOutgoingMessageSize: init.maxMessageBytes,
    maxWantlistSize: init.maxPeerWantlistEntries,
    maxInboundStreams: MAX_BITSWAP_STREAMS,
    maxOutboundStreams: MAX_BITSWAP_STREAMS,
    // Blocks of a node behind a NAT travel over its relayed (limited) connections too.
    runOnLimitedConnections: true,
  })
  await mixin?.start?.(parts as unknown as HeliaParts)
  if (broker?.retrieve === undefined || broker.announce === undefined || broker.stop === undefined) throw new BitswapStartError()
  return broker as BlockBroker
}

/**
 * The blockstore as peers see it: the mixin asks `has` before it sends a block, so a hidden block
 * is one this node does not have. Everything else is the blockstore's own.
 */
function servedBlockstore ({ blockstore, isHidden }: BitswapServiceComponents): SqliteBlockstore {
  if (isHidden === undefined) return blockstore
  const view = Object.create(blockstore) as SqliteBlockstore
  view.has = async (cid, options) => await blockstore.has(cid, options) && !isHidden(cid, blockstore.getSync(cid))
  view.get = async function * (cid, options) {
    if (isHidden(cid, blockstore.getSync(cid))) throw new BlockUnavailableError(cid.toString(), 0, 0)
    yield * blockstore.get(cid, options)
  }
  return view
}

/** One key per block whatever its CID version or codec: the bytes of its multihash. */
function multihashKey (cid: CID): string {
  return Buffer.from(cid.multihash.bytes).toString('base64')
}

/** The parts of @helia/bitswap's broker (private there) that tell who sent which block. */
interface BlockEvents { bitswap?: { wantList?: { addEventListener(type: 'block', listener: (event: CustomEvent<{ sender: { toString(): string }, cid: CID }>) => void): void } } }

class HeliaBitswapService implements BitswapService {
  private broker: BlockBroker | undefined
  /** CIDs this node asked for, until when a block for them is still expected (a late duplicate is fine). */
  private readonly wanted = new Map<string, number>()
  private readonly log: Logger
  private readonly init: Required<BitswapServiceInit>

  constructor (private readonly components: BitswapServiceComponents, init: BitswapServiceInit) {
    this.log = components.logger.forComponent('lineage:ipfs')
    this.init = {
      fetchTimeoutMs: init.fetchTimeoutMs ?? FETCH_TIMEOUT_MS,
      maxMessageBytes: init.maxMessageBytes ?? MAX_MESSAGE_BYTES,
      maxPeerWantlistEntries: init.maxPeerWantlistEntries ?? MAX_PEER_WANTLIST_ENTRIES,
    }
  }

  isStarted (): boolean { return this.broker !== undefined }

  async start (): Promise<void> {
    if (this.broker !== undefined) return
    this.broker = await startBroker(this.components, this.init)
    const wantList = (this.broker as unknown as BlockEvents).bitswap?.wantList
    wantList?.addEventListener('block', event => { this.received(event.detail.sender.toString(), event.detail.cid) })
    this.log('bitswap serving the blockstore')
  }

  async stop (): Promise<void> {
    const broker = this.broker
    if (broker === undefined) return
    this.broker = undefined
    // Unregisters the protocol handler and topology, so a stopped node answers no wants.
    await broker.stop()
  }

  async want (cid: CID, options: WantOptions = {}): Promise<Uint8Array> {
    const broker = this.started()
    const { blockstore, libp2p } = this.components
    const local = blockstore.getSync(cid)
    if (local !== undefined) return local
    this.expect(cid)
    const timeout = AbortSignal.timeout(this.init.fetchTimeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])
    let bytes: Uint8Array
    try {
      bytes = await broker.retrieve(cid, { signal, ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }) })
    } catch (err) {
      if (options.signal?.aborted === true) throw new AbortError('block fetch')
      if (timeout.aborted) throw new BlockUnavailableError(cid.toString(), this.init.fetchTimeoutMs, libp2p.getConnections().length)
      throw err
    }
    // Bitswap names a received block by hashing it, so these hold already; checked again because
    // what is stored here is served to everyone as that CID.
    if (bytes.byteLength > MAX_BLOCK_BYTES) throw new BlockTooLargeError(cid.toString(), bytes.byteLength, MAX_BLOCK_BYTES)
    if (!verifyBlock(cid, bytes)) throw new BlockMismatchError(cid.toString())
    blockstore.putSync(cid, bytes)
    this.log('fetched %c (%d bytes)', cid, bytes.byteLength)
    await this.notify(cid)
    return bytes
  }

  private expect (cid: CID, now = Date.now()): void {
    for (const [key, until] of this.wanted) if (until < now) this.wanted.delete(key)
    this.wanted.set(multihashKey(cid), now + this.init.fetchTimeoutMs + UNSOLICITED_GRACE_MS)
  }

  /** Every block bitswap received: one this node did not want (by multihash) gets its sender cut off. */
  private received (sender: string, cid: CID): void {
    const until = this.wanted.get(multihashKey(cid))
    if (until !== undefined && until >= Date.now()) return
    this.log('peer %s sent block %c, which this node did not ask for', sender, cid)
    this.components.onMisbehaviour?.(sender, `sent block ${cid.toString()}, which this node did not ask for (a block whose bytes do not match the CID it was sent for arrives this way)`)
  }

  async notify (cid: CID): Promise<void> {
    await this.started().announce(cid)
  }

  private started (): BlockBroker {
    if (this.broker === undefined) throw new BitswapNotStartedError()
    return this.broker
  }
}

export function createHeliaBitswapService (components: BitswapServiceComponents, init: BitswapServiceInit = {}): BitswapService {
  return new HeliaBitswapService(components, init)
}
