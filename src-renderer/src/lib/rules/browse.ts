/** The collection browser's rules in plain TypeScript: filters, labels and what a card shows. */
import type { BrowseSortName } from '../../../../src-main/api/rpc-types.js'

export interface TraitChoice { trait_type: string, value: string }

export const SORT_LABELS: Record<BrowseSortName, string> = {
  token_id: 'Token id, lowest first',
  token_id_desc: 'Token id, highest first',
  name: 'Name, A to Z',
  name_desc: 'Name, Z to A',
  updated: 'Recently changed',
}

/** Traits a card or a table row shows; the token's page shows them all. */
export const KEY_TRAITS = 3

/** The filters with one value chosen or dropped. */
export function toggleChoice (choices: readonly TraitChoice[], choice: TraitChoice): TraitChoice[] {
  const held = choices.some(c => c.trait_type === choice.trait_type && c.value === choice.value)
  return held ? choices.filter(c => !(c.trait_type === choice.trait_type && c.value === choice.value)) : [...choices, choice]
}

export function isChosen (choices: readonly TraitChoice[], trait_type: string, value: string): boolean {
  return choices.some(c => c.trait_type === trait_type && c.value === value)
}

/** A trait type as people read it; a document may list a value without one. */
export function traitTypeLabel (type: string): string {
  return type === '' ? 'Other' : type
}

/** "1,234 tokens match", said plainly for a search, filters, both or neither. */
export function matchSummary (total: number, searching: boolean): string {
  const count = `${total.toLocaleString('en-US')} ${total === 1 ? 'token' : 'tokens'}`
  return searching ? `${count} ${total === 1 ? 'matches' : 'match'}` : count
}

/** What a token is called when its document has no name. */
export function tokenTitle (name: string, tokenId: string): string {
  return name !== '' ? name : `Token #${tokenId}`
}
