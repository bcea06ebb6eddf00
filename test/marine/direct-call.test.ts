// Meta contracts' on_execute and on_mint called straight through WebAssembly in the sandbox's
// workers, held to marine-js on the same contracts (every built-in one and the test ones, both
// Transaction records) with seeded random calls, and the same budgets and refusals.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContractSandbox } from '../../src-main/marine/index.js'
import type { ContractCall, ContractCallResult, ContractSandbox } from '../../src-main/marine/index.js'
import { directPlan } from '../../src-main/marine/direct-plan.js'
import { buildServiceBytes } from '../../services/toolchain/builder/index.js'
import { documentFor } from '../../bench/documents.js'
import { testLog } from '../helpers/logger.js'
import { builtService } from '../helpers/services.js'
import { TEST_SEED } from '../helpers/seeded.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
/** Contracts built from source for this test: the template, and test contracts of several suites. */
const FROM_SOURCE: Record<string, string> = {
  'template': 'services/template',
  'hostile-meta': 'test/marine/fixtures/hostile-meta',
  'original-open': 'test/chain/fixtures/original-open',
  'mint-stamp': 'test/chain/fixtures/mint-stamp',
  'greedy': 'test/lineage/engine/fixtures/greedy',
  'exec-trap': 'test/api/fixtures/hostile-contracts/exec-trap',
  'float-meta': 'test/marine/fixtures/float-meta',
}
const BUILT_IN = ['open', 'erc721', 'collab', 'holders']

/** Lower-case hex of `min` to `max` digits. */
const hex = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: min, maxLength: max })
const BINDER = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'
const key = fc.constantFrom(BINDER, BINDER.toUpperCase().replace('0X', '0x'), '0x1111111111111111111111111111111111111111', 'ed25519:' + 'ab'.repeat(32), '', 'pk')
const text = fc.oneof(fc.constantFrom('', 'traits', '_members', 'v1', 'ÿ', '🦄 grüße', 'a"b\\c', 'tab\there\nline', '\u0001\u001f\u007f', '\ufeffbom'), fc.string({ maxLength: 10, unit: 'grapheme' }), fc.string({ maxLength: 6, unit: 'binary' }))
const int64 = fc.oneof(fc.constantFrom(0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 31, 2 ** 32 + 5), fc.integer())
const document = fc.oneof(
  fc.nat(100_000).map(n => JSON.stringify(documentFor(n))),
  fc.jsonValue({ maxDepth: 3 }).map(v => JSON.stringify(v)),
  fc.constantFrom('not json', '', '{"attack":"writes","count":3}', '{"attack":"size","count":200}', '{"attack":"loose","count":-7}', '{"attack":"key","value":""}', '{"attack":"content","value":"\\u0000é"}', '{"attack":"deep","count":40}', '{"attack":"alias","value":"_members"}'),
  text,
)
const metadata = fc.record({ hash: hex(0, 64), token_key: text, data_key: text, meta_contract_id: text, token_id: text, alias: text, cid: text, public_key: key, version: text, loose: int64 })

/** on_execute's or on_mint's arguments for contract `id`, as the validator and the chain watcher build them (and odder). */
const callOf = (id: string): fc.Arbitrary<ContractCall> => {
  const contract = fc.record({ hash: hex(64, 64), token_key: text, meta_contract_id: fc.constant(id), public_key: key, cid: fc.constant('') })
  const transaction = fc.record({
    hash: hex(64, 64),
    method: fc.constantFrom('metadata', 'metadata', 'metadata', 'burn'),
    meta_contract_id: fc.constant(id),
    data_key: text,
    token_key: text,
    data: document,
    public_key: key,
    alias: fc.oneof(fc.constantFrom('', '', BINDER), text),
    timestamp: fc.oneof(fc.constantFrom(0, 2 ** 53 - 1), fc.nat()),
    chain_id: fc.constantFrom('1', '137', ''),
    token_address: fc.constantFrom('0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d', ''),
    token_id: fc.oneof(fc.nat().map(String), text),
    version: fc.constantFrom('', 'v1', 'v2'),
    status: fc.constant(0),
    mcdata: text,
    token_state: fc.constantFrom('minted', 'unminted', 'burned', 'unwatched'),
    token_owner: fc.constantFrom('', BINDER, '0x1111111111111111111111111111111111111111'),
  })
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(contract, fc.array(metadata, { maxLength: 3 }), transaction).map(args => ({ id, fn: 'on_execute', args })) },
    { weight: 1, arbitrary: fc.tuple(contract, text, fc.nat().map(String), document).map(args => ({ id, fn: 'on_mint', args })) },
  )
}

