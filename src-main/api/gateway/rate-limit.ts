/**
 * Per-client token buckets for the public gateway listener. A client is its socket address,
 * or the address a trusted reverse proxy names in `X-Forwarded-For`: a header from anyone else
 * is ignored, or any client could choose its own bucket.
 */
import { isIP } from 'node:net'

export interface RateLimitInit {
  /** Reads a second a client may make on average; 0 turns the limit off. */
  perSecond: number
  /** Reads a client may make at once. */
  burst: number
  /** Most clients remembered; the one unseen for longest is forgotten first. */
  maxClients: number
  /** Addresses of reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: readonly string[]
}

interface Bucket { tokens: number, at: number }

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same client. */
function plainAddress (address: string): string {
  const lower = address.trim().toLowerCase()
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly trusted: ReadonlySet<string>

  constructor (private readonly init: RateLimitInit, private readonly now: () => number = () => performance.now()) {
    this.trusted = new Set(init.trustedProxies.map(plainAddress))
  }

  /**
   * The client a request is from: its socket address, unless that is a trusted proxy; then the
   * nearest address in X-Forwarded-For that is not a trusted proxy (the proxy appends the address
   * it saw; what is left of it the client may have written itself).
   */
  clientOf (socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    const socket = plainAddress(socketAddress ?? '')
    if (!this.trusted.has(socket) || forwardedFor === undefined) return socket
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map(plainAddress)
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] ?? ''
      if (isIP(hop) === 0) return socket
      if (!this.trusted.has(hop)) return hop
    }
    return socket
  }

  /** Takes one read from the client's bucket: 0 when allowed, else the whole seconds to wait. */
  take (client: string): number {
    const { perSecond, burst, maxClients } = this.init
    if (perSecond === 0) return 0
    const now = this.now()
    const bucket = this.buckets.get(client)
    let tokens = burst
    if (bucket !== undefined) {
      tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1000 * perSecond)
      // Re-inserted below, so the Map's order is least recently seen first.
      this.buckets.delete(client)
    } else if (this.buckets.size >= maxClients) {
      const oldest = this.buckets.keys().next().value
      if (oldest !== undefined) this.buckets.delete(oldest)
    }
    const allowed = tokens >= 1
    this.buckets.set(client, { tokens: allowed ? tokens - 1 : tokens, at: now })
    return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / perSecond))
  }
}
