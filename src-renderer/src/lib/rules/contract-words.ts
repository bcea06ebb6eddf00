/** The collection-rules contracts (meta contracts) in a creator's words; the technical names stay in tooltips. */

/** The rules contracts shipped with the node, in words (the id stays in a tooltip). */
const BUILTIN_RULES: Readonly<Record<string, string>> = {
  erc721: 'ERC-721 metadata, checked as OpenSea expects',
  open: 'Open: anything, each key its own copy',
  collab: 'Collaborators: the owner names who may write',
  holders: 'Holders: each token\'s holder writes the fields you choose',
}

export function rulesName (metaContractId: string): string {
  return BUILTIN_RULES[metaContractId] ?? `Your contract "${metaContractId}"`
}

/** A contract's entry points in words; the technical name stays in a tooltip. */
const FUNCTION_WORDS: Readonly<Record<string, string>> = {
  on_execute: 'judges each change',
  on_mint: 'judges new tokens',
  on_clone: 'judges copies',
}

export function functionWords (name: string): string {
  return FUNCTION_WORDS[name] ?? name.replace(/_/g, ' ')
}
