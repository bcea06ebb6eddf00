import type { Tokens } from '../lineage/tokens/index.js'
import type { RevealGate } from './reveal.js'

type TokenReads = Pick<Tokens, 'token' | 'list' | 'history'>

/**
 * Token reads as a public peer may make them (the Aqua services): a token hidden until minted is
 * unknown (as a token this node has no metadata for), and a page of a collection leaves it out.
 * `total` still counts it: how many tokens a collection has is public on the chain anyway.
 */
export function revealedTokens (tokens: TokenReads, reveal: RevealGate): TokenReads {
  return {
    token: ref => {
      const token = tokens.token(ref)
      if (token === undefined || !reveal.active) return token
      const hidden = reveal.hiddenByDataKey(token.data_key) ?? reveal.hiddenByTokenKey(token.token_key, token.token_id)
      return hidden === undefined ? token : undefined
    },
    list: (collection, options) => {
      const page = tokens.list(collection, options)
      if (!reveal.active) return page
      return { ...page, items: page.items.filter(item => reveal.hiddenByTokenKey(page.token_key, item.token_id) === undefined) }
    },
    history: (slot, options) => reveal.hiddenByDataKey(slot.data_key) === undefined ? tokens.history(slot, options) : undefined,
  }
}
