/**
 * fast-check arbitraries for hostile JSON-RPC input: values a client can send that no honest one
 * would (wrong types, huge and invisible strings, numbers JSON.stringify cannot write, deep
 * nesting, prototype keys), and values that follow a parameter's JSON schema so a call reaches
 * the handler behind the schema check. Values are trees serialised by {@link jsonText}, so an
 * object may carry `__proto__` as an ordinary key and a number may be any JSON number literal.
 */
import fc from 'fast-check'

/** A JSON fragment written as-is: `1e400`, `-0`, `1.0`, 10,000 nested arrays… */
export class RawJson {
  constructor (readonly text: string) {}
}

/** An object as its entries, in order, duplicates and `__proto__` included. */
export class JsonObject {
  constructor (readonly entries: ReadonlyArray<readonly [string, Json]>) {}
}

export type Json = null | boolean | number | string | RawJson | JsonObject | Json[]

/** The JSON text of a tree (NaN and infinities become null, as JSON.stringify writes them). */
export function jsonText (value: Json): string {
  if (value instanceof RawJson) return value.text
  if (value instanceof JsonObject) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`
  return JSON.stringify(value)
}

/** An object tree from a plain record. */
export const obj = (record: Record<string, Json>): JsonObject => new JsonObject(Object.entries(record))

/** Keys that mean something to JavaScript objects, or look like they might. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then'] as const

/** Strings that broke parsers, printers, loggers, paths or SQL somewhere before. */
const NASTY_STRINGS = [
  '', ' ', '\t', '0', '-1', 'null', 'true', 'NaN', 'undefined', '[]', '{}', ...PROTOTYPE_KEYS,
  '\u0000', 'a\u0000b', '\n', '\r\n', '\u2028', '\u202e', '\u200b', '\ufeff', '\ud800', '\udfff', 'x\udbffy', '\u{1f600}',
  'é', 'e\u0301', '../../../../etc/passwd', '..', '.', '/', '//', 'C:\\Windows', '%s%d%n%e%p', '${process.exit()}',
  "'; DROP TABLE transactions; --", '" OR 1=1 --', '<script>alert(1)</script>', 'Ω'.repeat(40),
] as const

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map(c => String.fromCharCode(c))
const control = fc.integer({ min: 0, max: 0x9f }).filter(c => c < 0x20 || c >= 0x7f).map(c => String.fromCharCode(c))
const invisible = fc.constantFrom('\u200b', '\u200c', '\u200d', '\u2060', '\u202a', '\u202e', '\u2066', '\u2069', '\u00ad', '\ufeff', '\u2028', '\u2029', '\u061c')

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), loneSurrogate, control, invisible), maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ minLength: 129, maxLength: 5000 }), weight: 1 },
  // Past every string limit a parameter has, but within the 1 MiB body.
  { arbitrary: fc.integer({ min: 65_000, max: 300_000 }).map(n => 'x'.repeat(n)), weight: 1 },
)

/** Number literals JSON allows and JavaScript reads oddly, plus ordinary ones. */
export const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -1, 0.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e21),
  fc.constantFrom('1e400', '-1e400', '-0', '1.0', '1E2', '0.0000001', '123456789012345678901234567890', '-0.0e-0').map(t => new RawJson(t)),
)

/** Nesting deep enough to hurt a recursive reader, written as text (JSON.stringify would recurse too). */
export const deepNesting: fc.Arbitrary<Json> = fc.tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean()).map(([depth, objects]) =>
  new RawJson(objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`))

const hostileKey = (names: readonly string[]): fc.Arbitrary<string> => fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.string({ maxLength: 12 }),
  ...(names.length === 0 ? [] : [fc.constantFrom(...names)]),
)

/** Any JSON value, nested a few levels, with hostile leaves and keys (`names`: keys worth mixing in). */
export function hostileValue (names: readonly string[] = []): fc.Arbitrary<Json> {
  const { value } = fc.letrec<{ value: Json }>(tie => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      { arbitrary: fc.constant(null), weight: 1 },
      { arbitrary: fc.boolean(), weight: 1 },
      { arbitrary: hostileNumber, weight: 2 },
      { arbitrary: hostileString, weight: 4 },
      { arbitrary: deepNesting, weight: 1 },
      { arbitrary: fc.array(tie('value'), { maxLength: 5 }), weight: 2 },
      { arbitrary: fc.array(fc.tuple(hostileKey(names), tie('value')), { maxLength: 5 }).map(e => new JsonObject(e)), weight: 2 },
    ),
  }))
  return value
}

/** A JSON schema as the RPC methods declare them (the subset they use). */
export interface Schema {
  type?: string
  enum?: readonly unknown[]
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  properties?: Record<string, Schema>
  required?: readonly string[]
  additionalProperties?: boolean
  items?: Schema
  minItems?: number
  maxItems?: number
  anyOf?: readonly Schema[]
}

/** Known good values by parameter or field name, so schema-valid calls can also name real things. */
export type Pools = Readonly<Record<string, readonly Json[]>>

/** Values that pass `schema` (as far as a schema can say), sometimes swapped for a hostile one. */
export function fromSchema (schema: Schema, name: string, pools: Pools, hostileWeight = 1): fc.Arbitrary<Json> {
  const pool = pools[name]
  const valid = validFor(schema, pools)
  return fc.oneof(
    { arbitrary: valid, weight: 4 },
    ...(pool === undefined || pool.length === 0 ? [] : [{ arbitrary: fc.constantFrom(...pool), weight: 4 }]),
    ...(hostileWeight === 0 ? [] : [{ arbitrary: hostileValue(Object.keys(schema.properties ?? {})), weight: hostileWeight }]),
  )
}

function validFor (schema: Schema, pools: Pools): fc.Arbitrary<Json> {
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum as Json[])
  if (schema.anyOf !== undefined) return fc.oneof(...schema.anyOf.map(s => validFor(s, pools)))
  switch (schema.type) {
    case 'string': {
      if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern)).filter(s => s.length <= (schema.maxLength ?? Infinity) && s.length >= (schema.minLength ?? 0))
      const min = schema.minLength ?? 0
      const max = Math.min(schema.maxLength ?? 200, 200)
      return fc.oneof(fc.string({ minLength: min, maxLength: max }), fc.string({ unit: 'binary', minLength: min, maxLength: max }))
    }
    case 'integer': return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 })
    case 'number': return fc.double({ noNaN: true, noDefaultInfinity: true })
    case 'boolean': return fc.boolean()
    case 'array': return fc.array(schema.items === undefined ? hostileValue() : fromSchema(schema.items, '', pools), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) })
    case 'object': {
      const properties = Object.entries(schema.properties ?? {})
      if (properties.length === 0) return hostileValue()
      const required = new Set(schema.required ?? [])
      return fc.tuple(...properties.map(([key, s]) => fc.option(fromSchema(s, key, pools), { nil: undefined, freq: required.has(key) ? 20 : 3 })))
        .map(values => new JsonObject(properties.flatMap(([key], i) => values[i] === undefined ? [] : [[key, values[i] as Json] as const])))
    }
    default: return hostileValue()
  }
}
