/**
 * The judging block the node's own signing paths name (docs/PROTOCOL.md "Convergence"): a
 * metadata write to a contract that takes chain facts, signed here with no mcdata of its own,
 * carries `{"chain_block": N}`, N the newest block this node's watcher has applied for the
 * collection, so every node judges it with the facts this node saw when it signed.
 */

/** What the node knows to name a block: whether a contract takes chain facts, and the watch's newest applied block. */
export interface JudgingBlockSource {
  takesChainFacts: (metaContractId: string) => boolean
  /** null when the collection is not watched or no block is applied yet: the write names none. */
  lastAppliedBlock: (chainId: string, address: string) => number | null
}

/**
 * The request as the node signs it: with `chain_block` in its mcdata when it writes metadata
 * through a contract that takes chain facts and its mcdata is empty (a caller's mcdata is never
 * replaced). Anything else, a malformed request included, is returned as it came: signing then
 * says what is wrong with it.
 */
export function withJudgingBlock (raw: unknown, source: JudgingBlockSource): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw
  const r = raw as Record<string, unknown>
  if (r.method !== 'metadata' || (r.mcdata !== undefined && r.mcdata !== '')) return raw
  if (typeof r.meta_contract_id !== 'string' || typeof r.chain_id !== 'string' || typeof r.token_address !== 'string') return raw
  const block = blockToName(source, r.chain_id, r.token_address, r.meta_contract_id)
  return block === null ? raw : { ...r, mcdata: JSON.stringify({ chain_block: block }) }
}

/**
 * The block a metadata write through `metaContractId` to the collection should name, or null
 * when it names none (a contract that takes no chain facts, a collection not watched or with no
 * block applied yet). What a client that signs elsewhere (the CLI) asks the node for.
 */
export function blockToName (source: JudgingBlockSource, chainId: string, address: string, metaContractId: string): number | null {
  if (!source.takesChainFacts(metaContractId)) return null
  return source.lastAppliedBlock(chainId, address)
}
