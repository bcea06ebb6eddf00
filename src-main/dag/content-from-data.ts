import type { JsonValue } from './content.js'

/** A surrogate standing alone (a pair is one code point under the u flag): UTF-8 cannot carry it. */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * A version's content straight from the signed JSON data it was made of, as decoding the version
 * block would give it: the same values, and each object's keys in dag-cbor's order (shorter
 * first, then bytewise), which is the order decoding inserts them in. Only for data whose
 * dag-cbor round trip is exact; undefined for anything else (a -0, an integer past 2^53, a lone
 * surrogate, a `__proto__` key, text that is not JSON), so the caller decodes the block instead.
 */
export function contentFromData (data: string): JsonValue | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(data)
  } catch {
    return undefined
  }
  return canonical(parsed)
}

function canonical (value: unknown): JsonValue | undefined {
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'number') {
    if (Object.is(value, -0) || (Number.isInteger(value) && !Number.isSafeInteger(value))) return undefined
    return value
  }
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? undefined : value
  if (Array.isArray(value)) {
    const out: JsonValue[] = []
    for (const item of value) {
      const c = canonical(item)
      if (c === undefined) return undefined
      out.push(c)
    }
    return out
  }
  const object = value as Record<string, unknown>
  const keys = Object.keys(object).sort(compareKeys)
  const out: Record<string, JsonValue> = {}
  for (const key of keys) {
    if (key === '__proto__' || LONE_SURROGATE.test(key)) return undefined
    const c = canonical(object[key])
    if (c === undefined) return undefined
    out[key] = c
  }
  return out
}

// Printable ASCII and whitespace: one byte a character, so string order is byte order. Anything else takes the byte path.
const NOT_PLAIN_ASCII = /[^ -~\t\n\r]/

/** dag-cbor's key order: shorter UTF-8 first, then bytewise; ASCII keys (nearly all) compare as they are. */
function compareKeys (a: string, b: string): number {
  if (!NOT_PLAIN_ASCII.test(a) && !NOT_PLAIN_ASCII.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length - y.length || Buffer.compare(x, y)
}
