import type { ColumnSpec } from './constants.js'
import { InvalidSearchValueError } from './errors.js'

/**
 * A `uint` column's SQL sort key: its two-digit length, then its digits. Canonical decimals (no
 * leading zeros) of different lengths then compare by length, and of one length digit by digit,
 * which is numeric order up to 99 digits. For slots.token_id this is spelled exactly as
 * lineage/tokens TOKEN_ORDER_SQL, so the slots_token_order index (migration 4) can serve it.
 */
export function uintOrderSql (column: string): string {
  return `printf('%02d', length(${column})) || ${column}`
}

/** The sort key of a canonical decimal, as {@link uintOrderSql} computes it in SQL. */
export function uintOrderKey (decimal: string): string {
  return `${String(decimal.length).padStart(2, '0')}${decimal}`
}

/**
 * The value to bind for `column op value`, in the form the column stores: the sort key of a
 * canonical decimal for a `uint` column, an integer for an `integer` column, lower case for an EVM
 * address in a `key` column. A `like` pattern is matched against the column's text as given.
 *
 * @throws InvalidSearchValueError naming `field` when the value does not fit the column's type
 */
export function bindValue (name: string, column: ColumnSpec, op: string, value: string | number, field: string): string | number {
  if (op === 'like') {
    if (typeof value !== 'string') throw new InvalidSearchValueError(field, `a like pattern must be a string; got the number ${value}.`)
    return value
  }
  switch (column.type) {
    case 'text':
      return String(value)
    case 'key': {
      const text = String(value)
      // One address, one form: the node stores EVM addresses in lower case.
      return /^0x/i.test(text) ? text.toLowerCase() : text
    }
    case 'integer':
      return integerValue(name, value, field)
    case 'uint':
      return uintOrderKey(uintValue(name, column, value, field))
  }
}

function integerValue (name: string, value: string | number, field: string): number {
  const number = typeof value === 'number' ? value : /^-?[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number)) {
    throw new InvalidSearchValueError(field, `${name} is an integer column; ${describe(value)} is not a whole number from -(2^53 − 1) to 2^53 − 1.`)
  }
  return number
}

/** The canonical decimal (no leading zeros) of a value for a `uint` column. */
function uintValue (name: string, column: ColumnSpec, value: string | number, field: string): string {
  const max = column.max ?? { value: 0n, text: '0' }
  const rule = `${name} is a number column (a whole number from 0 to ${max.text}, in decimal digits; write large ones as strings)`
  let digits: string
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new InvalidSearchValueError(field, `${rule}; ${describe(value)} is not one.`)
    digits = String(value)
  } else {
    if (!/^[0-9]+$/.test(value)) throw new InvalidSearchValueError(field, `${rule}; ${describe(value)} is not a number.`)
    digits = value
  }
  const number = BigInt(digits)
  if (number > max.value) throw new InvalidSearchValueError(field, `${rule}; ${describe(value)} is larger than ${max.text}.`)
  return number.toString()
}

function describe (value: string | number): string {
  if (typeof value === 'number') return String(value)
  return `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`
}
