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
  if (!source.takesChainFacts(r.meta_contract_id)) return raw
  const block = source.lastAppliedBlock(r.chain_id, r.token_address)
  if (block === null) return raw
  return { ...r, mcdata: JSON.stringify({ chain_block: block }) }
}
