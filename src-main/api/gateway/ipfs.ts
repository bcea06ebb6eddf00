import { Readable } from 'node:stream'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import type { Logger } from '@libp2p/logger'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CID } from 'multiformats/cid'
import { BlockNotFoundError, exportCar } from '../../dag/index.js'
import type { BlockSource } from '../../dag/index.js'
import type { RevealGate } from '../../chain/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import { contentDisposition, encodePathSegment, quoted } from '../http-text.js'
import { CAR_TYPE, DAG_JSON_TYPE, DAG_PB_CODE, IPFS_CACHE_CONTROL, MAX_PATH_SEGMENTS, RAW_BLOCK_TYPE, UNIXFS_FILE_CSP } from './constants.js'
import { sniffContentType } from './content-type.js'
import { serveUnixfs } from './unixfs.js'

export interface IpfsRoutesComponents {
  blockstore: SqliteBlockstore
  log: Logger
  /** Reveal on mint: the versions of a token hidden until minted are not served before its mint. */
  reveal?: RevealGate
}

type Format = 'raw' | 'car' | 'json'

function fail (reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).header('access-control-allow-origin', '*').header('cache-control', 'no-store').type('application/json').send({ error })
}

type IpfsRequest = FastifyRequest<{ Params: { cid: string, '*'?: string }, Querystring: Record<string, string | string[] | undefined> }>

/** `?format=` wins; otherwise the Accept header, as trustless gateway clients send it. */
function requestedFormat (request: IpfsRequest): Format | { error: string } {
  const format = request.query.format
  if (Array.isArray(format)) return { error: 'Give ?format= once.' }
  if (format !== undefined) return format === 'raw' || format === 'car' ? format : { error: `Unknown format ${quoted(format)}; use raw or car, or leave it out for JSON.` }
  const accept = request.headers.accept ?? ''
  if (accept.includes(RAW_BLOCK_TYPE)) return 'raw'
  if (accept.includes('application/vnd.ipld.car')) return 'car'
  return 'json'
}

/** `/a/b` with each part percent-encoded, so any field name fits a header. */
function encodedPath (segments: string[]): string {
  let path = ''
  for (const segment of segments) path += `/${encodePathSegment(segment)}`
  return path
}

/**
 * `/ipfs/<cid>[/path]`: blocks this node holds, verifiable by their CID. `?format=raw` is the block,
 * `?format=car` the DAG below it as CAR v1, otherwise the (dag-cbor) block as dag-json, following
 * the path through fields and links. A dag-pb CID is UnixFS, and its path names files in
 * directories (unixfs.ts); a raw block is served as the file it is.
 */
export function registerIpfsRoutes (app: FastifyInstance, { blockstore, log, reveal }: IpfsRoutesComponents): void {
  // The same answer as a block not held: a refusal would tell which CIDs are hidden tokens'.
  const hidden = (cid: CID, bytes: Uint8Array | undefined): boolean => reveal?.isHiddenBlock(cid, bytes) === true
  // A CAR walks links: one into a hidden token's versions (a clone's) ends the stream, cut short, as a missing block does.
  const revealed: BlockSource = {
    get: async function * (linked, options) {
      if (hidden(linked, blockstore.getSync(linked))) throw new BlockNotFoundError(linked.toString())
      yield * blockstore.get(linked, options)
    },
  }

  app.get('/ipfs/:cid/*', handler)
  app.get('/ipfs/:cid', handler)

  async function handler (request: IpfsRequest, reply: FastifyReply): Promise<FastifyReply> {
    let cid: CID
    try {
      cid = CID.parse(request.params.cid)
    } catch {
      return fail(reply, 400, `${quoted(request.params.cid)} is not a CID.`)
    }
    const format = requestedFormat(request)
    if (typeof format !== 'string') return fail(reply, 400, format.error)
    if (cid.code === DAG_PB_CODE) return await serveUnixfs(request, reply, { blockstore, log, root: cid, format })
    const segments = (request.params['*'] ?? '').split('/').filter(s => s !== '')
    if (segments.length > MAX_PATH_SEGMENTS) return fail(reply, 400, `Paths are limited to ${MAX_PATH_SEGMENTS} segments.`)
    if (!blockstore.hasSync(cid) || hidden(cid, blockstore.getSync(cid))) return fail(reply, 404, `This node does not hold ${cid.toString()}.`)

    const below = encodedPath(segments)
    reply.header('access-control-allow-origin', '*').header('x-content-type-options', 'nosniff').header('x-ipfs-path', `/ipfs/${encodePathSegment(request.params.cid)}${below}`)
    if (format === 'raw' || format === 'car') {
      if (segments.length > 0) return fail(reply, 400, 'raw and car responses name a block by CID alone; leave out the path.')
      reply.header('cache-control', IPFS_CACHE_CONTROL).header('etag', `"${cid.toString()}.${format}"`)
      if (request.headers['if-none-match'] === `"${cid.toString()}.${format}"`) return reply.code(304).send()
      if (format === 'raw') return reply.type(RAW_BLOCK_TYPE).send(Buffer.from(blockstore.getSync(cid) ?? new Uint8Array()))
      reply.header('content-disposition', contentDisposition(`${cid.toString()}.car`))
      return reply.type(CAR_TYPE).send(Readable.from(exportCar(revealed, [cid])))
    }

    if (cid.code !== dagCbor.code) {
      if (segments.length > 0) return fail(reply, 404, 'That block has no fields to follow a path into.')
      reply.header('cache-control', IPFS_CACHE_CONTROL).header('etag', `"${cid.toString()}"`).header('content-security-policy', UNIXFS_FILE_CSP)
      const bytes = Buffer.from(blockstore.getSync(cid) ?? new Uint8Array())
      return reply.type(sniffContentType(bytes, true)).send(bytes)
    }
    let json: Uint8Array
    try {
      let value: unknown = dagCbor.decode(blockstore.getSync(cid) ?? new Uint8Array())
      for (const segment of segments) {
        const link = CID.asCID(value)
        if (link !== null) {
          const bytes = link.code === dagCbor.code ? blockstore.getSync(link) : undefined
          if (bytes === undefined || hidden(link, bytes)) return fail(reply, 404, `The path leads to ${link.toString()}, which this node does not hold as dag-cbor.`)
          value = dagCbor.decode(bytes)
        }
        if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return fail(reply, 404, `No ${quoted(segment)} at that path.`)
        value = (value as Record<string, unknown>)[segment]
      }
      json = dagJson.encode(value)
    } catch {
      // The bytes match their CID but are not the dag-cbor it claims (say, a block imported as such).
      return fail(reply, 422, `A block on the path ${cid.toString()}${below} is not valid dag-cbor, so it cannot be shown as JSON; ?format=raw returns its bytes.`)
    }
    // Each segment is percent-encoded, so the ETag holds only characters an ETag may.
    reply.header('cache-control', IPFS_CACHE_CONTROL).header('etag', `"${cid.toString()}${below}.json"`)
    return reply.type(segments.length === 0 ? DAG_JSON_TYPE : 'application/json').send(Buffer.from(json))
  }
}
