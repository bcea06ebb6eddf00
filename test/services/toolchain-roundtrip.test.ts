// Every IT type goes through real marine-js into the test-only `roundtrip` service and back.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadMarineService } from '../../services/toolchain/index.js'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { build, FIXTURES } from './helpers.js'

let rt: MarineServiceHandle
const logs: Array<{ level: string; message: string }> = []

beforeAll(async () => {
  const built = await build('roundtrip', path.join(FIXTURES, 'roundtrip'))
  rt = await loadMarineService(built.wasm, 'roundtrip', { onLog: (m) => logs.push({ level: m.level, message: m.message }) })
})

// Integers beyond 2^53 come back as bigint, smaller ones as numbers.
const inner = (label: string, values: Array<number | bigint> = []) => ({ label, flag: true, tiny: 255, values })

function everything(overrides: Record<string, unknown> = {}) {
  return {
    b: true,
    s8v: -128,
    s16v: -32768,
    s32v: -2147483648,
    s64v: -9223372036854775808n,
    u8v: 255,
    u16v: 65535,
    u32v: 4294967295,
    u64v: 18446744073709551615n,
    f32v: 1.5,
    f64v: -0.1,
    text: 'naïve café – 日本語 – 🌍🚀',
    bytes: [0, 1, 127, 128, 255],
    inner: inner('inner', [0, 9223372036854775807n, 18446744073709551615n]),
    inners: [inner('a'), inner('', [1])],
    words: ['', 'ü', '𝄞'],
    grid: [[1, -1], [], [2147483647]],
    blobs: [[], [0, 255]],
    ...overrides,
  }
}

describe('strings and byte arrays', () => {
  it.each([
    ['ascii', 'hello'],
    ['empty', ''],
    ['two-byte', 'żółć'],
    ['three-byte', '日本語テキスト'],
    ['four-byte', '🌍🚀𝄞'],
    ['long', 'x'.repeat(100_000)],
  ])('echoes a %s string', (_kind, value) => {
    expect(rt.call('echo_string', [value])).toBe(value)
  })

  it('sends a lone surrogate as U+FFFD, as a WHATWG encoder does', () => {
    expect(rt.call('lone_surrogate', [])).toBe('a\ufffdb')
  })

  it('reports the UTF-8 byte length of a multibyte string', () => {
    expect(rt.call('string_length', ['é🌍'])).toBe(6)
  })

  it('echoes byte arrays, including empty', () => {
    expect(rt.call('echo_bytes', [[0, 1, 254, 255]])).toEqual([0, 1, 254, 255])
    expect(rt.call('echo_bytes', [[]])).toEqual([])
  })

  it('echoes arrays of strings and of bools', () => {
    expect(rt.call('echo_strings', [['a', '', '🌍']])).toEqual(['a', '', '🌍'])
    expect(rt.call('echo_strings', [[]])).toEqual([])
    expect(rt.call('echo_bools', [[true, false, true]])).toEqual([true, false, true])
  })
})

describe('scalars', () => {
  it.each([
    ['echo_bool', [true, false]],
    ['echo_s8', [-128, 0, 127]],
    ['echo_s16', [-32768, 32767]],
    ['echo_s32', [-2147483648, 2147483647]],
    ['echo_s64', [-9223372036854775808n, 0, 9223372036854775807n]],
    ['echo_u8', [0, 255]],
    ['echo_u16', [0, 65535]],
    ['echo_u32', [0, 2147483647]],
    ['echo_u64', [0, 9007199254740993n, 9223372036854775807n]],
    ['echo_f32', [0, -1.5, 3.25]],
    ['echo_f64', [0, -0.1, 1.7976931348623157e308, 5e-324]],
  ])('%s round-trips its extremes', (fn, values) => {
    for (const value of values) expect(rt.call(fn, [value])).toEqual(value)
  })

  it('refuses scalar u32 above 2^31-1 and u64 above 2^63-1 (a limit of Marine, also with SDK-built modules)', () => {
    expect(() => rt.call('echo_u32', [4294967295])).toThrow(/i32.from_u32|cast/)
    expect(() => rt.call('echo_u64', [18446744073709551615n])).toThrow(/i64.from_u64|cast/)
  })
})

describe('records', () => {
  it('round-trips a record with every field type, nested records and arrays at their extremes', () => {
    const value = everything()
    expect(rt.call('echo_record', [value])).toEqual(value)
  })

  it('round-trips empty values', () => {
    const value = everything({ text: '', bytes: [], inners: [], words: [], grid: [], blobs: [], inner: { label: '', flag: false, tiny: 0, values: [] } })
    expect(rt.call('echo_record', [value])).toEqual(value)
  })

  it('round-trips arrays of every scalar type at their extremes', () => {
    const value = {
      bools: [true, false],
      s8s: [-128, 0, 127],
      s16s: [-32768, 32767],
      s32s: [-2147483648, 2147483647],
      s64s: [-9223372036854775808n, 0, 9223372036854775807n],
      u8s: [0, 255],
      u16s: [0, 65535],
      u32s: [0, 4294967295],
      u64s: [0, 18446744073709551615n],
      f32s: [-1.5, 0, 3.4028234663852886e38],
      f64s: [-0.1, 5e-324, 1.7976931348623157e308],
    }
    expect(rt.call('echo_scalar_arrays', [value])).toEqual(value)
    expect(rt.call('echo_f64s', [[1.25, -2.5e-300]])).toEqual([1.25, -2.5e-300])
  })

  it('round-trips arrays of records', () => {
    const values = [everything(), everything({ text: 'second', u64v: 0, s64v: 9223372036854775807n })]
    expect(rt.call('echo_records', [values])).toEqual(values)
    expect(rt.call('echo_records', [[]])).toEqual([])
  })
})

describe('calls', () => {
  it('takes arguments by position and by name', () => {
    const args = { name: 'n', count: 3, ratio: 1.5, tags: ['x', 'y'], inner: inner('L') }
    expect(rt.call('describe', args)).toBe('n|3|1.5|x,y|L')
    expect(rt.call('describe', ['n', 3, 1.5, ['x', 'y'], inner('L')])).toBe('n|3|1.5|x,y|L')
  })

  it('returns null from a void function', () => {
    expect(rt.call('nothing', [])).toBeNull()
  })

  it('logs through the host logger', () => {
    rt.call('log_message', ['hello from wasm 🌍'])
    expect(logs).toContainEqual({ level: 'info', message: 'hello from wasm 🌍' })
  })

  it('reports a call to an unknown function', () => {
    expect(() => rt.call('no_such_function', [])).toThrow(expect.objectContaining({ name: 'MarineCallError' }))
  })
})

describe('memory', () => {
  it('does not grow over 10,000 calls with complex arguments and results', () => {
    const value = everything()
    // Warm up so the allocator and GC reach their steady state before measuring.
    for (let i = 0; i < 200; i++) rt.call('echo_record', [value])
    const before = rt.call('memory_pages', []) as number
    for (let i = 0; i < 10_000; i++) {
      rt.call('echo_record', [value])
      rt.call('echo_string', [`call ${i} 🌍`])
    }
    const after = rt.call('memory_pages', []) as number
    expect(after - before).toBeLessThanOrEqual(1)
  })
})

