import { MAX_OWN_PEERS, MAX_REVEAL_TOKENS } from '../../chain/index.js'
import type { RevealGate } from '../../chain/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import { InvalidParamsError } from '../errors.js'
import { defineMethod } from './method.js'
import type { RpcMethod, RpcParam } from './method.js'

export interface ChainRevealMethodsComponents {
  /** Reveal on mint; absent where a node part is built without it: no reveal methods, nothing hidden. */
  reveal?: RevealGate
  blockstore: SqliteBlockstore
}

const chainId: RpcParam = { name: 'chain_id', schema: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 16 }] } }
const address: RpcParam = { name: 'address', schema: { type: 'string', maxLength: 42 } }

/** Errors about one input are invalid params naming the field. */
function withParams<T> (run: () => T): T {
  try {
    return run()
  } catch (err) {
    const { name, field, message } = err as { name?: unknown, field?: unknown, message?: unknown }
    if (name === 'InvalidChainInputError' && typeof field === 'string' && typeof message === 'string') throw new InvalidParamsError(message, field)
    throw err
  }
}

/**
 * Reveal on mint, the owner's (token needed): which watched collections are hidden until each
 * token is minted, with the placeholder served meanwhile, and each token's state for the UI.
 */
export function chainRevealMethods ({ reveal }: ChainRevealMethodsComponents): RpcMethod[] {
  if (reveal === undefined) return []
  return [
    defineMethod({
      name: 'chain_reveal_set',
      requiresToken: true,
      description: 'Hides a watched collection\'s tokens until each is minted: the gateway serves `placeholder` (a JSON object, at most 16 KiB) or, when null, a 404 until the mint is confirmed.',
      params: [chainId, address, { name: 'placeholder', schema: { anyOf: [{ type: 'object' }, { type: 'null' }] } }],
      handler: p => withParams(() => reveal.set(p.chain_id, p.address, p.placeholder)),
    }),
    defineMethod({
      name: 'chain_reveal_clear',
      requiresToken: true,
      description: 'Makes every token of the collection public again, minted or not.',
      params: [chainId, address],
      handler: p => withParams(() => reveal.clear(p.chain_id, p.address)),
    }),
    defineMethod({
      name: 'chain_reveal_ls',
      requiresToken: true,
      description: 'Every collection hidden until minted, with its placeholder.',
      params: [],
      handler: () => reveal.list(),
    }),
    defineMethod({
      name: 'chain_reveal_tokens',
      requiresToken: true,
      description: `Each token's state: minted (confirmed) and revealed (its document is public); at most ${MAX_REVEAL_TOKENS} ids a call.`,
      params: [chainId, address, { name: 'token_ids', schema: { type: 'array', maxItems: MAX_REVEAL_TOKENS, items: { type: 'string', maxLength: 80 } } }],
      handler: p => withParams(() => reveal.tokens(p.chain_id, p.address, p.token_ids)),
    }),
    defineMethod({
      name: 'chain_reveal_peers',
      requiresToken: true,
      description: 'The peer ids of the owner\'s own nodes: a collection copy (`peer_copy_collection`) to one of them carries hidden tokens too; every other peer\'s copy leaves them out.',
      params: [],
      handler: () => reveal.ownPeers.list(),
    }),
    defineMethod({
      name: 'chain_reveal_peers_set',
      requiresToken: true,
      description: `Replaces the list of the owner's own nodes (at most ${MAX_OWN_PEERS} libp2p peer ids, as their node_info shows them); an empty list names none.`,
      params: [{ name: 'peer_ids', schema: { type: 'array', maxItems: MAX_OWN_PEERS, items: { type: 'string', maxLength: 128 } } }],
      handler: p => withParams(() => reveal.ownPeers.set(p.peer_ids)),
    }),
  ] as RpcMethod[]
}
