import type { JsonValue } from '../../dag/index.js'
import { MAX_BULK_EDIT_NAME, MAX_BULK_EDIT_VALUE, TRAIT_FIELD } from './constants.js'
import { BulkEditInputError } from './errors.js'

/** A value an edit sets: text or a number (what metadata traits and fields hold). */
export type BulkValue = string | number

/** One change applied to every selected token's main document. */
export type BulkOperation =
  | { op: 'set_trait', trait_type: string, value: BulkValue }
  | { op: 'rename_trait', trait_type: string, to: string }
  | { op: 'remove_trait', trait_type: string }
  | { op: 'set_field', field: string, value: BulkValue }
  | { op: 'rename_field', field: string, to: string }
  | { op: 'remove_field', field: string }

export const BULK_OPERATIONS = ['set_trait', 'rename_trait', 'remove_trait', 'set_field', 'rename_field', 'remove_field'] as const

/** One line of a token's diff: what a trait or field held, and what it will hold (null: absent). */
export interface BulkChange { label: string, before: string | null, after: string | null }

/** What an edit does to one token: its new document, nothing (and why), or a refusal in plain words. */
export type TokenEdit =
  | { outcome: 'change', document: JsonObject, changes: BulkChange[] }
  | { outcome: 'unchanged', reason: string }
  | { outcome: 'refused', reason: string }

type JsonObject = Record<string, JsonValue>

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

function checkName (field: string, name: string, what: string): void {
  if (name.trim() === '') throw new BulkEditInputError(field, `give the ${what}; it is empty`)
  if (name.length > MAX_BULK_EDIT_NAME) throw new BulkEditInputError(field, `a ${what} is at most ${MAX_BULK_EDIT_NAME} characters; this one has ${name.length}`)
}

function checkValue (value: BulkValue): void {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new BulkEditInputError('operation.value', 'give a number or a text')
  if (typeof value === 'string' && value.length > MAX_BULK_EDIT_VALUE) throw new BulkEditInputError('operation.value', `a value is at most ${MAX_BULK_EDIT_VALUE} characters; this one has ${value.length}`)
}

/**
 * Checks what the edit names before anything is read or signed: names present and not too long,
 * a rename to another name, the trait list left to the trait operations.
 *
 * @throws BulkEditInputError naming the field
 */
export function checkOperation (operation: BulkOperation): BulkOperation {
  if (!(BULK_OPERATIONS as readonly string[]).includes(operation.op)) throw new BulkEditInputError('operation.op', `choose one of ${BULK_OPERATIONS.join(', ')}`)
  if ('trait_type' in operation) checkName('operation.trait_type', operation.trait_type, 'trait name')
  if ('field' in operation) {
    checkName('operation.field', operation.field, 'field name')
    if (operation.field === TRAIT_FIELD) throw new BulkEditInputError('operation.field', `"${TRAIT_FIELD}" holds the traits; use a trait operation to change them`)
  }
  if ('to' in operation) {
    checkName('operation.to', operation.to, 'new name')
    const from = 'trait_type' in operation ? operation.trait_type : operation.field
    if (operation.to === from) throw new BulkEditInputError('operation.to', 'the new name is the same as the old one')
    if (operation.op === 'rename_field' && operation.to === TRAIT_FIELD) throw new BulkEditInputError('operation.to', `"${TRAIT_FIELD}" holds the traits; choose another name`)
  }
  if ('value' in operation) checkValue(operation.value)
  return operation
}

/** How a value is shown in a diff: text as it is, anything else as JSON (cut short). */
export function shownValue (value: JsonValue | undefined): string | null {
  if (value === undefined) return null
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}

/** The edit in a few plain words, for the job history and logs. */
export function describeOperation (operation: BulkOperation): string {
  switch (operation.op) {
    case 'set_trait': return `Set trait "${operation.trait_type}" to "${operation.value}"`
    case 'rename_trait': return `Rename trait "${operation.trait_type}" to "${operation.to}"`
    case 'remove_trait': return `Remove trait "${operation.trait_type}"`
    case 'set_field': return `Set field "${operation.field}" to "${operation.value}"`
    case 'rename_field': return `Rename field "${operation.field}" to "${operation.to}"`
    case 'remove_field': return `Remove field "${operation.field}"`
  }
}

