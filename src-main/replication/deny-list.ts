import { DENY_PEER_MS } from './constants.js'

/** Peers cut off for misbehaving, until their time is up. In memory: a restart forgives. */
export class DenyList {
  private readonly until = new Map<string, { until: number, why: string }>()

  deny (peerId: string, why: string, now = Date.now()): void {
    this.until.set(peerId, { until: now + DENY_PEER_MS, why })
  }

  isDenied (peerId: string, now = Date.now()): boolean {
    const entry = this.until.get(peerId)
    if (entry === undefined) return false
    if (entry.until > now) return true
    this.until.delete(peerId)
    return false
  }

  list (now = Date.now()): Array<{ peer_id: string, until: number, why: string }> {
    return [...this.until].filter(([, e]) => e.until > now).map(([peer_id, e]) => ({ peer_id, ...e }))
  }
}
