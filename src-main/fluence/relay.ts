import type { Libp2p } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import { dialTarget } from '../p2p/index.js'
import { RELAY_BACKOFF_INITIAL_MS, RELAY_BACKOFF_MAX_MS, RELAY_DIAL_TIMEOUT_MS } from './constants.js'
import { relayPeerIdOf } from './relay-address.js'

export type RelayState = 'connecting' | 'connected' | 'unreachable'

export interface RelayStatus {
  /** The multiaddr the node was told to use. */
  address: string
  peer_id: string
  state: RelayState
  /** Why the last attempt failed; null once connected. */
  last_error: string | null
  /** Failed attempts since the last success. */
  attempts: number
  /** ISO time of the next attempt while unreachable. */
  next_attempt_at: string | null
}

export interface RelayInit {
  initialBackoffMs?: number
  maxBackoffMs?: number
  dialTimeoutMs?: number
}

export { relayPeerIdOf }

/**
 * Keeps the node connected to an external relay (a Nox node or another Lineage node): dials it,
 * and after a failure or a disconnect dials again after a wait that doubles from
 * RELAY_BACKOFF_INITIAL_MS up to RELAY_BACKOFF_MAX_MS.
 */
export class RelayLink {
  readonly peerId: string
  private readonly address: Multiaddr
  private state: RelayState = 'connecting'
  private lastError: string | null = null
  private attempts = 0
  private nextAttemptAt: number | null = null
  private timer: ReturnType<typeof setTimeout> | undefined
  private running = false
  private dialing: AbortController | undefined

  constructor (private readonly components: { libp2p: Libp2p, log: Logger }, address: string, private readonly init: RelayInit = {}) {
    this.peerId = relayPeerIdOf(address)
    this.address = multiaddr(address)
  }

  start (): void {
    if (this.running) return
    this.running = true
    this.components.libp2p.addEventListener('peer:disconnect', this.onDisconnect)
    void this.attempt()
  }

  stop (): void {
    if (!this.running) return
    this.running = false
    this.components.libp2p.removeEventListener('peer:disconnect', this.onDisconnect)
    clearTimeout(this.timer)
    this.dialing?.abort()
  }

  status (): RelayStatus {
    return {
      address: this.address.toString(),
      peer_id: this.peerId,
      state: this.state,
      last_error: this.lastError,
      attempts: this.attempts,
      next_attempt_at: this.nextAttemptAt === null ? null : new Date(this.nextAttemptAt).toISOString(),
    }
  }

  private readonly onDisconnect = (event: CustomEvent<{ toString(): string }>): void => {
    if (!this.running || event.detail.toString() !== this.peerId) return
    this.components.log('relay %s disconnected; reconnecting', this.peerId)
    this.state = 'connecting'
    this.schedule(0)
  }

  private async attempt (): Promise<void> {
    if (!this.running) return
    this.nextAttemptAt = null
    if (this.state !== 'connected') this.state = 'connecting'
    const dialing = new AbortController()
    this.dialing = dialing
    try {
      await this.components.libp2p.dial(dialTarget(this.address), { signal: AbortSignal.any([dialing.signal, AbortSignal.timeout(this.init.dialTimeoutMs ?? RELAY_DIAL_TIMEOUT_MS)]) })
      if (!this.running) return
      this.state = 'connected'
      this.lastError = null
      this.attempts = 0
      this.components.log('connected to relay %s', this.address.toString())
    } catch (err) {
      if (!this.running) return
      this.attempts++
      this.state = 'unreachable'
      this.lastError = (err as Error).message
      const wait = Math.min((this.init.initialBackoffMs ?? RELAY_BACKOFF_INITIAL_MS) * 2 ** (this.attempts - 1), this.init.maxBackoffMs ?? RELAY_BACKOFF_MAX_MS)
      this.components.log('relay %s unreachable (%s); next attempt in %d ms', this.address.toString(), this.lastError, wait)
      this.schedule(wait)
    }
  }

  private schedule (ms: number): void {
    clearTimeout(this.timer)
    this.nextAttemptAt = Date.now() + ms
    this.timer = setTimeout(() => { void this.attempt() }, ms)
    this.timer.unref()
  }
}
