import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/processes.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'

/**
 * 100,000 particles is `npm run soak` (a minute or more: one AquaVM run each, one at a time in
 * the node's main thread). `npm test` sends SOAK_DEFAULT, enough to tell the fix from the
 * leak by a wide margin: FluencePeer 0.9.0 unpatched keeps ≈ 7 KB of heap per particle
 * (docs/FLUENCE.md, "What js-client 0.9.0 does"), so 20,000 particles would grow the heap by ≈ 140 MB against the 8 MB bound (measured: 7.5 KB/particle with the fix off).
 */
const SOAK_DEFAULT = 20_000
const PARTICLES = Number(process.env.LINEAGE_SOAK_PARTICLES ?? SOAK_DEFAULT)
const WARM_UP = 5_000
/** Particles sent before waiting for AquaVM to catch up: a steady load, not one flood. */
const WAVE = 250
const TTL_MS = 2_000
/** Heap growth allowed over the whole run (after GC), however many particles it sends. */
const MAX_HEAP_GROWTH_BYTES = 8 * 1024 * 1024
/**
 * RSS growth allowed over the second half of the run. RSS first climbs to a high-water mark (V8's
 * heap peak between collections, the AquaVM worker's Wasm memory, which never shrinks) and then
 * stays there; a leak would keep growing with the particles.
 */
const MAX_RSS_PLATEAU_GROWTH_BYTES = 48 * 1024 * 1024

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
/** Past the TTL, so every particle sent has expired and the node had its chance to drop its state. */
const EXPIRY_GRACE_MS = TTL_MS + 1_500
/** A pause between forced collections, so finalizers and freed Wasm memory settle before measuring. */
const GC_PAUSE_MS = 50
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe(`soak: ${PARTICLES} particles through a running node`, () => {
  let a: TestNode
  let sender: ReturnType<typeof spawn>
  let lines: AsyncIterator<string>

  beforeAll(async () => {
    // The soak measures memory at full speed, so the per-peer particle rate limit is off here
    // (test/fluence/particle-rate.test.ts covers the limit).
    a = await startTestNode({ particleRateLimit: 0 })
    const tcp = a.node.status().listenAddresses.find(x => !x.includes('/ws/')) ?? ''
    sender = spawn(process.execPath, [path.join(repoRoot, 'test', 'fluence', 'fixtures', 'particle-sender.mjs'), tcp, String(TTL_MS)], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] })
    lines = createInterface({ input: sender.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]()
    expect((await lines.next()).value).toMatch(/^ready /)
  }, 120_000)

  afterAll(async () => {
    sender.stdin?.end()
    await a.stop()
  })

  const fluence = () => {
    const f = a.node.fluence
    if (f === undefined) throw new Error('no Fluence peer')
    return f
  }

  /** Sends n particles in waves, each wave waiting until AquaVM has run every particle sent. */
  async function send (n: number, samples = 0): Promise<void> {
    for (let done = 0; done < n; done += WAVE) {
      if (samples > 0 && done % Math.max(WAVE, Math.floor(n / samples / WAVE) * WAVE) === 0) {
        const m = process.memoryUsage()
        console.log(`soak: ${done} sent, rss ${(m.rss / 1048576).toFixed(0)} MB, heap ${(m.heapUsed / 1048576).toFixed(0)} MB, external ${(m.external / 1048576).toFixed(0)} MB, arrayBuffers ${(m.arrayBuffers / 1048576).toFixed(0)} MB`)
      }
      const wave = Math.min(WAVE, n - done)
      const { avm_runs: before } = fluence().status().particles
      sender.stdin?.write(`send ${wave}\n`)
      await lines.next()
      await waitFor(`AquaVM to run the wave of ${wave}`, () => fluence().status().particles.avm_runs >= before + wave, { intervalMs: 20, detail: () => JSON.stringify(fluence().status().particles) })
    }
  }

  /** Heap and RSS once every particle has expired and its state should be gone. */
  async function settle (): Promise<{ heap: number, rss: number }> {
    await sleep(EXPIRY_GRACE_MS)
    for (let i = 0; i < 3; i++) {
      gc()
      await sleep(GC_PAUSE_MS)
    }
    const m = process.memoryUsage()
    return { heap: m.heapUsed, rss: m.rss }
  }

  it('leaves heap and RSS flat: growth is bounded, not proportional to the particles sent', async () => {
    await send(WARM_UP)
    const before = await settle()
    const { received: receivedBefore, rejected } = fluence().status().particles
    const started = performance.now()
    await send(PARTICLES / 2, 5)
    const half = await settle()
    await send(PARTICLES / 2, 5)
    const seconds = (performance.now() - started) / 1000
    const after = await settle()
    const status = fluence().status().particles
    const mb = (b: number): string => (b / 1048576).toFixed(1)
    console.log(`soak: ${PARTICLES} particles in ${seconds.toFixed(1)} s (${Math.round(PARTICLES / seconds)}/s); heap ${mb(before.heap)} → ${mb(after.heap)} MB (${Math.round((after.heap - before.heap) / PARTICLES)} B/particle); RSS ${mb(before.rss)} → ${mb(half.rss)} (half) → ${mb(after.rss)} MB`)
    expect(status.received - receivedBefore).toBe(PARTICLES)
    expect(status.rejected).toBe(rejected)
    expect(status.in_flight).toBe(0)
    expect(after.heap - before.heap).toBeLessThan(MAX_HEAP_GROWTH_BYTES)
    expect(after.rss - half.rss).toBeLessThan(MAX_RSS_PLATEAU_GROWTH_BYTES)
  }, 3_600_000)
})
