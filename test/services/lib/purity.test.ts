import { beforeAll, describe, expect, it } from 'vitest'
import { loadHarness } from './load-harness.js'

describe('services/lib as a Marine-loadable module', () => {
  let module: WebAssembly.Module
  beforeAll(async () => {
    ;({ module } = await loadHarness())
  })

  it('imports nothing from the host (no env.abort, console, Date or randomness)', () => {
    expect(WebAssembly.Module.imports(module)).toEqual([])
  })

  it('exports its memory, which Marine requires', () => {
    expect(WebAssembly.Module.exports(module)).toContainEqual({ name: 'memory', kind: 'memory' })
  })
})
