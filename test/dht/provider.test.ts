import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createDhtProvider, DHT_MAX_PROVIDED_CIDS, provideCandidates } from '../../src-main/dht/index.js'
import type { ContentAnnouncer } from '../../src-main/dht/index.js'
import { createStore } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

async function cidOf (text: string): Promise<string> {
  return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(text))).toString()
}

/**
 * Stands in for kad-dht's walks only (the real DHT is in findable.test.ts): each announcement
 * waits until the test lets it finish, so what runs at once, what waits and what was cancelled
 * can be read exactly.
 */
function heldAnnouncer (): ContentAnnouncer & { running: Set<string>, most: number, announced: string[], cancelled: string[], aborted: string[], release(): void } {
  const waiting: Array<() => void> = []
  const announcer = {
    running: new Set<string>(),
    most: 0,
    announced: [] as string[],
    cancelled: [] as string[],
    aborted: [] as string[],
    release () { for (const go of waiting.splice(0)) go() },
    async provide (cid: CID, { signal }: { signal: AbortSignal }): Promise<number> {
      const key = cid.toString()
      announcer.running.add(key)
      announcer.most = Math.max(announcer.most, announcer.running.size)
      try {
        await new Promise<void>((resolve, reject) => {
          waiting.push(resolve)
          signal.addEventListener('abort', () => { announcer.aborted.push(key); reject(signal.reason) }, { once: true })
        })
        announcer.announced.push(key)
        return 3
      } finally {
        announcer.running.delete(key)
      }
    },
    async cancelReprovide (cid: CID): Promise<void> { announcer.cancelled.push(cid.toString()) },
  }
  return announcer
}

async function settle (announcer: { running: Set<string>, release(): void }, rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    announcer.release()
    await new Promise(resolve => setImmediate(resolve))
  }
}

describe('DHT provider: bounded, cancellable, and it forgets what is no longer a candidate', () => {
  it('runs at most `concurrency` announcements, queues at most `queueMax`, and drops the rest for the next run', async () => {
    const announcer = heldAnnouncer()
    const provider = createDhtProvider({ announcer, candidates: function * () {}, log: testLog }, { concurrency: 2, queueMax: 3, firstReprovideDelayMs: 3_600_000 })
    provider.start()
    const cids = await Promise.all(Array.from({ length: 10 }, async (_, i) => await cidOf(`head ${i}`)))
    provider.announce(cids)
    await new Promise(resolve => setImmediate(resolve))
    // Two walking, three waiting; the five others were dropped, not queued without bound.
    expect(announcer.running.size).toBe(2)
    expect(provider.stats()).toMatchObject({ queued: 3, provided: 0 })
    await settle(announcer)
    expect(announcer.most).toBe(2)
    expect(announcer.announced).toEqual(cids.slice(0, 5))
    expect(provider.stats()).toMatchObject({ queued: 0, provided: 5, failed: 0 })
    await provider.stop()
  })

  it('runs again every interval on its own, until stopped', async () => {
    let runs = 0
    const cid = await cidOf('periodic')
    // The schedule is one plain timer: with fake timers, "no run after stop" is exact (ten whole
    // intervals pass, each of which ran the walk before stop), not a guess made by sleeping.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const provider = createDhtProvider({
        announcer: { provide: async () => 1, cancelReprovide: async () => {} },
        candidates: function * () { runs++; yield [cid] },
        log: testLog,
      }, { firstReprovideDelayMs: 0, reprovideIntervalMs: 20 })
      provider.start()
      await vi.advanceTimersByTimeAsync(40)
      expect(runs).toBe(3)
      expect(provider.stats().provided).toBe(1)
      await provider.stop()
      await vi.advanceTimersByTimeAsync(200)
      expect(runs).toBe(3)
    } finally {
      vi.useRealTimers()
    }
  })

  it('stop aborts the walks in flight, empties the queue, and announces nothing more', async () => {
    const announcer = heldAnnouncer()
    const provider = createDhtProvider({ announcer, candidates: function * () {}, log: testLog }, { concurrency: 2, firstReprovideDelayMs: 3_600_000 })
    provider.start()
    const cids = await Promise.all(Array.from({ length: 4 }, async (_, i) => await cidOf(`stop ${i}`)))
    provider.announce(cids)
    await new Promise(resolve => setImmediate(resolve))
    await provider.stop()
    expect(announcer.aborted.sort()).toEqual(cids.slice(0, 2).sort())
    expect(provider.stats()).toMatchObject({ queued: 0, provided: 0, failed: 0 })
    provider.provide(await cidOf('after stop'))
    await settle(announcer)
    expect(announcer.announced).toEqual([])
  })

  it('a full run announces the candidates batch by batch, and the next run cancels what left them', async () => {
    const announcer = heldAnnouncer()
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(cidOf)) as [string, string, string]
    let candidates = [a, b]
    const provider = createDhtProvider({ announcer, candidates: function * (limit, batch) { for (let i = 0; i < Math.min(limit, candidates.length); i += batch) yield candidates.slice(i, i + batch) }, log: testLog }, { batch: 1, firstReprovideDelayMs: 3_600_000 })
    provider.start()
    const steps: Array<{ done: number, provided: number }> = []
    const first = provider.reprovide({ onProgress: p => { steps.push(p) } })
    await settle(announcer)
    expect(await first).toEqual({ done: 2, provided: 2 })
    expect(steps).toEqual([{ done: 1, provided: 1 }, { done: 2, provided: 2 }])
    expect(provider.stats().last_reprovide_at).not.toBeNull()
    candidates = [b, c]
    const second = provider.reprovide()
    await settle(announcer)
    expect(await second).toEqual({ done: 2, provided: 2 })
    expect(announcer.cancelled).toEqual([a])
    expect(provider.stats().provided).toBe(2)
    await provider.stop()
  })
})

