import type { ParticleConnection } from './connection.js'
import { ParticleSource } from './connection.js'
import { MAX_HELD_PARTICLES } from './constants.js'
import type { Particle, PeerConnection } from './internals.js'

/**
 * The connection the js-client peer is built with, over the node's particle connection, which
 * listens from the node's start while the peer itself (js-client, AquaVM: about 25 MiB and a
 * second of loading) is made only when first needed. Particles that arrive before it is opened
 * (once the peer hosts its services) are held, and the first of them asks for the peer
 * (`onFirst`); opening hands them over in arrival order. The peer's stop leaves the node's
 * connection listening: the node stops that itself.
 */
export class HeldParticles implements PeerConnection {
  readonly particleSource = new ParticleSource()
  private held: Particle[] = []
  private isOpen = false

  constructor (private readonly connection: ParticleConnection, private readonly onFirst: () => void, private readonly maxHeld = MAX_HELD_PARTICLES) {
    connection.particleSource.subscribe({ next: particle => { this.take(particle) } })
  }

  supportsRelay (): boolean { return this.connection.supportsRelay() }
  getRelayPeerId (): string { return this.connection.getRelayPeerId() }

  async start (): Promise<void> {
    await this.connection.start()
  }

  async stop (): Promise<void> {
    this.isOpen = false
  }

  /** From now on particles go to the peer, the held ones first. */
  open (): void {
    this.isOpen = true
    const held = this.held
    this.held = []
    for (const particle of held) this.particleSource.next(particle)
  }

  async sendParticle (nextPeerIds: string[], particle: Particle): Promise<void> {
    await this.connection.sendParticle(nextPeerIds, particle)
  }

  /**
   * Drops the particles held (counted as rejected), after the peer could not be made: the next
   * particle asks for it again.
   */
  drop (): void {
    this.connection.stats.rejected += this.held.length
    this.held = []
  }

  /** Particles waiting for the peer. */
  get waiting (): number {
    return this.held.length
  }

  private take (particle: Particle): void {
    if (this.isOpen) {
      this.particleSource.next(particle)
      return
    }
    if (this.held.length >= this.maxHeld) {
      this.connection.stats.rejected++
      return
    }
    this.held.push(particle)
    if (this.held.length === 1) this.onFirst()
  }
}
