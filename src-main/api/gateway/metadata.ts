import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Lineage } from '../../lineage/engine/index.js'
import type { MetadataFormatter } from '../../marine/index.js'
import { DOCUMENT_CACHE_ENTRIES, KEY_MEMO_ENTRIES, METADATA_CACHE_CONTROL } from './constants.js'
import { DocumentCache } from './document-cache.js'
import type { CachedDocument } from './document-cache.js'
import { KeyMemo } from './key-memo.js'
import { parseTokenId } from './token-id.js'

export interface MetadataRoutesComponents {
  lineage: Lineage
  formatter: MetadataFormatter
}

const CHAIN_ID = /^[0-9]{1,20}$/
const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const TOKEN_KEY = /^[1-9A-HJ-NP-Za-km-z]{32,64}$/

function fail (reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).header('access-control-allow-origin', '*').header('cache-control', 'no-store').type('application/json').send({ error })
}

/**
 * tokenURI documents: the token's current slots under the collection's meta contract, merged
 * by the `formatter` service. The ETag is derived from the slot heads, so a client revalidates
 * for free until someone publishes a new version.
 */
export function registerMetadataRoutes (app: FastifyInstance, { lineage, formatter }: MetadataRoutesComponents): void {
  const cache = new DocumentCache(DOCUMENT_CACHE_ENTRIES)
  const keys = new KeyMemo(lineage, KEY_MEMO_ENTRIES)

  /** The token's document, formatted again only when one of its slot heads moved. */
  const formatted = (dataKey: string, metaContractId: string, tokenId: string): CachedDocument | { error: string } | undefined => {
    const heads = lineage.slotHeads(dataKey, metaContractId)
    if (heads.length === 0) return undefined
    const key = `${metaContractId}/${dataKey}`
    const joined = heads.join(',')
    const cached = cache.get(key, joined)
    if (cached !== undefined) return cached
    const slots = lineage.slots(dataKey, metaContractId)
    const result = formatter.format(tokenId, slots.map(s => ({ alias: s.alias, public_key: s.public_key, version: s.version, content: JSON.stringify(s.content) })))
    if (!result.ok) return { error: result.error }
    const entry = { heads: joined, etag: `"${bytesToHex(sha256(new TextEncoder().encode(joined))).slice(0, 32)}"`, json: result.json }
    cache.set(key, entry)
    return entry
  }

  const document = async (request: FastifyRequest, reply: FastifyReply, chainId: string, address: string, tokenIdText: string): Promise<FastifyReply> => {
    if (!CHAIN_ID.test(chainId)) return fail(reply, 400, `"${chainId}" is not a chain id (decimal, e.g. 1 for Ethereum).`)
    if (!ADDRESS.test(address)) return fail(reply, 400, `"${address}" is not a contract address (0x and 40 hex digits).`)
    const tokenId = parseTokenId(tokenIdText)
    if (tokenId === undefined) return fail(reply, 400, `"${tokenIdText}" is not a token id (decimal, or 64 hex digits as ERC-1155 {id}).`)

    const binding = lineage.binding(keys.tokenKey(chainId, address))
    if (binding === undefined) return fail(reply, 404, `This node has no metadata for collection ${address} on chain ${chainId}.`)
    const document = formatted(keys.dataKey(chainId, address, tokenId), binding.meta_contract_id, tokenId)
    if (document === undefined) return fail(reply, 404, `This node has no metadata for token ${tokenId} of ${address} on chain ${chainId}.`)
    if ('error' in document) return fail(reply, 500, `The token's metadata cannot be assembled: ${document.error}`)

    reply.header('etag', document.etag).header('cache-control', METADATA_CACHE_CONTROL).header('access-control-allow-origin', '*')
    if (request.headers['if-none-match'] === document.etag) return reply.code(304).send()
    return reply.code(200).type('application/json; charset=utf-8').send(document.json)
  }

  app.get<{ Params: { chainId: string, address: string, tokenId: string } }>('/metadata/:chainId/:address/:tokenId', async (request, reply) =>
    document(request, reply, request.params.chainId, request.params.address, request.params.tokenId))
  // The original Lineage gateway's paths, so existing tokenURIs keep working.
  app.get<{ Params: { chainId: string, address: string, tokenId: string } }>('/ta/:chainId/:address/:tokenId', async (request, reply) =>
    document(request, reply, request.params.chainId, request.params.address, request.params.tokenId))
  app.get<{ Params: { tokenKey: string, tokenId: string } }>('/tk/:tokenKey/:tokenId', async (request, reply) => {
    if (!TOKEN_KEY.test(request.params.tokenKey)) return fail(reply, 400, `"${request.params.tokenKey}" is not a token key (base58).`)
    const binding = lineage.binding(request.params.tokenKey)
    if (binding === undefined) return fail(reply, 404, `This node has no metadata for token key ${request.params.tokenKey}.`)
    return document(request, reply, binding.chain_id, binding.token_address, request.params.tokenId)
  })
}
