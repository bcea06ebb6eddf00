/**
 * The HTTP gateway: tokenURI JSON for marketplaces (`/metadata/…`, and the original's `/ta/…` and
 * `/tk/…`) trustless `/ipfs/<cid>` responses, and the node's own `/ipns/<name>`s. Read-only and public: CORS open, no Host check.
 * tokenURI documents are made in the background once the server is ready (or on a token's first
 * read), kept in SQLite, served from there or from a memory cache of the tokens read again, and
 * dropped when the engine applies a change to them.
 *
 * @example
 * ```ts
 * registerGateway(app, { lineage, formatter, blockstore, stored, log })
 * // GET /metadata/1/0xbc4c…/42  →  the token's merged tokenURI document
 * ```
 */
import type { FastifyInstance } from 'fastify'
import { registerIpfsRoutes } from './ipfs.js'
import type { IpfsRoutesComponents } from './ipfs.js'
import { registerIpnsRoutes } from './ipns.js'
import type { IpnsRoutesComponents } from './ipns.js'
import { registerMetadataRoutes } from './metadata.js'
import type { MetadataRoutesComponents } from './metadata.js'
import type { TokenDocuments } from './token-documents.js'
import { GATEWAY_PREFIXES } from './paths.js'

export type GatewayComponents = MetadataRoutesComponents & IpfsRoutesComponents & IpnsRoutesComponents

export { GATEWAY_PREFIXES, isGatewayPath } from './paths.js'

/** What a browser may send in a cross-origin read: revalidation, and the trustless formats. */
const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Accept, If-None-Match',
  'access-control-max-age': '86400',
}

/** What a second app registering the gateway shares with the first: its tokenURI documents. */
export type GatewayShare = TokenDocuments

/**
 * Adds the gateway's routes to `app`. Given `shared` (what another app's registration returned),
 * it serves that app's documents, whose lifecycle stays with it; the other app must outlive this one.
 */
export function registerGateway (app: FastifyInstance, components: GatewayComponents, shared?: GatewayShare): GatewayShare {
  const documents = registerMetadataRoutes(app, components, shared)
  registerIpfsRoutes(app, components)
  registerIpnsRoutes(app, components)
  // CORS preflight: a page that sets If-None-Match or Accept itself asks first.
  for (const prefix of GATEWAY_PREFIXES) app.options(`${prefix}*`, (_request, reply) => { void reply.code(204).headers(PREFLIGHT_HEADERS).send() })
  return documents
}

export { parseTokenId } from './token-id.js'
export { documentAtPath } from './metadata.js'
export { createDocumentStore } from './stored-documents.js'
export type { DocumentStore, DocumentStoreInit, StoredDocument } from './stored-documents.js'
export type { BackgroundFormatter } from './background-formatter.js'
