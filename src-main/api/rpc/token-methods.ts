import type { CollectionRef, TokenDetails, TokenRef, Tokens } from '../../lineage/tokens/index.js'
import { MAX_HISTORY_PAGE, MAX_TOKEN_FILTER_DIGITS, MAX_TOKEN_PAGE } from '../../lineage/tokens/index.js'
import { ADDRESS_PATTERN, CHAIN_ID_PATTERN, TOKEN_ID_PATTERN } from '../../lineage/signing/index.js'
import { InvalidParamsError } from '../errors.js'
import type { CollectionRefParam, TokenInfo, TokenRefParam } from '../rpc-types.js'
import { slotInfo } from './lineage-methods.js'
import { defineMethod } from './method.js'
import type { RpcMethod, RpcParam } from './method.js'

export interface TokenMethodsComponents {
  tokens: Tokens
}

const key = { type: 'string', minLength: 1, maxLength: 128 }
const text = { type: 'string', maxLength: 128 }
const chainId = { type: 'string', pattern: CHAIN_ID_PATTERN.source }
const address = { type: 'string', pattern: ADDRESS_PATTERN.source }
const tokenId = { type: 'string', pattern: TOKEN_ID_PATTERN.source }
/** Longest CID text accepted; a CIDv1 with a 64-byte digest is about 120 characters. */
const cid = { type: 'string', minLength: 1, maxLength: 256 }

const tokenParam: RpcParam = {
  name: 'token',
  schema: { type: 'object', properties: { data_key: key, chain_id: chainId, token_address: address, token_id: tokenId }, additionalProperties: false },
}
const collectionParam: RpcParam = {
  name: 'collection',
  schema: { type: 'object', properties: { token_key: key, chain_id: chainId, token_address: address }, additionalProperties: false },
}
const listOptions: RpcParam = {
  name: 'options',
  optional: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      cursor: tokenId,
      limit: { type: 'integer', minimum: 1, maximum: MAX_TOKEN_PAGE },
      token_id_contains: { type: 'string', pattern: `^[0-9]{1,${MAX_TOKEN_FILTER_DIGITS}}$` },
    },
  },
}
const historyOptions: RpcParam = {
  name: 'options',
  optional: true,
  schema: { type: 'object', additionalProperties: false, properties: { cursor: cid, limit: { type: 'integer', minimum: 1, maximum: MAX_HISTORY_PAGE } } },
}
const slotParams: RpcParam[] = [
  { name: 'data_key', schema: key }, { name: 'meta_contract_id', schema: key }, { name: 'public_key', schema: key },
  { name: 'alias', schema: text }, { name: 'version', schema: text },
]

/** The two ways to name a token; anything else (both, or half of one) is refused rather than guessed. */
function tokenRef (p: TokenRefParam): TokenRef {
  const { data_key: dataKey, chain_id: chain, token_address: tokenAddress, token_id: id } = p
  if (dataKey !== undefined && chain === undefined && tokenAddress === undefined && id === undefined) return { data_key: dataKey }
  if (dataKey === undefined && chain !== undefined && tokenAddress !== undefined && id !== undefined) return { chain_id: chain, token_address: tokenAddress, token_id: id }
  throw new InvalidParamsError('token must name data_key alone, or chain_id, token_address and token_id together', 'token')
}

function collectionRef (p: CollectionRefParam): CollectionRef {
  const { token_key: tokenKey, chain_id: chain, token_address: tokenAddress } = p
  if (tokenKey !== undefined && chain === undefined && tokenAddress === undefined) return { token_key: tokenKey }
  if (tokenKey === undefined && chain !== undefined && tokenAddress !== undefined) return { chain_id: chain, token_address: tokenAddress }
  throw new InvalidParamsError('collection must name token_key alone, or chain_id and token_address together', 'collection')
}

function tokenInfo (token: TokenDetails): TokenInfo {
  return { ...token, slots: token.slots.map(slotInfo) }
}

/** Reads for people and UIs (lineage/tokens): one token, a collection's tokens, a slot's history, a diff. */
export function tokenMethods ({ tokens }: TokenMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'get_token',
      description: 'One token by data_key or by chain_id, token_address and token_id: its binding, slots with content, tokenURI JSON and receipt counts; null when this node has no slot of it.',
      params: [tokenParam],
      cacheable: true,
      handler: p => {
        const token = tokens.token(tokenRef(p.token as TokenRefParam))
        return token === undefined ? null : tokenInfo(token)
      },
    }),
    defineMethod({
      name: 'list_tokens',
      description: 'A page of a collection\'s tokens (by token_key, or chain_id and token_address) in numeric order, with the next cursor and the total; token_id_contains filters by digits.',
      params: [collectionParam, listOptions],
      cacheable: true,
      handler: p => tokens.list(collectionRef(p.collection as CollectionRefParam), (p.options ?? {}) as { cursor?: string, limit?: number, token_id_contains?: string }),
    }),
    defineMethod({
      name: 'get_history',
      description: 'A page of one slot\'s versions, newest first, each with its content and transaction; null when the slot does not exist.',
      params: [...slotParams, historyOptions],
      cacheable: true,
      handler: p => tokens.history({
        data_key: p.data_key as string, meta_contract_id: p.meta_contract_id as string, public_key: p.public_key as string, alias: p.alias as string, version: p.version as string,
      }, (p.options ?? {}) as { cursor?: string, limit?: number }) ?? null,
    }),
    defineMethod({
      name: 'diff_versions',
      description: 'The structural changes from base (default: the version before cid) to cid: [{ path, op: add|remove|replace, before, after }].',
      params: [{ name: 'cid', schema: cid }, { name: 'base', schema: cid, optional: true }],
      handler: p => tokens.diff(p.cid as string, p.base as string | undefined),
    }),
  ] as RpcMethod[]
}
