import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { MAX_PARTICLE_BYTES, MAX_PARTICLE_STREAMS, MAX_PARTICLES_PER_SECOND_PER_PEER, PARTICLE_PROTOCOL, SEND_TIMEOUT_MS, STREAM_CLOSE_TIMEOUT_MS } from './constants.js'
import { ParticleSendError } from './errors.js'
import type { Observer, Particle, PeerConnection, Subscribable, Subscription } from './internals.js'
import { checkParticleTime, decodeParticle, encodeParticle, frame, FrameDecoder, verifyParticle } from './wire.js'

export interface ParticleConnectionComponents {
  libp2p: Libp2p
  log: Logger
}

export interface ParticleConnectionInit {
  /** The external relay's peer id while one is configured; particles to peers we have no connection to go through it. */
  relayPeerId?: () => string | undefined
  maxStreams?: number
  maxMessageBytes?: number
  /** Particles a second each peer may send (bursts up to twice that); 0 for no limit. */
  maxParticlesPerSecond?: number
  sendTimeoutMs?: number
  closeTimeoutMs?: number
}

export interface ParticleConnectionStats {
  /** Particles written to a stream. */
  sent: number
  /** Particles accepted and handed to AquaVM. */
  received: number
  /** Particles dropped: malformed, badly signed, outside the time bounds, or over the sender's rate. */
  rejected: number
  /** Sends that failed (per next peer). */
  sendFailures: number
  /** Streams reset because a bad frame or an oversize length arrived. */
  abortedStreams: number
}

/** Incoming particles, for FluencePeer's `particleSource.subscribe({ next })`. */
export class ParticleSource implements Subscribable<Particle> {
  private readonly observers = new Set<Observer<Particle>>()

  subscribe (observer: Observer<Particle>): Subscription {
    this.observers.add(observer)
    return { unsubscribe: () => { this.observers.delete(observer) } }
  }

  next (particle: Particle): void {
    for (const o of this.observers) o.next(particle)
  }
}

/**
 * The connection FluencePeer is built with, over the node's own libp2p host. Sends one particle
 * per stream (what Nox and stock js-client do), accepts any number per stream, and drops (and
 * counts) particles that do not parse, are not signed by their init peer, or are outside the
 * time bounds. Nothing a remote sends stops the node.
 */
export class ParticleConnection implements PeerConnection {
  readonly particleSource = new ParticleSource()
  readonly stats: ParticleConnectionStats = { sent: 0, received: 0, rejected: 0, sendFailures: 0, abortedStreams: 0 }
  private readonly selfId: string
  private readonly log: Logger
  private started = false
  private readonly resets = new Set<ReturnType<typeof setTimeout>>()
  /** Remote peer → its token bucket (see MAX_PARTICLES_PER_SECOND_PER_PEER). */
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (private readonly components: ParticleConnectionComponents, private readonly init: ParticleConnectionInit = {}) {
    this.selfId = components.libp2p.peerId.toString()
    this.log = components.log
  }

  supportsRelay (): boolean {
    return this.init.relayPeerId?.() !== undefined
  }

  getRelayPeerId (): string {
    const relay = this.init.relayPeerId?.()
    if (relay === undefined) throw new ParticleSendError('this node has no relay configured')
    return relay
  }

  async start (): Promise<void> {
    if (this.started) return
    const max = this.init.maxStreams ?? MAX_PARTICLE_STREAMS
    await this.components.libp2p.handle(PARTICLE_PROTOCOL, (stream, connection) => { void this.onStream(stream, connection) }, {
      maxInboundStreams: max,
      maxOutboundStreams: max,
      // Particles reach a node behind a NAT over its relayed (limited) connections too.
      runOnLimitedConnection: true,
    })
    this.started = true
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    for (const t of this.resets) clearTimeout(t)
    this.resets.clear()
    await this.components.libp2p.unhandle(PARTICLE_PROTOCOL)
  }

