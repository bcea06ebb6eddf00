import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContractSandbox } from '../../src-main/marine/index.js'
import type { ContractSandbox } from '../../src-main/marine/index.js'
import { buildServiceBytes } from '../../services/toolchain/builder/index.js'
import { testLog } from '../helpers/logger.js'
import { builtService } from '../helpers/services.js'

// A meta contract built with the project's own toolchain, like any a creator deploys, that
// attacks the node when a write asks it to (fixtures/hostile-meta).
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hostile-meta')

/** on_execute's arguments for a write of `data`, as the validator builds them. */
function execute (id: string, data: string): unknown[] {
  return [
    { hash: 'b'.repeat(64), token_key: 't', meta_contract_id: id, public_key: 'pk', cid: '' },
    [],
    { hash: 'a'.repeat(64), method: 'metadata', meta_contract_id: id, data_key: 'd', token_key: 't', data, public_key: 'pk', alias: '', timestamp: 1, chain_id: '1', token_address: '0x', token_id: '1', version: 'v1', status: 0, mcdata: '' },
  ]
}

const harmless = '{"name":"harmless"}'

let hostileWasm: Uint8Array
beforeAll(async () => { hostileWasm = (await buildServiceBytes(fixture)).wasm }, 120_000)
/** A document asking for an attack; "huge" is padded so its sixteen copies come to 320 KiB and more. */
const attack = (kind: string): string => JSON.stringify({ attack: kind, ...(kind === 'huge' ? { pad: 'x'.repeat(20 * 1024) } : {}) })

describe('contract sandbox: named failures, and recovery at once', () => {
  let sandbox: ContractSandbox
  beforeAll(async () => {
    // Answers of at most 256 KiB: a huge one is then quick to make, and the limit is the same rule.
    sandbox = createContractSandbox({ log: testLog }, { callTimeoutMs: 4000, maxResultBytes: 256 * 1024 })
    await sandbox.load('hostile', hostileWasm)
  }, 120_000)
  afterAll(async () => { await sandbox.stop() })

  const accepted = async (): Promise<unknown> => await sandbox.call('hostile', 'on_execute', execute('hostile', harmless))

  it.each([
    ['memory', 'ContractOutOfMemoryError', 'Meta contract hostile ran out of memory in on_execute: a contract may use at most 32 MiB, and it was stopped'],
    ['recursion', 'ContractStackOverflowError', 'Meta contract hostile overflowed its call stack in on_execute (recursion too deep) and was stopped'],
    ['huge', 'ContractResultTooLargeError', /^Meta contract hostile answered on_execute with 3\d\d KiB; an answer may be at most 256 KiB, so it was discarded$/],
  ] as Array<[string, string, string | RegExp]>)('names a failure of kind %s, and the very next call of the contract is answered by a fresh instance in the same worker', async (kind, name, message) => {
    const restarts = sandbox.stats().workerRestarts
    await expect(sandbox.call('hostile', 'on_execute', execute('hostile', attack(kind)))).rejects.toMatchObject({ name, message: typeof message === 'string' ? message : expect.stringMatching(message) })
    expect(await accepted()).toMatchObject({ result: true, error_string: '', metadatas: [{ content: harmless, alias: '', version: 'v1', public_key: 'pk' }] })
    expect(sandbox.stats().workerRestarts).toBe(restarts)
  })

  it('names a loop as its time budget, and the very next call is answered in a fresh worker', async () => {
    const restarts = sandbox.stats().workerRestarts
    await expect(sandbox.call('hostile', 'on_execute', execute('hostile', attack('loop')))).rejects.toMatchObject({ name: 'ContractTimeoutError', message: 'Meta contract hostile did not finish on_execute within 4000 ms and was stopped' })
    expect(await accepted()).toMatchObject({ result: true })
    // Only a loop costs a worker: it cannot be stopped any other way.
    expect(sandbox.stats().workerRestarts).toBe(restarts + 1)
  })

  it('fails only the attacking call of a batch; the calls around it are answered', async () => {
    const results = await sandbox.callMany(['memory', 'none', 'recursion', 'none', 'huge', 'none', 'loop', 'none'].map(kind => ({ id: 'hostile', fn: 'on_execute', args: execute('hostile', kind === 'none' ? harmless : attack(kind)) })))
    expect(results.map(r => r.ok ? 'ok' : r.error.name)).toEqual([
      'ContractOutOfMemoryError', 'ok', 'ContractStackOverflowError', 'ok', 'ContractResultTooLargeError', 'ok', 'ContractTimeoutError', 'ok',
    ])
  }, 60_000)
})

describe('contract sandbox: one contract cannot hold up another', () => {
  let sandbox: ContractSandbox
  beforeAll(async () => {
    const hostile = hostileWasm
    // Two workers (the default), and a budget long enough that an answer within it is no accident.
    sandbox = createContractSandbox({ log: testLog }, { callTimeoutMs: 2000 })
    expect(sandbox.stats().workers).toBe(2)
    await sandbox.load('hostile', hostile)
    await sandbox.load('hostile-too', hostile)
    await sandbox.load('open', builtService('open'))
  }, 120_000)
  afterAll(async () => { await sandbox.stop() })

  /** Settles `call` into `order` under `label` (whatever its outcome), for ordering facts. */
  const track = (order: string[], label: string, call: Promise<unknown>): Promise<void> => call.then(() => { order.push(label) }, () => { order.push(label) })

  it('answers another contract while one burns its budget: a contract holds at most one worker', async () => {
    const order: string[] = []
    const loops = [1, 2].map(n => track(order, `loop ${n}`, sandbox.call('hostile', 'on_execute', execute('hostile', attack('loop')))))
    const open = track(order, 'open', sandbox.call('open', 'on_execute', execute('open', harmless)))
    await open
    // Two loops queued for one contract; had they taken both workers, the open call would
    // have waited for the first loop's budget to run out.
    expect(order).toEqual(['open'])
    await Promise.all(loops)
    expect(order).toEqual(['open', 'loop 1', 'loop 2'])
  }, 60_000)

  it('takes turns: with both workers held by looping contracts, a waiting contract goes before their next calls', async () => {
    const order: string[] = []
    const first = [1, 2].map(n => track(order, `hostile ${n}`, sandbox.call('hostile', 'on_execute', execute('hostile', attack('loop')))))
    const second = [1, 2].map(n => track(order, `hostile-too ${n}`, sandbox.call('hostile-too', 'on_execute', execute('hostile-too', attack('loop')))))
    const open = track(order, 'open', sandbox.call('open', 'on_execute', execute('open', harmless)))
    await Promise.all([...first, ...second, open])
    // The open contract waited for a worker (both were held), and got the first one freed, before
    // either looping contract's second call.
    const openAt = order.indexOf('open')
    expect(openAt).toBeGreaterThan(0)
    expect(openAt).toBeLessThan(order.indexOf('hostile 2'))
    expect(openAt).toBeLessThan(order.indexOf('hostile-too 2'))
  }, 60_000)
})