/** An answer as text, keys in order; a failure as its name and the words a client reads. */
const outcome = (r: ContractCallResult | undefined): unknown => r === undefined ? 'none' : r.ok ? JSON.stringify(r.value) : `${r.error.name}: ${r.error.message}`

describe('on_execute and on_mint straight through WebAssembly, against marine-js', () => {
  const contracts = new Map<string, Uint8Array>()
  let direct: ContractSandbox
  let marine: ContractSandbox
  beforeAll(async () => {
    for (const name of BUILT_IN) contracts.set(name, builtService(name))
    for (const [name, dir] of Object.entries(FROM_SOURCE)) contracts.set(name, (await buildServiceBytes(path.join(repo, dir))).wasm)
    direct = createContractSandbox({ log: testLog }, { workers: 1 })
    marine = createContractSandbox({ log: testLog }, { workers: 1, directCalls: false })
    for (const [name, wasm] of contracts) {
      await direct.load(name, wasm)
      await marine.load(name, wasm)
    }
  }, 120_000)
  afterAll(async () => { await Promise.all([direct?.stop(), marine?.stop()]) })

  it('plans every contract built with the SDK, both Transaction records, and no float answer', () => {
    for (const name of [...BUILT_IN, 'template', 'hostile-meta', 'original-open', 'mint-stamp', 'greedy', 'exec-trap']) {
      expect(Object.keys(directPlan(contracts.get(name) as Uint8Array) ?? {}), name).toEqual(['on_execute', 'on_mint'])
    }
    const transaction = (name: string): unknown => (directPlan(contracts.get(name) as Uint8Array)?.on_execute?.args[2] as { names: string[] }).names
    expect(transaction('original-open')).toHaveLength(15)
    expect(transaction('open')).toEqual(expect.arrayContaining(['token_state', 'token_owner']))
    expect(transaction('open')).toHaveLength(17)
    expect(directPlan(contracts.get('float-meta') as Uint8Array)).toBeUndefined()
    // A service that is no contract has nothing to call directly.
    expect(directPlan(builtService('formatter'))).toBeUndefined()
  })

  it(`gives marine-js's answers and refusals, key order included, for random calls of every contract (seed ${TEST_SEED})`, async () => {
    const names = [...contracts.keys()].filter(name => name !== 'hostile-meta')
    const calls = fc.sample(fc.constantFrom(...names).chain(callOf), { seed: TEST_SEED, numRuns: 1500 })
    const before = direct.stats().directCalls
    const [got, expected] = await Promise.all([direct.callMany(calls), marine.callMany(calls)])
    let accepted = 0
    let refused = 0
    calls.forEach((call, i) => {
      expect(outcome(got[i]), `seed ${TEST_SEED}, call ${i}: ${call.id}.${call.fn} ${JSON.stringify(call.args)}`).toEqual(outcome(expected[i]))
      const value = expected[i]?.ok === true ? expected[i].value as { result?: unknown } : undefined
      if (value?.result === true) accepted++
      if (value?.result === false) refused++
    })
    // Both answers were compared many times, and the direct path gave them (all but float-meta's and the traps).
    expect(accepted, `seed ${TEST_SEED}`).toBeGreaterThan(200)
    expect(refused, `seed ${TEST_SEED}`).toBeGreaterThan(200)
    const planned = calls.filter((call, i) => call.id !== 'float-meta' && got[i]?.ok === true).length
    expect(direct.stats().directCalls - before).toBe(planned)
    expect(marine.stats().directCalls).toBe(0)
  }, 120_000)

  it('sends a call whose arguments marine-js would refuse or reshape through marine-js, with its refusal', async () => {
    const [contract, , transaction] = fc.sample(callOf('original-open').filter(c => c.fn === 'on_execute'), { seed: TEST_SEED, numRuns: 1 })[0]?.args as unknown[]
    const odd: ContractCall[] = [
      { id: 'original-open', fn: 'on_execute', args: [contract, [], { ...transaction as object, extra: 'x' }] },
      { id: 'original-open', fn: 'on_execute', args: [contract, [], { ...transaction as object, data: 'lone \ud800' }] },
      { id: 'original-open', fn: 'on_execute', args: [contract, [], { ...transaction as object, timestamp: -1 }] },
      { id: 'original-open', fn: 'on_execute', args: [contract, [], { ...transaction as object, timestamp: 1.5 }] },
      { id: 'original-open', fn: 'on_execute', args: { contract, metadatas: [], transaction } },
      { id: 'original-open', fn: 'on_mint', args: [contract, 'k', '1', ['a single string in an array']] },
    ]
    const before = direct.stats().directCalls
    const [got, expected] = await Promise.all([direct.callMany(odd), marine.callMany(odd)])
    expect(got.map(r => r.ok ? JSON.stringify(r.value) : `${r.error.name}: ${r.error.message}`)).toEqual(expected.map(r => r.ok ? JSON.stringify(r.value) : `${r.error.name}: ${r.error.message}`))
    // Named arguments and a flattened one are taken by marine-js; the others are refused.
    expect(got.map(r => r.ok)).toEqual([false, false, false, false, true, true])
    expect(direct.stats().directCalls).toBe(before)
  })

  it('keeps the answer-size budget to the byte: the size counted is that of marine-js\'s JSON text', async () => {
    const greedy = contracts.get('greedy') as Uint8Array
    const [contract, , transaction] = fc.sample(callOf('greedy').filter(c => c.fn === 'on_execute'), { seed: TEST_SEED, numRuns: 1 })[0]?.args as unknown[]
    const call: ContractCall = { id: 'greedy', fn: 'on_execute', args: [contract, [], { ...transaction as object, method: 'metadata', data: '{"attack":"content","value":"\\u0001\\u001f\\"\\\\é🦄\\n\\t"}' }] }
    const [answer] = await marine.callMany([call])
    if (answer?.ok !== true) throw new Error('the greedy contract refused its call')
    const bytes = Buffer.byteLength(JSON.stringify(answer.value))
    for (const [limit, ok] of [[bytes, true], [bytes - 1, false]] as const) {
      for (const directCalls of [true, false]) {
        const sandbox = createContractSandbox({ log: testLog }, { workers: 1, maxResultBytes: limit, directCalls })
        try {
          await sandbox.load('greedy', greedy)
          const [result] = await sandbox.callMany([call])
          expect(result?.ok, `limit ${limit}, direct ${directCalls}`).toBe(ok)
          if (result?.ok === false) expect(result.error).toMatchObject({ name: 'ContractResultTooLargeError' })
          expect(sandbox.stats().directCalls).toBe(directCalls && ok ? 1 : 0)
        } finally {
          await sandbox.stop()
        }
      }
    }
  })

  it('after a trap, a full memory or a stack overflow, answers the next call from a fresh instance, directly', async () => {
    const [contract, , transaction] = fc.sample(callOf('hostile-meta').filter(c => c.fn === 'on_execute'), { seed: TEST_SEED, numRuns: 1 })[0]?.args as unknown[]
    const write = (id: string, data: string): ContractCall => ({ id, fn: 'on_execute', args: [{ ...contract as object, meta_contract_id: id }, [], { ...transaction as object, meta_contract_id: id, data }] })
    const calls = [
      write('exec-trap', 'x'), write('exec-trap', ''),
      write('hostile-meta', '{"attack":"memory"}'), write('hostile-meta', '{}'),
      write('hostile-meta', '{"attack":"recursion"}'), write('hostile-meta', '{}'),
    ]
    const before = direct.stats().directCalls
    const [got, expected] = await Promise.all([direct.callMany(calls), marine.callMany(calls)])
    expect(got.map(outcome)).toEqual(expected.map(outcome))
    expect(got.map(r => r.ok ? 'ok' : r.error.name)).toEqual(['ContractTrapError', 'ok', 'ContractOutOfMemoryError', 'ok', 'ContractStackOverflowError', 'ok'])
    expect(direct.stats().directCalls - before).toBe(3)
    expect(direct.stats().workerRestarts).toBe(0)
  }, 60_000)
})
