import microdiff from 'microdiff'
import type { JsonValue } from '../../dag/index.js'

/** One change between two versions' content, at a JSON Pointer (RFC 6901) path. */
export interface ContentChange {
  /** "" is the whole document; "/attributes/0/value" a nested value. */
  path: string
  op: 'add' | 'remove' | 'replace'
  /** The old value; absent for "add". */
  before?: JsonValue
  /** The new value; absent for "remove". */
  after?: JsonValue
}

const isContainer = (value: JsonValue | undefined): value is Record<string, JsonValue> | JsonValue[] =>
  typeof value === 'object' && value !== null

/** A path segment escaped as RFC 6901 says: "~" as "~0", "/" as "~1". */
const pointer = (path: ReadonlyArray<string | number>): string =>
  path.map(segment => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')

/**
 * The structural changes that turn `before` into `after`, in document order. `before` is
 * undefined for a first version: each member of its object (or array) is then an addition, and
 * any other value one addition at the root. Objects and arrays are compared member by member
 * (microdiff); anything else, or an object becoming an array, replaces the whole value.
 */
export function diffContent (before: JsonValue | undefined, after: JsonValue): ContentChange[] {
  if (before === undefined) {
    if (!isContainer(after)) return [{ path: '', op: 'add', after }]
    before = Array.isArray(after) ? [] : {}
  }
  if (!isContainer(before) || !isContainer(after) || Array.isArray(before) !== Array.isArray(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: '', op: 'replace', before, after }]
  }
  return microdiff(before, after).map((change): ContentChange => {
    const path = pointer(change.path)
    switch (change.type) {
      case 'CREATE': return { path, op: 'add', after: change.value as JsonValue }
      case 'REMOVE': return { path, op: 'remove', before: change.oldValue as JsonValue }
      case 'CHANGE': return { path, op: 'replace', before: change.oldValue as JsonValue, after: change.value as JsonValue }
    }
  })
}
