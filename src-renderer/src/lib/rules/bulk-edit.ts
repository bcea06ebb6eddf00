/**
 * Bulk edit in a creator's words: the operation form (what it asks, what it sends), the checks
 * made before the node is asked, and the node's refusals put beside the form label they concern.
 */
import type { BulkOperationParam } from '../../../../src-main/api/rpc-types.js'
import { describeContractReason } from './plain-words.js'
import { describeProblem, fieldOfProblem } from './problems.js'

export type BulkOpName = BulkOperationParam['op']
export type BulkTarget = 'trait' | 'field'
export type BulkAction = 'set' | 'rename' | 'remove'

/** The form: one target (a trait or a top-level field), one action, a name, and a value or a new name. */
export interface BulkForm { target: BulkTarget, action: BulkAction, name: string, value: string, to: string }

/** The form's inputs, as the labels show them; a refusal is put beside one of these. */
export type BulkFormField = 'name' | 'value' | 'to' | 'selection' | 'key' | 'passphrase'

export const ACTION_LABELS: Record<BulkAction, string> = { set: 'Set', rename: 'Rename', remove: 'Remove' }
export const TARGET_LABELS: Record<BulkTarget, string> = { trait: 'a trait', field: 'a field' }

export function nameLabel (target: BulkTarget): string {
  return target === 'trait' ? 'Trait name' : 'Field name'
}

/** A number typed as one is sent as a number (a trait shown as a number needs one); anything else as text. */
export function typedValue (text: string): string | number {
  return /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text
}

/** Problems with the form the creator can fix before anything is sent, by field; empty when none. */
export function formProblems (form: BulkForm): Partial<Record<BulkFormField, string>> {
  const problems: Partial<Record<BulkFormField, string>> = {}
  const what = form.target === 'trait' ? 'trait' : 'field'
  if (form.name.trim() === '') problems.name = `Type the name of the ${what}.`
  else if (form.target === 'field' && form.name.trim() === 'attributes') problems.name = 'The traits live in "attributes": choose "a trait" above to change them.'
  if (form.action === 'rename') {
    if (form.to.trim() === '') problems.to = 'Type the new name.'
    else if (form.to.trim() === form.name.trim()) problems.to = 'The new name is the same as the old one.'
  }
  if (form.action === 'set' && form.value === '') problems.value = 'Type the value to set (it may be a word or a number).'
  return problems
}

/** The operation the node is sent (names trimmed: a space at either end is never meant). */
export function operationOf (form: BulkForm): BulkOperationParam {
  const name = form.name.trim()
  const op = `${form.action}_${form.target}` as BulkOpName
  const named = form.target === 'trait' ? { trait_type: name } : { field: name }
  if (form.action === 'set') return { op, ...named, value: typedValue(form.value) } as BulkOperationParam
  if (form.action === 'rename') return { op, ...named, to: form.to.trim() } as BulkOperationParam
  return { op, ...named } as BulkOperationParam
}

/** Which form input a node field names. */
const FIELD_OF: Readonly<Record<string, BulkFormField>> = {
  'operation.trait_type': 'name',
  'operation.field': 'name',
  'operation.value': 'value',
  'operation.to': 'to',
  selection: 'selection',
  'selection.token_ids': 'selection',
  key: 'key',
}

/** Error codes of bulk edit and the input each concerns. */
const CODE_FIELDS: Readonly<Record<number, BulkFormField>> = {
  [-32180]: 'name', [-32181]: 'name', [-32182]: 'selection', [-32183]: 'selection', [-32048]: 'passphrase', [-32047]: 'key',
}

/** A refusal of the node, in words, and the form input it goes beside (null: the form as a whole). */
export function bulkProblem (err: unknown): { field: BulkFormField | null, message: string } {
  const code = (err as { code?: unknown } | null)?.code
  const named = fieldOfProblem(err)
  const field = (named === null ? undefined : FIELD_OF[named]) ?? (typeof code === 'number' ? CODE_FIELDS[code] : undefined) ?? null
  if (typeof code === 'number' && code >= -32183 && code <= -32180) return { field, message: String((err as Error).message) }
  if (code === -32602 && named !== null && named.startsWith('operation.')) return { field, message: withoutField(String((err as Error).message)) }
  return { field, message: describeProblem(err) }
}

/** "Invalid params: operation.to: the new name is …" → "The new name is …". */
function withoutField (message: string): string {
  const text = message.replace(/^Invalid params: /, '').replace(/^(edit\.)?[a-z_.]+: /, '')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`
}

const CONTRACT_PREFIX = 'the collection\'s contract refused it: '

/** A refused token's reason in the editor's words: the contract's ERC-721 phrases with the form's labels. */
export function refusalWords (reason: string): string {
  if (reason.startsWith(CONTRACT_PREFIX)) return `The collection's rules refused it: ${describeContractReason(reason.slice(CONTRACT_PREFIX.length))}`
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`
}

/** "1 token" / "1,024 tokens". */
export function tokens (count: number): string {
  return `${count.toLocaleString('en-US')} token${count === 1 ? '' : 's'}`
}