describe('DHT provider when the DHT cannot be reached', () => {
  const candidates = function * (): Generator<string[]> {
    yield ['bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', 'bafkreifssupleol3wojtz2vvyrkwkepatvggie73r45cror3qxfisv6gwq']
    yield ['bafkreicuqcr3pzc6muctovg3ibgpg7idtwlaob5k3gewwvutoxypnsh5gy']
  }

  it('with no DHT peer, a run walks nothing and says so (the timer retries it soon)', async () => {
    const walks: string[] = []
    const provider = createDhtProvider({ announcer: { provide: async cid => { walks.push(cid.toString()); return 1 }, cancelReprovide: async () => {}, ready: () => false }, candidates, log: testLog }, { firstReprovideDelayMs: 3_600_000 })
    provider.start()
    expect(await provider.reprovide()).toEqual({ done: 0, provided: 0, stopped: 'no-dht-peers' })
    expect(walks).toEqual([])
    expect(provider.stats().last_reprovide_at).toBeNull()
    await provider.stop()
  })

  it('a batch that reaches no peer ends the run there, counted as failures, and it is not reported as done', async () => {
    const walks: string[] = []
    const provider = createDhtProvider({ announcer: { provide: async cid => { walks.push(cid.toString()); return 0 }, cancelReprovide: async () => {}, ready: () => true }, candidates, log: testLog }, { firstReprovideDelayMs: 3_600_000 })
    provider.start()
    expect(await provider.reprovide()).toEqual({ done: 2, provided: 0, stopped: 'unreachable' })
    expect(walks).toHaveLength(2)
    expect(provider.stats()).toMatchObject({ failed: 2, provided: 0, last_reprovide_at: null })
    await provider.stop()
  })
})

describe('what the node announces (candidates.ts)', () => {
  const t = tempDir()
  let store: Store

  beforeAll(() => {
    store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
  })
  afterAll(() => {
    store.stop()
    t.cleanup()
  })

  function addSlots (heads: Array<{ cid: string, at: number }>): void {
    const insert = store.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES (?, 'open', 'pk', '', 'v1', 'tk', ?, ?, 0, 'tx', ?)`)
    store.db.transaction(() => { heads.forEach((h, i) => insert.run(`dk${h.at}-${i}`, String(i), h.cid, h.at)) })()
  }

  it('IPNS values first, then pinned roots newest first, then slot heads most recently changed first, each CID once, at most `limit`', async () => {
    const [v, p1, p2, h1, h2, h3] = await Promise.all(['value', 'pin 1', 'pin 2', 'head 1', 'head 2', 'head 3'].map(cidOf)) as string[]
    store.db.prepare('INSERT INTO pins (cid, recursive, name, created_at) VALUES (?, 1, ?, ?)').run(p1, 'older', 100)
    store.db.prepare('INSERT INTO pins (cid, recursive, name, created_at) VALUES (?, 1, ?, ?)').run(p2, 'newer', 200)
    // h1 is the head of two slots (the same content), and the IPNS value is pinned too.
    store.db.prepare('INSERT INTO pins (cid, recursive, name, created_at) VALUES (?, 1, ?, ?)').run(v, 'snapshot', 50)
    addSlots([{ cid: h1 as string, at: 10 }, { cid: h2 as string, at: 30 }, { cid: h3 as string, at: 20 }, { cid: h1 as string, at: 5 }])
    const batches = [...provideCandidates(store.db, () => [v as string], 100, 2)]
    expect(batches.flat()).toEqual([v, p2, p1, h2, h3, h1])
    expect(batches.every(b => b.length <= 2)).toBe(true)
    expect([...provideCandidates(store.db, () => [v as string], 4, 2)].flat()).toEqual([v, p2, p1, h2])
    store.db.exec('DELETE FROM pins; DELETE FROM slots')
  })

  it('a node with 100,000 token heads announces at most DHT_MAX_PROVIDED_CIDS, read a batch at a time', () => {
    // Candidates are read as text; the provider parses them (a head is a CIDv1 in the store).
    const heads = Array.from({ length: 100_000 }, (_, i) => ({ cid: `head-${i}`, at: i }))
    addSlots(heads)
    let read = 0
    const source = provideCandidates(store.db, () => [], DHT_MAX_PROVIDED_CIDS, 256)
    const first = source.next()
    read += first.done === true ? 0 : first.value.length
    expect(read).toBe(256)
    expect(first.value).toEqual(heads.slice(-256).reverse().map(h => h.cid))
    for (const batch of source) read += batch.length
    expect(read).toBe(DHT_MAX_PROVIDED_CIDS)
  })
})
