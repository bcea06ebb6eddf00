import { CID } from 'multiformats/cid'
import { MAX_CONTENT_DEPTH } from './constants.js'
import { InvalidVersionBlockError } from './errors.js'

/** A value JSON can hold: what `JSON.parse` returns. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/**
 * Checks that `value` is JSON data, which is what a version's content must be both when it is
 * written and when a block from elsewhere is read, so content always survives a round trip.
 *
 * dag-cbor stores integers up to 2^53 as CBOR integers and every other number as a float64, so
 * any number `JSON.parse` returns comes back identical (−0 comes back as 0, as JSON writes it).
 * Refused, naming the path: `undefined`, NaN and ±Infinity (no JSON form); BigInt, which is also
 * what dag-cbor returns for integers past 2^53 written by other software (JSON numbers cannot
 * carry them exactly: store such values as strings); links and bytes (not JSON).
 */
export function checkJsonContent (value: unknown, path: string, depth = 0): asserts value is JsonValue {
  if (depth > MAX_CONTENT_DEPTH) throw new InvalidVersionBlockError(path, `is nested deeper than ${MAX_CONTENT_DEPTH} levels`)
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidVersionBlockError(path, `is ${value}, which JSON cannot hold`)
      return
    case 'bigint':
      throw new InvalidVersionBlockError(path, `is the integer ${value}, too large for a JSON number to hold exactly; store it as a string`)
    case 'undefined':
      throw new InvalidVersionBlockError(path, 'is undefined, which JSON cannot hold')
    case 'object':
      if (value === null) return
      if (Array.isArray(value)) {
        value.forEach((item, i) => { checkJsonContent(item, `${path}[${i}]`, depth + 1) })
        return
      }
      if (!isPlainObject(value)) throw new InvalidVersionBlockError(path, `is a ${describe(value)}, which JSON cannot hold`)
      for (const [key, item] of Object.entries(value)) checkJsonContent(item, `${path}.${key}`, depth + 1)
      return
    default:
      throw new InvalidVersionBlockError(path, `is a ${typeof value}, which JSON cannot hold`)
  }
}

export function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function describe (value: object): string {
  if (value instanceof Uint8Array) return 'byte string'
  if (CID.asCID(value) !== null) return 'link (CID)'
  return value.constructor?.name ?? 'object'
}
