import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContractSandbox } from '../../src-main/marine/index.js'
import type { ContractSandbox } from '../../src-main/marine/index.js'
import { buildServiceBytes } from '../../services/toolchain/builder/index.js'
import { testLog } from '../helpers/logger.js'
import { repoRoot } from '../helpers/processes.js'

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hostile')

describe('contract sandbox (real marine-js in a worker)', () => {
  let sandbox: ContractSandbox
  let wasm: Uint8Array
  beforeAll(async () => {
    wasm = (await buildServiceBytes(fixture)).wasm
    // 4 MiB of memory and 500 ms per call: small budgets make the test quick and the limits clear.
    sandbox = createContractSandbox({ log: testLog }, { callTimeoutMs: 500, maxMemoryPages: 64 })
    await sandbox.load('hostile', wasm)
  }, 120_000)
  afterAll(async () => { await sandbox.stop() })

  it('runs a well-behaved call', async () => {
    expect(await sandbox.call('hostile', 'echo', ['grüße 🦄'])).toBe('grüße 🦄')
    expect(await sandbox.call('hostile', 'hog', [2])).toBe(2)
  })

  it('stops a looping contract at its time budget, then serves the next call', async () => {
    await expect(sandbox.call('hostile', 'spin', [1])).rejects.toMatchObject({ name: 'ContractTimeoutError', message: 'Meta contract hostile did not finish spin within 500 ms and was stopped' })
    expect(await sandbox.call('hostile', 'echo', ['after the loop'])).toBe('after the loop')
  })

  it('gives every call of a batch the whole budget, however long the batch takes', async () => {
    // Calibrate: find a work size that takes about a fifth of the 500 ms budget on this machine.
    let n = 1 << 20
    let calibrations = 0
    for (;;) {
      calibrations++
      const started = performance.now()
      await sandbox.call('hostile', 'work', [n])
      if (performance.now() - started >= 100 || n >= 1 << 30) break
      n *= 2
    }
    // Eight calls of about 100 ms or more: the batch outlasts one budget, and no call may be stopped.
    const results = await sandbox.callMany(Array.from({ length: 8 }, () => ({ id: 'hostile', fn: 'work', args: [n] })))
    expect(results.map(r => r.ok)).toEqual(Array.from({ length: 8 }, () => true))
    // Each ran once, in the same instance: a call stopped at its budget would have ended the worker, and the calls would have run again in a fresh one.
    expect(await sandbox.call('hostile', 'work_count', [])).toBe(calibrations + 8)
    // A looping call in a batch is still stopped at its own budget, and the others are answered.
    const mixed = await sandbox.callMany([{ id: 'hostile', fn: 'echo', args: ['a'] }, { id: 'hostile', fn: 'spin', args: [1] }, { id: 'hostile', fn: 'echo', args: ['b'] }])
    expect(mixed.map(r => r.ok ? r.value : r.error.name)).toEqual(['a', 'ContractTimeoutError', 'b'])
  }, 60_000)

  it('does not count time this thread was busy against a call that already answered', async () => {
    await sandbox.call('hostile', 'echo', ['warm'])
    // Block this thread past the 500 ms budget (in the loop's check phase): the worker answers
    // meanwhile, but in the next turn of the loop timers run before messages are read.
    setImmediate(() => {
      const until = Date.now() + 800
      while (Date.now() < until) { /* busy */ }
    })
    const answer = sandbox.call('hostile', 'echo', ['while busy'])
    await expect(answer).resolves.toBe('while busy')
  })

  it('contains a contract that allocates past its memory cap, naming it, and serves the next call at once', async () => {
    const restarts = sandbox.stats().workerRestarts
    await expect(sandbox.call('hostile', 'hog', [64])).rejects.toMatchObject({ name: 'ContractOutOfMemoryError', message: 'Meta contract hostile ran out of memory in hog: a contract may use at most 4 MiB, and it was stopped' })
    expect(await sandbox.call('hostile', 'echo', ['after the hog'])).toBe('after the hog')
    // A fresh instance in the same worker: no thread was ended for it.
    expect(sandbox.stats().workerRestarts).toBe(restarts)
  })

  it('reports a trap as ContractTrapError', async () => {
    await expect(sandbox.call('hostile', 'crash', [])).rejects.toMatchObject({ name: 'ContractTrapError' })
    await expect(sandbox.call('hostile', 'no_such_function', [])).rejects.toMatchObject({ name: 'ContractTrapError' })
  })

  it('refuses modules it cannot run, and unknown ids', async () => {
    await expect(sandbox.load('junk', new TextEncoder().encode('not wasm'))).rejects.toMatchObject({ name: 'ContractModuleError', message: 'Meta contract junk cannot be loaded: not a WebAssembly module' })
    expect(sandbox.has('junk')).toBe(false)
    await expect(sandbox.call('missing', 'echo', ['x'])).rejects.toMatchObject({ name: 'ContractNotLoadedError' })
  })

  it('refuses work after stop', async () => {
    const other = createContractSandbox({ log: testLog })
    await other.load('hostile', wasm)
    await other.stop()
    await expect(other.call('hostile', 'echo', ['x'])).rejects.toMatchObject({ name: 'SandboxStoppedError' })
  })

  it('tells which contracts take the chain facts, from their Transaction record, until unloaded', async () => {
    const other = createContractSandbox({ log: testLog })
    try {
      other.register('holders', new Uint8Array(fs.readFileSync(path.join(repoRoot, 'dist', 'services', 'holders.wasm'))))
      other.register('hostile', wasm)
      expect([other.takesChainFacts?.('holders'), other.takesChainFacts?.('hostile'), other.takesChainFacts?.('missing')]).toEqual([true, false, false])
      await other.unload('holders')
      expect(other.takesChainFacts?.('holders')).toBe(false)
    } finally {
      await other.stop()
    }
  })

  it('keeps a registered module without starting a worker, and makes its instance on the first call', async () => {
    const threads = (): number => Number(/^Threads:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1])
    const lazy = createContractSandbox({ log: testLog }, { callTimeoutMs: 500, maxMemoryPages: 64 })
    try {
      const before = threads()
      lazy.register('hostile', wasm)
      expect(lazy.has('hostile')).toBe(true)
      // A worker is a thread of this process from its constructor on; none was made.
      expect(threads()).toBe(before)
      expect(await lazy.call('hostile', 'echo', ['first call'])).toBe('first call')
      expect(threads()).toBeGreaterThan(before)
      expect(() => { lazy.register('junk', new TextEncoder().encode('not wasm')) }).toThrow(expect.objectContaining({ name: 'ContractModuleError', message: 'Meta contract junk cannot be loaded: not a WebAssembly module' }))
      expect(lazy.has('junk')).toBe(false)
    } finally {
      await lazy.stop()
    }
  })
})
