import type { Logger } from '@libp2p/logger'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ChainWatcher, RevealGate } from '../../chain/index.js'
import type { Lineage } from '../../lineage/engine/index.js'
import type { MetadataFormatter } from '../../marine/index.js'
import { quoted } from '../http-text.js'
import { publicText } from '../public-text.js'
import { BackgroundFormatter } from './background-formatter.js'
import { BACKGROUND_MAX_WAIT_MS, BACKGROUND_PAGE_ROWS, BACKGROUND_QUIET_MS, BACKGROUND_SLICE_MS, DOCUMENT_CACHE_BYTES, DOCUMENT_CACHE_ENTRIES, KEY_MEMO_ENTRIES, METADATA_CACHE_CONTROL, REFRESH_IDLE_MS } from './constants.js'
import type { TokenDocument } from './document-cache.js'
import type { DocumentStore } from './stored-documents.js'
import { TokenDocuments } from './token-documents.js'
import type { Collection } from './token-documents.js'
import { parseDocumentPath } from './paths.js'
import { parseTokenId } from './token-id.js'

export interface MetadataRoutesComponents {
  lineage: Lineage
  formatter: MetadataFormatter
  /** Formatted documents kept across restarts. */
  stored: DocumentStore
  log: Logger
  /** Called with the background formatter once the routes exist (lets a node wait for it). */
  onBackgroundFormatter?: (formatter: BackgroundFormatter) => void
  /** Reveal on mint: a token of a hidden collection is served its placeholder (or a 404) until minted. */
  reveal?: RevealGate
  /** The chain watcher: an EIP-4906 announcement it reads drops the held documents of those tokens. */
  chain?: Pick<ChainWatcher, 'onMetadataUpdate'>
}

const CHAIN_ID = /^[0-9]{1,20}$/
const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const TOKEN_KEY = /^[1-9A-HJ-NP-Za-km-z]{32,64}$/

/** Set once: a document's own headers are its ETag alone. */
const DOCUMENT_HEADERS = {
  'cache-control': METADATA_CACHE_CONTROL,
  'access-control-allow-origin': '*',
  'content-type': 'application/json; charset=utf-8',
}

function fail (reply: FastifyReply, status: number, error: string): void {
  void reply.code(status).header('access-control-allow-origin', '*').header('cache-control', 'no-store').type('application/json').send({ error })
}

type MetadataRequest = FastifyRequest<{ Params: { chainId: string, address: string, tokenId: string } }>

/**
 * tokenURI documents: the token's current slots under the collection's meta contract, merged by
 * the `formatter` service. Documents are made once per version, kept in SQLite and served from
 * there or from memory (`TokenDocuments`); the ETag is derived from the slot heads, so a client revalidates for free
 * until someone publishes a new version. Handlers are synchronous: a read allocates no promise,
 * and one the cache answers queries nothing.
 */
