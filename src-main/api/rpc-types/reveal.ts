/** Reveal on mint (docs/CHAIN.md): a collection hidden until each token is minted. */
export interface ChainRevealInfoWire {
  chain_id: number
  address: string
  /** Served for a token not minted yet; null: a 404. */
  placeholder: Record<string, unknown> | null
  updated_at: string
}

/** A token's reveal state, for the owner's token list. */
export interface ChainRevealTokenWire {
  token_id: string
  minted: boolean
  /** Its real document is public (minted, or the collection is not hidden). */
  revealed: boolean
}
