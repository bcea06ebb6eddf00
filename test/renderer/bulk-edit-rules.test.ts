import { describe, expect, it } from 'vitest'
import { RpcCallError } from '../../src-renderer/src/lib/client/errors.js'
import { bulkProblem, formProblems, operationOf, refusalWords, typedValue } from '../../src-renderer/src/lib/rules/bulk-edit.js'
import type { BulkForm } from '../../src-renderer/src/lib/rules/bulk-edit.js'

const form = (over: Partial<BulkForm>): BulkForm => ({ target: 'trait', action: 'set', name: 'Fur', value: 'Gold', to: '', ...over })

describe('the bulk edit form in a creator\'s words', () => {
  it('finds what is missing before anything is sent, by field', () => {
    expect(formProblems(form({ name: ' ', value: '' }))).toEqual({ name: 'Type the name of the trait.', value: 'Type the value to set (it may be a word or a number).' })
    expect(formProblems(form({ action: 'rename', to: 'Fur' }))).toEqual({ to: 'The new name is the same as the old one.' })
    expect(formProblems(form({ target: 'field', name: 'attributes' })).name).toMatch(/choose "a trait"/)
    expect(formProblems(form({ action: 'remove', value: '' }))).toEqual({})
  })

  it('sends the operation the node takes: trimmed names, a number typed alone as a number', () => {
    expect(operationOf(form({ name: ' Level ', value: '5' }))).toEqual({ op: 'set_trait', trait_type: 'Level', value: 5 })
    expect(operationOf(form({ target: 'field', name: 'name', value: '007' }))).toEqual({ op: 'set_field', field: 'name', value: '007' })
    expect(operationOf(form({ action: 'rename', to: ' Coat' }))).toEqual({ op: 'rename_trait', trait_type: 'Fur', to: 'Coat' })
    expect(operationOf(form({ target: 'field', action: 'remove', name: 'description' }))).toEqual({ op: 'remove_field', field: 'description' })
    expect([typedValue('-2.5'), typedValue('1e3'), typedValue('12 dragons')]).toEqual([-2.5, '1e3', '12 dragons'])
  })

  it('puts each refusal of the node beside the input it concerns, without field paths', () => {
    const error = (code: number, message: string, data?: unknown): RpcCallError => new RpcCallError(code, message, data)
    expect(bulkProblem(error(-32602, 'Invalid params: operation.to: the new name is the same as the old one', { name: 'BulkEditInputError', field: 'operation.to' })))
      .toEqual({ field: 'to', message: 'The new name is the same as the old one.' })
    expect(bulkProblem(error(-32180, 'No token of this collection has the trait "Hat". Nothing was changed.', { name: 'BulkEditUnknownTraitError' })))
      .toEqual({ field: 'name', message: 'No token of this collection has the trait "Hat". Nothing was changed.' })
    expect(bulkProblem(error(-32183, 'The selection holds 12,000 tokens; …', { name: 'BulkEditTooManyTokensError' })).field).toBe('selection')
    expect(bulkProblem(error(-32048, 'wrong passphrase for key studio', { name: 'WrongPassphraseError' })))
      .toEqual({ field: 'passphrase', message: 'That passphrase does not unlock this key. Check it (capital letters count) and try again.' })
  })

  it('says a refused token\'s reason with the editor\'s labels', () => {
    expect(refusalWords('the collection\'s contract refused it: invalid ERC-721 metadata: attributes[1].value: must be a number when display_type is "number"'))
      .toBe('The collection\'s rules refused it: Trait 2 value must be a number, since the trait is shown as "number".')
    expect(refusalWords('it already has a trait "Coat"; remove one of the two first')).toBe('It already has a trait "Coat"; remove one of the two first.')
  })
})