export function registerMetadataRoutes (app: FastifyInstance, components: MetadataRoutesComponents, shared?: TokenDocuments): TokenDocuments {
  // A second listener (the public gateway) serves the same documents: one cache, one background formatter,
  // owned by the app that made them.
  const documents = shared ?? ownDocuments(app, components)

  const { reveal } = components
  const send = (request: FastifyRequest, reply: FastifyReply, collection: Collection, tokenId: string, address: string): void => {
    // Asked at every read, after no cache: a mint or a reorg that undoes one counts at once.
    const hidden = reveal?.hidden(collection.chainId, collection.tokenAddress, tokenId)
    if (hidden !== undefined) {
      if (hidden.placeholder !== null) return respond(request, reply, hidden.placeholder)
      // The same words as a token with no metadata: a 404 tells nothing about what is hidden.
      return fail(reply, 404, `This node has no metadata for token ${tokenId} of ${address} on chain ${collection.chainId}.`)
    }
    const document = documents.document(collection, tokenId)
    if (!document.found) {
      if ('error' in document) return fail(reply, 500, `The token's metadata cannot be assembled: ${publicText(document.error)}`)
      return fail(reply, 404, `This node has no metadata for token ${tokenId} of ${address} on chain ${collection.chainId}.`)
    }
    respond(request, reply, document)
  }

  const byAddress = (request: MetadataRequest, reply: FastifyReply): void => {
    const { chainId, address, tokenId: tokenIdText } = request.params
    if (!CHAIN_ID.test(chainId)) return fail(reply, 400, `${quoted(chainId)} is not a chain id (decimal, e.g. 1 for Ethereum).`)
    if (!ADDRESS.test(address)) return fail(reply, 400, `${quoted(address)} is not a contract address (0x and 40 hex digits).`)
    const tokenId = parseTokenId(tokenIdText)
    if (tokenId === undefined) return fail(reply, 400, `${quoted(tokenIdText)} is not a token id (decimal, or 64 hex digits as ERC-1155 {id}).`)
    const collection = documents.collectionAt(chainId, address)
    if (collection === undefined) return fail(reply, 404, `This node has no metadata for collection ${address} on chain ${chainId}.`)
    send(request, reply, collection, tokenId, address)
  }

  app.get('/metadata/:chainId/:address/:tokenId', byAddress)
  // The original Lineage gateway's paths, so existing tokenURIs keep working.
  app.get('/ta/:chainId/:address/:tokenId', byAddress)
  app.get<{ Params: { tokenKey: string, tokenId: string } }>('/tk/:tokenKey/:tokenId', (request, reply) => {
    const { tokenKey, tokenId: tokenIdText } = request.params
    if (!TOKEN_KEY.test(tokenKey)) return fail(reply, 400, `${quoted(tokenKey)} is not a token key (base58).`)
    const collection = documents.collection(tokenKey)
    if (collection === undefined) return fail(reply, 404, `This node has no metadata for token key ${tokenKey}.`)
    const tokenId = parseTokenId(tokenIdText)
    if (tokenId === undefined) return fail(reply, 400, `${quoted(tokenIdText)} is not a token id (decimal, or 64 hex digits as ERC-1155 {id}).`)
    send(request, reply, collection, tokenId, collection.tokenAddress)
  })
  return documents
}

/**
 * The document a gateway path names, when the answer is that document (a bound collection, a token
 * with metadata): what the routes would send, for a listener that answers it without routing.
 * Undefined for anything else, which only the routes answer.
 */
export function documentAtPath (documents: TokenDocuments, path: string, reveal?: RevealGate): SentDocument | undefined {
  const named = parseDocumentPath(path)
  if (named === undefined) return undefined
  const collection = named.tokenKey === undefined ? documents.collectionAt(named.chainId, named.address) : documents.collection(named.tokenKey)
  if (collection === undefined) return undefined
  const hidden = reveal?.hidden(collection.chainId, collection.tokenAddress, named.tokenId)
  // A placeholder is sent as a document; a hidden token without one is the routes' 404.
  if (hidden !== undefined) return hidden.placeholder ?? undefined
  const document = documents.document(collection, named.tokenId)
  return document.found ? document : undefined
}

/** Documents made, kept and dropped with `app`. */
function ownDocuments (app: FastifyInstance, components: MetadataRoutesComponents): TokenDocuments {
  const documents = new TokenDocuments(components, { maxDocuments: DOCUMENT_CACHE_ENTRIES, maxBytes: DOCUMENT_CACHE_BYTES, maxKeys: KEY_MEMO_ENTRIES })
  const background = new BackgroundFormatter({ documents, stored: components.stored, log: components.log }, { sliceMs: BACKGROUND_SLICE_MS, pageRows: BACKGROUND_PAGE_ROWS, idleMs: REFRESH_IDLE_MS, quietMs: BACKGROUND_QUIET_MS, maxWaitMs: BACKGROUND_MAX_WAIT_MS })
  documents.start()
  components.onBackgroundFormatter?.(background)
  const unannounce = components.chain?.onMetadataUpdate(updates => {
    for (const u of updates) documents.announced(u.chain_id, u.address, u.token_from, u.token_to)
  })

  app.addHook('onReady', done => {
    background.start()
    done()
  })
  app.addHook('onClose', (_app, done) => {
    unannounce?.()
    background.stop()
    documents.stop()
    done()
  })
  return documents
}

/** What a tokenURI response sends: a token's document, or a placeholder. */
type SentDocument = Pick<TokenDocument, 'etag' | 'json'>

function respond (request: FastifyRequest, reply: FastifyReply, document: SentDocument): void {
  reply.headers(DOCUMENT_HEADERS).header('etag', document.etag)
  if (request.headers['if-none-match'] === document.etag) {
    void reply.code(304).removeHeader('content-type').send()
    return
  }
  void reply.send(document.json)
}
