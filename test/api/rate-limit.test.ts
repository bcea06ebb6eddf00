import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../../src-main/api/gateway/rate-limit.js'

// The public gateway's buckets, on a clock the test moves: refills, waits and who a client is.
describe('public gateway rate limiter', () => {
  const limiter = (init: Partial<ConstructorParameters<typeof RateLimiter>[0]> = {}, clock = { ms: 0 }): RateLimiter =>
    new RateLimiter({ perSecond: 2, burst: 3, maxClients: 100, trustedProxies: [], ...init }, () => clock.ms)

  it('allows the burst, then says how many whole seconds to wait, and refills at the rate', () => {
    const clock = { ms: 0 }
    const l = limiter({}, clock)
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a')]).toEqual([0, 0, 0, 1])
    clock.ms = 500 // one read back at 2 a second
    expect([l.take('a'), l.take('a')]).toEqual([0, 1])
    clock.ms = 60_000 // refilled, but never past the burst
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a')]).toEqual([0, 0, 0, 1])
    // Another client has its own bucket.
    expect(l.take('b')).toBe(0)
  })

  it('asks a client to wait longer at a slower rate, and never limits at rate 0', () => {
    const slow = limiter({ perSecond: 0.01, burst: 1 })
    expect([slow.take('a'), slow.take('a')]).toEqual([0, 100])
    const off = limiter({ perSecond: 0 })
    expect(Array.from({ length: 50 }, () => off.take('a')).every(wait => wait === 0)).toBe(true)
  })

  it('forgets the client unseen longest once it remembers maxClients', () => {
    const l = limiter({ burst: 1, maxClients: 2 })
    expect([l.take('a'), l.take('b'), l.take('a')]).toEqual([0, 0, 1])
    l.take('c') // forgets b, the least recently seen
    expect([l.take('a'), l.take('b')]).toEqual([1, 0])
  })

  it('believes X-Forwarded-For only from a trusted proxy, and then only the hops the proxies added', () => {
    const l = limiter({ trustedProxies: ['127.0.0.1', '10.0.0.2'] })
    expect(l.clientOf('192.0.2.9', '198.51.100.7')).toBe('192.0.2.9')
    expect(l.clientOf('::ffff:192.0.2.9', undefined)).toBe('192.0.2.9')
    expect(l.clientOf('127.0.0.1', undefined)).toBe('127.0.0.1')
    expect(l.clientOf('::ffff:127.0.0.1', '198.51.100.7')).toBe('198.51.100.7')
    // The client may write any hops itself; the nearest one no trusted proxy added is the client.
    expect(l.clientOf('127.0.0.1', '203.0.113.1, 198.51.100.7, 10.0.0.2')).toBe('198.51.100.7')
    expect(l.clientOf('127.0.0.1', ['203.0.113.1', '198.51.100.7'])).toBe('198.51.100.7')
    // A hop that is not an address is not believed: the proxy itself is the client.
    expect(l.clientOf('127.0.0.1', 'unknown')).toBe('127.0.0.1')
  })
})
