import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBulkEditor, MAX_BULK_EDIT_TOKENS } from '../../../src-main/lineage/bulk-edit/index.js'
import type { BulkEditor, BulkEditRequest, BulkOperation, BulkSelection } from '../../../src-main/lineage/bulk-edit/index.js'
import { createJobHistory } from '../../../src-main/lineage/job-history/index.js'
import { testLog } from '../../helpers/logger.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { COLLECTION, createImportRig } from '../import/setup.js'
import type { ImportRig } from '../import/setup.js'

const TOKENS = 60
/** Every tenth token's Level is shown as a number: the ERC-721 contract refuses a text value there. */
const numberShown = (i: number): boolean => i % 10 === 0
const original = (i: number): Record<string, unknown> => ({
  name: `Dragon #${i}`,
  description: `A dragon, number ${i}`,
  attributes: [{ trait_type: 'Fur', value: i % 3 === 0 ? 'Red' : 'Blue' }, { trait_type: 'Level', value: i, ...(numberShown(i) ? { display_type: 'number' } : {}) }],
})

describe('bulk edit over a real engine (SQLite, ERC-721 contract in the Wasm sandbox)', () => {
  let rig: ImportRig
  let editor: BulkEditor
  let src: { dir: string, cleanup: () => void }

  beforeAll(async () => {
    rig = await createImportRig()
    src = tempDir('lineage-bulk-edit-')
    for (let i = 1; i <= TOKENS; i++) fs.writeFileSync(path.join(src.dir, `${i}.json`), JSON.stringify(original(i)))
    const { job } = await rig.importer.create({ source: src.dir, ...COLLECTION, meta_contract_id: 'erc721', public_key: rig.signer.publicKey })
    expect(await rig.importer.run(job, { signer: rig.signer })).toMatchObject({ applied: TOKENS, rejected_count: 0 })
    editor = createBulkEditor({ db: rig.store.db, lineage: rig.lineage, log: testLog }, { batch: 10 })
    editor.start()
  }, 60_000)
  afterAll(async () => {
    await editor.stop()
    await rig.close()
    src.cleanup()
  })

  const documentOf = (tokenId: number): Record<string, unknown> => rig.lineage.slot({
    data_key: rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, String(tokenId)), meta_contract_id: 'erc721', public_key: rig.signer.publicKey, alias: '', version: 'v1',
  })?.content as Record<string, unknown>
  const transactions = (): number => rig.count('SELECT count(*) AS n FROM transactions')
  const request = (selection: BulkSelection, operation: BulkOperation): BulkEditRequest => ({ ...COLLECTION, selection, operation, public_key: rig.signer.publicKey })
  const all: BulkSelection = { filter: {} }
  const traitOf = (doc: Record<string, unknown>, type: string): unknown => (doc.attributes as Array<{ trait_type: string, value: unknown }>).find(a => a.trait_type === type)?.value

  it('a preview of "all matching a filter" shows each token before → after, with counts, and writes nothing', () => {
    const before = transactions()
    const preview = editor.preview(request({ filter: { traits: [{ trait_type: 'Fur', value: 'Red' }] } }, { op: 'set_trait', trait_type: 'Fur', value: 'Gold' }))
    expect(preview).toMatchObject({ description: 'Set trait "Fur" to "Gold"', selected: 20, change: 20, unchanged: 0, refused: 0, signer_is_binder: true })
    expect(preview.items[0]).toEqual({ token_id: '3', name: 'Dragon #3', outcome: 'change', changes: [{ label: 'Trait "Fur"', before: 'Red', after: 'Gold' }], reason: '' })
    expect(preview.items.map(i => i.token_id).slice(0, 4)).toEqual(['3', '6', '9', '12'])
    expect(transactions()).toBe(before)
    expect(traitOf(documentOf(3), 'Fur')).toBe('Red')
  })

  it('applies a set to every token: the contract\'s refusals are reported per token in its words, the rest published; the job is in the history', async () => {
    const progress: number[] = []
    const { info, done } = editor.apply(request(all, { op: 'set_trait', trait_type: 'Level', value: 'max' }), rig.signer, { onProgress: e => progress.push(e.done) })
    expect(info).toMatchObject({ state: 'running', total: TOKENS, running: true })
    const end = await done
    expect(end).toMatchObject({ state: 'done', running: false, total: TOKENS, done: TOKENS, changed: 54, unchanged: 0, refused: 6 })
    expect(progress).toEqual([10, 20, 30, 40, 50, 60])
    expect(end.refused_items.map(r => r.token_id)).toEqual(['10', '20', '30', '40', '50', '60'])
    expect(end.refused_items[0]?.reason).toMatch(/^the collection's contract refused it: .*must be a number when display_type is "number"/)
    expect(traitOf(documentOf(7), 'Level')).toBe('max')
    expect(documentOf(7)).toMatchObject({ name: 'Dragon #7', description: 'A dragon, number 7' })
    expect(traitOf(documentOf(10), 'Level')).toBe(10)
    const [listed] = createJobHistory(rig.store.db, job => editor.isRunning(job)).list()
    expect(listed).toMatchObject({ job: info.job, kind: 'edit', format: 'bulk', state: 'done', path: 'Set trait "Level" to "max"', applied: 54, unchanged: 0, rejected: 6 })
    expect(editor.status(info.job)).toMatchObject({ changed: 54, refused: 6, done: TOKENS })
  })

  it('running the same edit again changes nothing already there: unchanged tokens are counted, never signed', async () => {
    const preview = editor.preview(request(all, { op: 'set_trait', trait_type: 'Level', value: 'max' }))
    expect(preview).toMatchObject({ selected: TOKENS, change: 6, unchanged: 54, refused: 0 })
    expect(preview.items.find(i => i.token_id === '1')).toMatchObject({ outcome: 'unchanged', reason: '"Level" is already "max"' })
    const before = transactions()
    const end = await editor.apply(request(all, { op: 'set_trait', trait_type: 'Level', value: 'max' }), rig.signer).done
    expect(end).toMatchObject({ state: 'done', changed: 0, unchanged: 54, refused: 6 })
    // Only the six the contract refuses again were signed.
    expect(transactions() - before).toBe(6)
  })

  it('renames and removes traits and fields on chosen tokens; a field the contract does not allow is refused', async () => {
    const ids = { token_ids: ['1', '2', '3'] }
    expect(await editor.apply(request(ids, { op: 'rename_trait', trait_type: 'Fur', to: 'Coat' }), rig.signer).done).toMatchObject({ changed: 3, refused: 0 })
    expect((documentOf(2).attributes as unknown[])[0]).toEqual({ trait_type: 'Coat', value: 'Blue' })
    expect(await editor.apply(request(ids, { op: 'remove_trait', trait_type: 'Coat' }), rig.signer).done).toMatchObject({ changed: 3 })
    expect(documentOf(2).attributes).toEqual([{ trait_type: 'Level', value: 'max' }])
    expect(await editor.apply(request(ids, { op: 'set_field', field: 'external_url', value: 'https://dragons.example/1' }), rig.signer).done).toMatchObject({ changed: 3 })
    expect(documentOf(1).external_url).toBe('https://dragons.example/1')
    expect(await editor.apply(request(ids, { op: 'remove_field', field: 'description' }), rig.signer).done).toMatchObject({ changed: 3 })
    expect(Object.keys(documentOf(3))).toEqual(['name', 'attributes', 'external_url'])
    const renamed = await editor.apply(request(ids, { op: 'rename_field', field: 'external_url', to: 'homepage' }), rig.signer).done
    expect(renamed).toMatchObject({ changed: 0, refused: 3 })
    expect(renamed.refused_items[0]?.reason).toMatch(/^the collection's contract refused it: .*homepage.*unknown field/)
    expect(documentOf(1).external_url).toBe('https://dragons.example/1')
    // A rename already made: only the new name is there, so nothing changes (not an error).
    expect(editor.preview(request(ids, { op: 'rename_trait', trait_type: 'Fur', to: 'Coat' })).unchanged).toBe(3)
  })

  it('refuses bad input with a clear error naming what is wrong, and changes nothing', () => {
    const before = transactions()
    const refusal = (selection: BulkSelection, operation: BulkOperation): { name: string, message: string } => {
      try {
        editor.preview(request(selection, operation))
      } catch (err) {
        return { name: (err as Error).name, message: (err as Error).message }
      }
      throw new Error('no refusal')
    }
    expect(refusal(all, { op: 'remove_trait', trait_type: 'Hat' })).toEqual({ name: 'BulkEditUnknownTraitError', message: 'No token of this collection has the trait "Hat"; its traits are "Fur", "Level". Nothing was changed.' })
    expect(refusal(all, { op: 'remove_field', field: 'colour' })).toEqual({ name: 'BulkEditUnknownFieldError', message: 'None of the selected tokens has the field "colour". Nothing was changed.' })
    expect(refusal(all, { op: 'set_trait', trait_type: ' ', value: 'x' })).toEqual({ name: 'BulkEditInputError', message: 'operation.trait_type: give the trait name; it is empty' })
    expect(refusal(all, { op: 'rename_field', field: 'name', to: 'name' }).message).toBe('operation.to: the new name is the same as the old one')
    expect(refusal(all, { op: 'set_field', field: 'attributes', value: 'x' }).name).toBe('BulkEditInputError')
    expect(refusal({ filter: { text: 'unicorn' } }, { op: 'set_trait', trait_type: 'Fur', value: 'x' })).toEqual({ name: 'BulkEditEmptySelectionError', message: 'No token matches this search and these filters. Choose at least one token. Nothing was changed.' })
    expect(refusal({ token_ids: [] }, { op: 'set_trait', trait_type: 'Fur', value: 'x' }).name).toBe('BulkEditEmptySelectionError')
    const many = Array.from({ length: MAX_BULK_EDIT_TOKENS + 1 }, (_, i) => String(i + 1))
    expect(refusal({ token_ids: many }, { op: 'set_trait', trait_type: 'Fur', value: 'x' })).toEqual({ name: 'BulkEditTooManyTokensError', message: 'The selection holds 10,001 tokens; one bulk edit changes at most 10,000. Narrow the search or the filters. Nothing was changed.' })
    expect(refusal({ token_ids: ['7', 'seven'] }, { op: 'set_trait', trait_type: 'Fur', value: 'x' }).message).toMatch(/^selection.token_ids: "seven" is not a token id/)
    expect(transactions()).toBe(before)
  })

  it('a cancel halfway stops between batches: each token ends on its old or its new document, and a re-run finishes the rest', async () => {
    const edit = request({ filter: { text: 'dragon' } }, { op: 'set_field', field: 'name', value: 'Renamed dragon' })
    const run = editor.apply(edit, rig.signer, { onProgress: e => { if (e.done === 20) editor.cancel(e.job) } })
    const end = await run.done
    expect(end).toMatchObject({ state: 'cancelled', done: 20, changed: 20, total: TOKENS })
    const names = Array.from({ length: TOKENS }, (_, i) => documentOf(i + 1).name)
    expect(names.slice(0, 20).every(n => n === 'Renamed dragon')).toBe(true)
    expect(names.slice(20)).toEqual(Array.from({ length: 40 }, (_, i) => `Dragon #${i + 21}`))
    // The job resolved its selection once: the renamed tokens still match "dragon" and are unchanged now.
    expect(editor.preview(edit)).toMatchObject({ selected: TOKENS, change: 40, unchanged: 20 })
    expect(await editor.apply(edit, rig.signer).done).toMatchObject({ state: 'done', changed: 40, unchanged: 20 })
  })
})
