/**
 * Bulk edit: set, rename or remove a trait or a top-level field in many tokens' main documents at
 * once. A preview shows each selected token's before → after and writes nothing; applying signs
 * every changed document with one unlocked key and publishes them a batch at a time through the
 * engine's one-commit path, as a job kept in the job history (progress, cancel, refused tokens
 * with reasons; tokens that would not change are counted as unchanged, never signed).
 *
 * @example
 * ```ts
 * const editor = createBulkEditor({ db: store.db, lineage, log: logger.forComponent('lineage:bulk-edit') })
 * editor.start()
 * const request = { chain_id: '1', token_address: '0xbc4c…', selection: { filter: { traits: [{ trait_type: 'Fur', value: 'Red' }] } },
 *   operation: { op: 'set_trait', trait_type: 'Fur', value: 'Crimson' }, public_key: signer.publicKey }
 * editor.preview(request) // { selected: 130, change: 130, unchanged: 0, refused: 0, items: [{ token_id: '7', changes: [{ label: 'Trait "Fur"', before: 'Red', after: 'Crimson' }], … }] }
 * const { info, done } = editor.apply(request, signer)
 * await done // { state: 'done', changed: 130, unchanged: 0, refused: 0, refused_items: [], … }
 * ```
 */
import type { BulkEditorComponents, BulkEditorInit } from './bulk-edit.js'
import { BulkEditor } from './bulk-edit.js'

export function createBulkEditor (components: BulkEditorComponents, init?: BulkEditorInit): BulkEditor {
  return new BulkEditor(components, init)
}

export type { BulkEditor, BulkEditorComponents, BulkEditorInit, BulkEditJobInfo, BulkEditProgressEvent, BulkEditRequest, BulkEditRunOptions, BulkPreview, BulkPreviewItem } from './bulk-edit.js'
export type { BulkEditState, RefusedToken } from './jobs.js'
export { BULK_OPERATIONS, checkOperation, describeOperation, editDocument } from './operation.js'
export type { BulkChange, BulkOperation, BulkValue, TokenEdit } from './operation.js'
export type { BulkSelection } from './selection.js'
export * from './constants.js'
export * from './errors.js'
