import type { BulkEditor, BulkEditRequest, BulkOperation, BulkSelection } from '../../lineage/bulk-edit/index.js'
import { BULK_OPERATIONS, MAX_BULK_EDIT_NAME, MAX_BULK_EDIT_TOKENS, MAX_BULK_EDIT_VALUE } from '../../lineage/bulk-edit/index.js'
import { MAX_SEARCH_TEXT, MAX_TRAIT_FILTERS, MAX_TRAIT_TEXT } from '../../lineage/browse/index.js'
import type { Keystore } from '../../lineage/keys/index.js'
import { ADDRESS_PATTERN, CHAIN_ID_PATTERN } from '../../lineage/signing/index.js'
import { InvalidParamsError } from '../errors.js'
import type { BulkEditParam } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface BulkEditMethodsComponents {
  /** Absent in nodes built without it (unit tests of other groups): then the methods are not listed. */
  bulkEdit?: BulkEditor
  keystore: Keystore
}

const name = { type: 'string', maxLength: MAX_BULK_EDIT_NAME }
const value = { anyOf: [{ type: 'string', maxLength: MAX_BULK_EDIT_VALUE }, { type: 'number' }] }
const traitText = { type: 'string', maxLength: MAX_TRAIT_TEXT }
const operation = {
  type: 'object',
  required: ['op'],
  additionalProperties: false,
  properties: { op: { type: 'string', enum: [...BULK_OPERATIONS] }, trait_type: name, field: name, to: name, value },
}
const selection = {
  type: 'object',
  additionalProperties: false,
  properties: {
    token_ids: { type: 'array', maxItems: MAX_BULK_EDIT_TOKENS + 1, items: { type: 'string', maxLength: 80 } },
    filter: {
      type: 'object',
      additionalProperties: false,
      properties: {
        text: { type: 'string', maxLength: MAX_SEARCH_TEXT },
        traits: { type: 'array', maxItems: MAX_TRAIT_FILTERS, items: { type: 'object', additionalProperties: false, required: ['trait_type', 'value'], properties: { trait_type: traitText, value: { ...traitText, minLength: 1 } } } },
      },
    },
  },
}
const edit = {
  name: 'edit',
  schema: {
    type: 'object',
    required: ['chain_id', 'token_address', 'selection', 'operation', 'key'],
    additionalProperties: false,
    properties: {
      chain_id: { type: 'string', pattern: CHAIN_ID_PATTERN.source },
      token_address: { type: 'string', pattern: ADDRESS_PATTERN.source },
      selection,
      operation,
      key: { type: 'string', minLength: 1, maxLength: 64 },
    },
  },
}
const job = { name: 'job', schema: { type: 'string', minLength: 1, maxLength: 64 } }

/** Which fields each operation takes: the schema lists them all, this says which belong together. */
const FIELDS: Record<BulkOperation['op'], string[]> = {
  set_trait: ['trait_type', 'value'],
  rename_trait: ['trait_type', 'to'],
  remove_trait: ['trait_type'],
  set_field: ['field', 'value'],
  rename_field: ['field', 'to'],
  remove_field: ['field'],
}

function operationOf (raw: Record<string, unknown>): BulkOperation {
  const op = raw.op as BulkOperation['op']
  const wanted = FIELDS[op]
  const missing = wanted.find(f => raw[f] === undefined)
  if (missing !== undefined) throw new InvalidParamsError(`edit.operation.${missing}: ${op} needs it`, `operation.${missing}`)
  const extra = Object.keys(raw).find(f => f !== 'op' && !wanted.includes(f))
  if (extra !== undefined) throw new InvalidParamsError(`edit.operation.${extra}: ${op} does not take it`, `operation.${extra}`)
  return raw as unknown as BulkOperation
}

function selectionOf (raw: Record<string, unknown>): BulkSelection {
  const hasIds = raw.token_ids !== undefined
  if (hasIds === (raw.filter !== undefined)) throw new InvalidParamsError('edit.selection: give token_ids or filter (one of the two)', 'selection')
  return raw as unknown as BulkSelection
}

/**
 * Bulk edit of a collection's tokens (lineage/bulk-edit): a preview writing nothing, then a job
 * signing every change with one node key (unlocked once, locked again when the job ends). All need
 * the API token: they use the keystore.
 */
export function bulkEditMethods ({ bulkEdit, keystore }: BulkEditMethodsComponents): RpcMethod[] {
  if (bulkEdit === undefined) return []
  const request = (p: BulkEditParam, publicKey: string): BulkEditRequest => ({
    chain_id: p.chain_id,
    token_address: p.token_address,
    selection: selectionOf(p.selection as Record<string, unknown>),
    operation: operationOf(p.operation as Record<string, unknown>),
    public_key: publicKey,
  })
  const publicKeyOf = (key: string): string => {
    try {
      return keystore.exportPublic(key).publicKey
    } catch (err) {
      if ((err as Error).name === 'InvalidKeyNameError' || (err as Error).name === 'KeyNotFoundError') throw new InvalidParamsError(`edit.key: ${(err as Error).message}`, 'key')
      throw err
    }
  }
  return [
    defineMethod({
      name: 'bulk_edit_preview',
      requiresToken: true,
      description: `What an edit would do to each selected token (at most ${MAX_BULK_EDIT_TOKENS.toLocaleString('en-US')}): counts of changes, unchanged and refused tokens, and the first 50 with before → after; writes nothing. edit: { chain_id, token_address, selection: { token_ids } or { filter: { text, traits } }, operation: { op: set_trait | rename_trait | remove_trait | set_field | rename_field | remove_field, trait_type or field, value or to }, key }.`,
      params: [edit],
      handler: p => bulkEdit.preview(request(p.edit as BulkEditParam, publicKeyOf((p.edit as BulkEditParam).key))),
    }),
    defineMethod({
      name: 'bulk_edit_apply',
      requiresToken: true,
      description: 'Starts a bulk edit in the background: the key is unlocked once, every changed token is signed and published a batch per commit; answers the job (follow it with bulk_edit_status, stop it with bulk_edit_cancel). Bad input is refused before the passphrase is tried.',
      params: [edit, { name: 'passphrase', schema: { type: 'string', minLength: 1, maxLength: 1024 } }],
      handler: async p => {
        const param = p.edit as BulkEditParam
        // The cheap checks first: a bad edit is refused before the key is unlocked (scrypt is slow).
        const checked = request(param, publicKeyOf(param.key))
        bulkEdit.preview(checked)
        const signer = await keystore.unlock(param.key, p.passphrase as string)
        try {
          const { info, done } = bulkEdit.apply({ ...checked, public_key: signer.publicKey }, signer)
          void done.finally(() => { signer.lock() })
          return info
        } catch (err) {
          signer.lock()
          throw err
        }
      },
    }),
    defineMethod({
      name: 'bulk_edit_status',
      requiresToken: true,
      description: 'A bulk edit job: state, progress (done of total), changed, unchanged and refused counts, and the refused tokens with reasons.',
      params: [job],
      handler: p => bulkEdit.status(p.job as string),
    }),
    defineMethod({
      name: 'bulk_edit_cancel',
      requiresToken: true,
      description: 'Stops a running bulk edit after the batch it is publishing: tokens already changed stay changed, the rest keep their documents.',
      params: [job],
      handler: p => bulkEdit.cancel(p.job as string),
    }),
  ] as RpcMethod[]
}