  /** Called by FluencePeer with the peers AquaVM named; rejects if any send failed. */
  async sendParticle (nextPeerIds: string[], particle: Particle): Promise<void> {
    const bytes = frame(encodeParticle(particle))
    const failures: string[] = []
    await Promise.all(nextPeerIds.map(async id => {
      try {
        if (id === this.selfId) {
          this.particleSource.next(particle)
          return
        }
        await this.sendTo(this.route(id), bytes)
        this.stats.sent++
      } catch (err) {
        this.stats.sendFailures++
        failures.push(`${id}: ${(err as Error).message}`)
      }
    }))
    if (failures.length > 0) throw new ParticleSendError(`could not send particle ${particle.id} to ${failures.join('; ')}`)
  }

  /** A peer we have a connection to gets the particle directly; any other goes through the relay, if any. */
  private route (id: string): string {
    const relay = this.init.relayPeerId?.()
    if (relay === undefined || id === relay) return id
    return this.components.libp2p.getConnections(peerIdFromString(id)).length > 0 ? id : relay
  }

  private async sendTo (id: string, bytes: Uint8Array): Promise<void> {
    const timeout = this.init.sendTimeoutMs ?? SEND_TIMEOUT_MS
    const stream = await this.components.libp2p.dialProtocol(peerIdFromString(id), PARTICLE_PROTOCOL, { signal: AbortSignal.timeout(timeout), runOnLimitedConnection: true })
    try {
      if (!stream.send(bytes)) await stream.onDrain({ signal: AbortSignal.timeout(timeout) })
      const closeTimeout = this.init.closeTimeoutMs ?? STREAM_CLOSE_TIMEOUT_MS
      await stream.close({ signal: AbortSignal.timeout(closeTimeout) })
      // Stock js-client 0.9.0 never closes its side of a stream it only reads: without a reset,
      // every particle sent to it would leave a half-open stream until maxOutboundStreams is hit.
      if (stream.remoteWriteStatus !== 'closed') this.resetLater(stream, closeTimeout)
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  private resetLater (stream: Stream, ms: number): void {
    const timer = setTimeout(() => {
      this.resets.delete(timer)
      if (stream.status === 'open' || stream.status === 'closing') stream.abort(new Error('particle stream: the remote did not close its side'))
    }, ms)
    timer.unref()
    this.resets.add(timer)
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const decoder = new FrameDecoder(this.init.maxMessageBytes ?? MAX_PARTICLE_BYTES)
    const from = connection.remotePeer.toString()
    try {
      for await (const chunk of stream) {
        for (const message of decoder.push(chunk.subarray())) await this.onMessage(message, from)
      }
      await stream.close()
    } catch (err) {
      this.stats.abortedStreams++
      this.log('particle stream from %s reset: %s', from, (err as Error).message)
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }

  /** Takes one token from the peer's bucket; false when it has none left. */
  private withinRate (from: string, now = performance.now()): boolean {
    const rate = this.init.maxParticlesPerSecond ?? MAX_PARTICLES_PER_SECOND_PER_PEER
    if (rate <= 0) return true
    const burst = 2 * rate
    let bucket = this.buckets.get(from)
    if (bucket === undefined) {
      // Buckets of peers that went quiet are full again: forgetting them all changes nothing.
      if (this.buckets.size >= 10_000) this.buckets.clear()
      bucket = { tokens: burst, at: now }
      this.buckets.set(from, bucket)
    }
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * rate / 1000)
    bucket.at = now
    if (bucket.tokens < 1) return false
    bucket.tokens--
    return true
  }

  private async onMessage (message: Uint8Array, from: string): Promise<void> {
    if (!this.withinRate(from)) {
      this.stats.rejected++
      this.log('dropped a particle from %s: over %d particles a second', from, this.init.maxParticlesPerSecond ?? MAX_PARTICLES_PER_SECOND_PER_PEER)
      return
    }
    let particle: Particle
    try {
      particle = decodeParticle(message)
      checkParticleTime(particle)
      await verifyParticle(particle)
    } catch (err) {
      this.stats.rejected++
      this.log('dropped a particle from %s: %s', from, (err as Error).message)
      return
    }
    this.stats.received++
    this.particleSource.next(particle)
  }
}
