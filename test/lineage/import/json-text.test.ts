import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { describeJsonProblem, jsonErrorIndex, nestingDepth, parseJsonText } from '../../../src-main/lineage/import/json-text.js'

const parses = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** JSON texts, then some with one character changed, cut or inserted: near misses are where scanners go wrong. */
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map(v => JSON.stringify(v)),
  fc.jsonValue({ maxDepth: 4 }).chain(v => {
    const text = JSON.stringify(v, null, 1)
    return fc.tuple(fc.nat({ max: text.length }), fc.constantFrom('', ',', '"', '\\', '}', ']', '[', '{', ':', '-', '0', '.', 'e', 't', ' ', '\n', '\u0001', 'x'), fc.boolean())
      .map(([at, c, replace]) => text.slice(0, at) + c + text.slice(at + (replace ? 1 : 0)))
  }),
  fc.string({ unit: fc.constantFrom(...'{}[],:"\\ \t\nntruefalsl0123456789.eE+-u'.split('')), maxLength: 24 }),
)

describe('JSON text from a source file', () => {
  it('the grammar scan agrees with JSON.parse on every text (seeded property)', () => {
    fc.assert(fc.property(jsonish, text => {
      expect(jsonErrorIndex(text) === -1).toBe(parses(text))
    }), { seed: 0x15c4, numRuns: 3000 })
  })

  it('places a mistake by line and column and never quotes the text', () => {
    const secret = '{\n  "name": "Secret Name",\n  "level": 3 4\n}'
    const result = parseJsonText(secret, 64)
    expect(result.problem).toEqual({ kind: 'syntax', line: 3, column: 14, truncated: false })
    const reason = describeJsonProblem(result.problem as never)
    expect(reason).toBe('not valid JSON (at line 3, column 14)')
    expect(describeJsonProblem(parseJsonText('{"name": "broken",', 64).problem as never)).toBe('not valid JSON (it ends too early, at line 1, column 19)')
    expect(describeJsonProblem(parseJsonText('nope', 64).problem as never)).toBe('not valid JSON (at line 1, column 2)')
    expect(parseJsonText(' \n ', 64).problem).toEqual({ kind: 'empty' })
  })

  it('measures nesting without the call stack, and refuses past the limit', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    expect(() => JSON.stringify(JSON.parse(deep))).toThrow(RangeError)
    expect(parseJsonText(deep, 64).problem).toEqual({ kind: 'depth', depth: 100_000, limit: 64 })
    expect(describeJsonProblem({ kind: 'depth', depth: 5000, limit: 64 })).toBe('nested 5000 levels deep; at most 64')
    expect(nestingDepth(1)).toBe(0)
    expect(nestingDepth({})).toBe(1)
    expect(nestingDepth({ a: [1, { b: [] }], c: {} })).toBe(4)
    const sixtyFour = JSON.parse(`${'{"a":'.repeat(63)}{"leaf":1}${'}'.repeat(63)}`) as unknown
    expect(nestingDepth(sixtyFour)).toBe(64)
    expect(parseJsonText(JSON.stringify(sixtyFour), 64).value).toEqual(sixtyFour)
  })
})
