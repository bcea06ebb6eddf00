import { MAX_CHAIN_TOKENS_PER_CALL, MAX_URI_LENGTH } from '../../chain-write/index.js'
import type { ChainWriter } from '../../chain-write/index.js'
import type { ChainWatcher } from '../../chain/index.js'
import { InvalidParamsError } from '../errors.js'
import { defineMethod } from './method.js'
import type { RpcMethod, RpcParam } from './method.js'

export interface ChainWriteMethodsComponents {
  /** Absent where a node part is built without it: no chain write methods then. */
  chainWriter?: ChainWriter
  chain?: ChainWatcher
}

const chainId: RpcParam = { name: 'chain_id', schema: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 16 }] } }
const address: RpcParam = { name: 'address', schema: { type: 'string', maxLength: 42 } }
const tokenId = { type: 'string', maxLength: 78 }
const request: RpcParam = {
  name: 'request',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['chain_id', 'address', 'key', 'action'],
    properties: {
      chain_id: chainId.schema,
      address: address.schema,
      key: { type: 'string', minLength: 1, maxLength: 64 },
      action: { type: 'string', maxLength: 32 },
      uri: { type: 'string', maxLength: MAX_URI_LENGTH + 1 },
      token_id: tokenId,
      to_token_id: tokenId,
    },
  },
}

/** Errors about one input are invalid params naming the field. */
async function withParams<T> (run: () => Promise<T> | T, fields: Record<string, string> = {}): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const { name, field, message } = err as { name?: unknown, field?: unknown, message?: unknown }
    if ((name === 'InvalidChainInputError' || name === 'InvalidChainWriteInputError') && typeof field === 'string' && typeof message === 'string') throw new InvalidParamsError(message, field)
    const named = fields[String(name)]
    if (named !== undefined) throw new InvalidParamsError(`${named}: ${String(message)}`, named)
    throw err
  }
}

/** Keystore errors about the key name are about the request's `key`. */
const KEY_FIELDS = { InvalidKeyNameError: 'key' }

/**
 * Writing to the creator's own collection contract (baseURI, a token's URI, an EIP-4906 refresh)
 * with a keystore key: owner only, as every use of the keystore is. The estimate signs nothing;
 * the send estimates again and signs. What the chain says (minted flags, metadata updates) is public.
 */
export function chainWriteMethods ({ chainWriter, chain }: ChainWriteMethodsComponents): RpcMethod[] {
  if (chainWriter === undefined || chain === undefined) return []
  return [
    defineMethod({
      name: 'chain_write_functions',
      requiresToken: true,
      description: 'Which changes a collection contract can take from this node (its baseURI and token URI setters, an EIP-4906 refresh), read from its code.',
      params: [chainId, address],
      handler: async p => await withParams(async () => await chainWriter.functions(p.chain_id, p.address)),
    }),
    defineMethod({
      name: 'chain_write_estimate',
      requiresToken: true,
      description: 'The gas a change to the collection contract needs from the key\'s account, and what it may cost; nothing is signed or sent.',
      params: [request],
      handler: async p => await withParams(async () => await chainWriter.estimate(p.request as never), KEY_FIELDS),
    }),
    defineMethod({
      name: 'chain_write_send',
      requiresToken: true,
      description: 'Estimates again, signs the change with the key and sends it; refused when it would cost more than max_cost_wei. The transaction is then tracked until confirmed.',
      params: [request, { name: 'passphrase', schema: { type: 'string', minLength: 1, maxLength: 1024 } }, { name: 'max_cost_wei', optional: true, schema: { type: 'string', maxLength: 78 } }],
      handler: async p => await withParams(async () => await chainWriter.send({ ...(p.request as object), passphrase: p.passphrase, max_cost_wei: p.max_cost_wei } as never), KEY_FIELDS),
    }),
    defineMethod({
      name: 'chain_tx',
      requiresToken: true,
      description: 'A transaction sent from this node, by id or hash: its state (sent, mined, confirmed, failed), block and depth.',
      params: [{ name: 'ref', schema: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', maxLength: 66 }] } }],
      handler: p => chainWriter.tx(p.ref),
    }),
    defineMethod({
      name: 'chain_txs',
      requiresToken: true,
      description: 'Transactions sent from this node, newest first (at most 100); of one collection when chain_id and address are given.',
      params: [{ ...chainId, optional: true }, { ...address, optional: true }],
      handler: async p => await withParams(() => chainWriter.txs(p.chain_id, p.address)),
    }),
    defineMethod({
      name: 'chain_metadata_updates',
      description: 'EIP-4906 MetadataUpdate and BatchMetadataUpdate events of a collection, newest first (at most 100): those the watcher read from the chain (any sender), and those of transactions this node sent.',
      params: [chainId, address],
      handler: async p => await withParams(() => chainWriter.metadataUpdates(p.chain_id, p.address)),
    }),
    defineMethod({
      name: 'chain_tokens',
      description: `Minted, burned, owner and the block of the newest EIP-4906 announcement of up to ${MAX_CHAIN_TOKENS_PER_CALL} tokens of a watched collection, from the owner index.`,
      params: [chainId, address, { name: 'token_ids', schema: { type: 'array', maxItems: MAX_CHAIN_TOKENS_PER_CALL, items: tokenId } }],
      handler: async p => await withParams(() => (p.token_ids as string[]).map(id => {
        const t = chain.token(p.chain_id, p.address, id)
        return { token_id: t.token_id, minted: t.minted, burned: t.burned, owner: t.owner, metadata_update_block: t.metadata_update?.block_number ?? null }
      })),
    }),
  ] as RpcMethod[]
}