/** The document with the edit applied, or why it does not change, or why it cannot be edited. */
export function editDocument (document: JsonValue | undefined, operation: BulkOperation): TokenEdit {
  if (document === undefined) return { outcome: 'refused', reason: 'it has no document signed with this key yet; publish one in the editor first' }
  if (!isObject(document)) return { outcome: 'refused', reason: 'its document is not a set of fields' }
  if ('field' in operation) return editField(document, operation)
  return editTraits(document, operation as Extract<BulkOperation, { trait_type: string }>)
}

function editField (document: JsonObject, operation: Extract<BulkOperation, { field: string }>): TokenEdit {
  const { field } = operation
  const has = Object.hasOwn(document, field)
  const label = `Field "${field}"`
  switch (operation.op) {
    case 'set_field': {
      if (has && document[field] === operation.value) return { outcome: 'unchanged', reason: `"${field}" is already "${operation.value}"` }
      return { outcome: 'change', document: { ...document, [field]: operation.value }, changes: [{ label, before: shownValue(document[field]), after: shownValue(operation.value) }] }
    }
    case 'remove_field': {
      if (!has) return { outcome: 'unchanged', reason: `it has no field "${field}"` }
      const { [field]: removed, ...rest } = document
      return { outcome: 'change', document: rest, changes: [{ label, before: shownValue(removed), after: null }] }
    }
    case 'rename_field': {
      if (!has) return { outcome: 'unchanged', reason: `it has no field "${field}"` }
      if (Object.hasOwn(document, operation.to)) return { outcome: 'refused', reason: `it already has a field "${operation.to}"; remove one of the two first` }
      // Renamed in place: the field keeps its position in the document.
      const renamed = Object.fromEntries(Object.entries(document).map(([k, v]) => [k === field ? operation.to : k, v]))
      return { outcome: 'change', document: renamed, changes: [{ label, before: `"${field}": ${shownValue(document[field]) ?? ''}`, after: `"${operation.to}": ${shownValue(document[field]) ?? ''}` }] }
    }
  }
}

function editTraits (document: JsonObject, operation: Extract<BulkOperation, { trait_type: string }>): TokenEdit {
  const { trait_type: type } = operation
  const list = document[TRAIT_FIELD]
  if (list !== undefined && !Array.isArray(list)) return { outcome: 'refused', reason: `its "${TRAIT_FIELD}" is not a list of traits` }
  const traits = list ?? []
  const isType = (item: JsonValue, name: string): boolean => isObject(item) && item.trait_type === name
  const matching = traits.filter(item => isType(item, type)) as JsonObject[]
  const label = `Trait "${type}"`
  const before = matching.length === 0 ? null : matching.map(m => shownValue(m.value) ?? '').join(', ')
  const withTraits = (next: JsonValue[]): JsonObject => ({ ...document, [TRAIT_FIELD]: next })
  switch (operation.op) {
    case 'set_trait': {
      const { value } = operation
      if (matching.length === 0) return { outcome: 'change', document: withTraits([...traits, { trait_type: type, value }]), changes: [{ label, before: null, after: shownValue(value) }] }
      if (matching.every(m => m.value === value)) return { outcome: 'unchanged', reason: `"${type}" is already "${value}"` }
      return { outcome: 'change', document: withTraits(traits.map(item => isType(item, type) ? { ...(item as JsonObject), value } : item)), changes: [{ label, before, after: shownValue(value) }] }
    }
    case 'remove_trait': {
      if (matching.length === 0) return { outcome: 'unchanged', reason: `it has no trait "${type}"` }
      return { outcome: 'change', document: withTraits(traits.filter(item => !isType(item, type))), changes: [{ label, before, after: null }] }
    }
    case 'rename_trait': {
      if (matching.length === 0) return { outcome: 'unchanged', reason: `it has no trait "${type}"` }
      if (traits.some(item => isType(item, operation.to))) return { outcome: 'refused', reason: `it already has a trait "${operation.to}"; remove one of the two first` }
      const next = traits.map(item => isType(item, type) ? { ...(item as JsonObject), trait_type: operation.to } : item)
      return { outcome: 'change', document: withTraits(next), changes: [{ label, before: `${type}: ${before ?? ''}`, after: `${operation.to}: ${before ?? ''}` }] }
    }
  }
}
