import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Outcome } from '../../../src-main/lineage/engine/index.js'
import { buildServiceBytes } from '../../../services/toolchain/builder/index.js'
import { repoRoot } from '../../helpers/processes.js'
import { ed25519Signer } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

// Collection A is bound to a hostile contract built with the project's own toolchain
// (test/marine/fixtures/hostile-meta: it loops, grows memory, recurses or answers too much when a
// write asks it to); collection B, unrelated, to `open`. What A's contract does must not reach B.
const A = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000aa' }
const B = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000bb' }
// Long enough that no harmless call (even one that starts a worker on a busy machine) comes near it.
const BUDGET_MS = 3000
const harmless = (n: number): string => JSON.stringify({ name: `harmless ${n}` })
/** A document asking for an attack; "huge" is padded so its sixteen copies pass the 256 KiB answer limit. */
const attack = (kind: string): string => JSON.stringify({ attack: kind, ...(kind === 'huge' ? { pad: 'x'.repeat(20 * 1024) } : {}) })

describe('one contract cannot hurt another collection (real engine, sandbox and hostile contract)', () => {
  let engine: TestEngine
  let signer: TestSigner
  /** Outcomes as the engine tells them, in order: the ordering facts the tests assert. */
  const heard: Outcome[] = []
  let tokenId = 0

  const write = async (collection: typeof A, contract: string, data: string): Promise<string> => {
    const request = await signer.sign({ method: 'metadata', ...collection, token_id: String(++tokenId), meta_contract_id: contract, alias: '', version: 'v1', data, mcdata: '' } as never)
    return engine.lineage.publish(request).hash
  }
  /** Resolves with the outcome of `hash` once the engine tells it. */
  const outcome = async (hash: string): Promise<Outcome> => await new Promise(resolve => {
    const seen = heard.find(o => o.hash === hash)
    if (seen !== undefined) { resolve(seen); return }
    const listen = (o: Outcome): void => {
      if (o.hash !== hash) return
      engine.lineage.off('applied', listen)
      engine.lineage.off('rejected', listen)
      resolve(o)
    }
    engine.lineage.on('applied', listen)
    engine.lineage.on('rejected', listen)
  })

  beforeAll(async () => {
    engine = await startTestEngine(['open'], { callTimeoutMs: BUDGET_MS, maxResultBytes: 256 * 1024 })
    await engine.sandbox.load('hostile', (await buildServiceBytes(path.join(repoRoot, 'test', 'marine', 'fixtures', 'hostile-meta'))).wasm)
    engine.lineage.on('applied', o => heard.push(o))
    engine.lineage.on('rejected', o => heard.push(o))
    signer = ed25519Signer()
    for (const [collection, contract] of [[A, 'hostile'], [B, 'open']] as const) {
      engine.lineage.publish(await signer.sign({ method: 'contract', ...collection, token_id: '', meta_contract_id: contract, alias: '', version: '', data: '{}', mcdata: '' } as never))
    }
    await engine.lineage.settled()
  }, 120_000)
  afterAll(async () => { await engine.stop() })

  it('applies a write to B while a batch of writes to A burns its budget, before the first of them is stopped', async () => {
    const loops = await Promise.all([1, 2].map(async () => await write(A, 'hostile', attack('loop'))))
    const b = await write(B, 'open', harmless(1))
    const from = heard.length
    expect(await outcome(b)).toMatchObject({ status: 'applied' })
    // B's receipt came first: none of A's writes had an outcome yet, so not even the first had
    // reached the end of its budget.
    expect(heard.slice(from).map(o => o.hash)).toEqual([b])
    const stopped = await Promise.all(loops.map(outcome))
    expect(stopped.map(o => [o.status, o.reason])).toEqual(loops.map(() => ['rejected', `Meta contract hostile did not finish on_execute within ${BUDGET_MS} ms and was stopped`]))
    expect(engine.lineage.receipt(loops[0] ?? '')).toMatchObject({ status: 'rejected', reason: `Meta contract hostile did not finish on_execute within ${BUDGET_MS} ms and was stopped` })
  }, 60_000)

  it('leaves B its lane while more of the burning contract\'s collections write than it has lanes, and decides them all', async () => {
    // Five more collections on the hostile contract: one loops, the others wait behind it in the
    // contract's queue, holding all of its lanes (VALIDATOR_LANES_PER_CONTRACT, 4); the fifth waits for one.
    const more = [1, 2, 3, 4, 5].map(n => ({ chain_id: '1', token_address: `0x00000000000000000000000000000000000000a${n}` }))
    for (const collection of more) engine.lineage.publish(await signer.sign({ method: 'contract', ...collection, token_id: '', meta_contract_id: 'hostile', alias: '', version: '', data: '{}', mcdata: '' } as never))
    await engine.lineage.settled()
    const writes = await Promise.all(more.map(async (collection, i) => await write(collection, 'hostile', i === 0 ? attack('loop') : harmless(10 + i))))
    const b = await write(B, 'open', harmless(3))
    const from = heard.length
    expect(await outcome(b)).toMatchObject({ status: 'applied' })
    expect(heard.slice(from).map(o => o.hash)).toEqual([b])
    // Every one is decided, the fifth (which waited for a lane) too.
    const decided = await Promise.all(writes.map(outcome))
    expect(decided.map(o => o.status)).toEqual(['rejected', 'applied', 'applied', 'applied', 'applied'])
  }, 60_000)

  it('answers a write to B while validate_metadata calls flood A, and refuses the flood past its limit at once', async () => {
    const candidate = { ...A, token_id: '1', data: attack('loop') }
    const flood = Array.from({ length: 8 }, () => engine.lineage.dryRun(candidate).then(r => r, (err: Error) => err))
    const b = await write(B, 'open', harmless(2))
    let floodSettled = 0
    for (const dryRun of flood) void dryRun.then(() => { floodSettled++ })
    const refusedAtOnce = (await Promise.all(flood.slice(2))).map(r => r instanceof Error ? r.name : 'answered')
    expect(refusedAtOnce).toEqual(Array.from({ length: 6 }, () => 'DryRunBusyError'))
    expect((await flood[2]) as Error).toMatchObject({ message: '2 validations by meta contract "hostile" are already waiting for it; try again once they are answered.' })
    expect(await outcome(b)).toMatchObject({ status: 'applied' })
    // Only the six refusals had settled when B was applied: the two dry runs let in still waited for A.
    expect(floodSettled).toBe(6)
    const answered = await Promise.all(flood.slice(0, 2))
    expect(answered).toEqual(Array.from({ length: 2 }, () => expect.objectContaining({ ok: false, reason: `Meta contract hostile did not finish on_execute within ${BUDGET_MS} ms and was stopped` })))
  }, 60_000)

  it.each([
    ['memory', 'ContractOutOfMemoryError', 'Meta contract hostile ran out of memory in on_execute: a contract may use at most 32 MiB, and it was stopped'],
    ['recursion', 'ContractStackOverflowError', 'Meta contract hostile overflowed its call stack in on_execute (recursion too deep) and was stopped'],
    ['huge', 'ContractResultTooLargeError', /^Meta contract hostile answered on_execute with 3\d\d KiB; an answer may be at most 256 KiB, so it was discarded$/],
  ] as Array<[string, string, string | RegExp]>)('refuses a write whose contract fails with %s, naming it, and accepts the very next harmless write at once', async (kind, name, reason) => {
    const restarts = engine.sandbox.stats().workerRestarts
    const bad = await write(A, 'hostile', attack(kind))
    const next = await write(A, 'hostile', harmless(3))
    expect(await outcome(bad)).toMatchObject({ status: 'rejected', reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) })
    expect(await outcome(next)).toMatchObject({ status: 'applied' })
    // No worker was ended (the only thing that cost a wait before): the contract got a fresh instance.
    expect(engine.sandbox.stats().workerRestarts).toBe(restarts)
    // validate_metadata names the same failure, and the contract serves the next dry run.
    const dry = await engine.lineage.dryRun({ ...A, token_id: '1', data: attack(kind) })
    expect(dry).toMatchObject({ ok: false, failure: name, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) })
    expect(await engine.lineage.dryRun({ ...A, token_id: '1', data: harmless(4) })).toMatchObject({ ok: true })
  }, 60_000)

  it('accepts the very next harmless write after a write stopped at its budget', async () => {
    const restarts = engine.sandbox.stats().workerRestarts
    const loop = await write(A, 'hostile', attack('loop'))
    const next = await write(A, 'hostile', harmless(5))
    expect(await outcome(loop)).toMatchObject({ status: 'rejected', reason: `Meta contract hostile did not finish on_execute within ${BUDGET_MS} ms and was stopped` })
    expect(await outcome(next)).toMatchObject({ status: 'applied' })
    // A loop cannot be stopped but by ending its worker: exactly one.
    expect(engine.sandbox.stats().workerRestarts).toBe(restarts + 1)
  }, 60_000)
})
