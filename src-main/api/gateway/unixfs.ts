import { Readable } from 'node:stream'
import type { Logger } from '@libp2p/logger'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { UnixFSEntry } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import type { SqliteBlockstore } from '../../store/index.js'
import { contentDisposition, encodePathSegment, printable, quoted } from '../http-text.js'
import { CAR_TYPE, DAG_PB_CODE, IDENTITY_CODE, IPFS_CACHE_CONTROL, MAX_BUFFERED_FILE_BYTES, MAX_LISTING_ENTRIES, MAX_UNIXFS_READS, RAW_BLOCK_TYPE, UNIXFS_FILE_CSP } from './constants.js'
import { sniffContentType } from './content-type.js'
import { BlockNotHeldError } from './errors.js'
import { carStream } from '../../dag/index.js'
import { pathCarBlocks } from './unixfs-car.js'
import type { DagScope } from './unixfs-car.js'
import { checkShard, exportEntry, resolveUnixfsPath, unixfsSegments } from './unixfs-path.js'
import { createGatewaySource } from './unixfs-source.js'
import type { GatewaySource } from './unixfs-source.js'

export type UnixfsRequest = FastifyRequest<{ Querystring: Record<string, string | string[] | undefined> }>

export interface UnixfsContext {
  blockstore: SqliteBlockstore
  log: Logger
  root: CID
  format: 'raw' | 'car' | 'json'
}

/** What a directory listing says of each entry. */
interface ListedEntry { name: string, cid: string, size: number }

function fail (reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).header('access-control-allow-origin', '*').header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error })
}

/** A query parameter given at most once, or an error naming it. */
function single (query: UnixfsRequest['query'], name: string): string | undefined | { error: string } {
  const value = query[name]
  return Array.isArray(value) ? { error: `Give ?${name}= once.` } : value
}

function dagScope (query: UnixfsRequest['query']): DagScope | { error: string } {
  if (query['entity-bytes'] !== undefined) return { error: 'entity-bytes is not supported here; leave it out for the whole entity.' }
  const scope = single(query, 'dag-scope')
  if (typeof scope === 'object') return scope
  if (scope === undefined) return 'all'
  return scope === 'block' || scope === 'entity' || scope === 'all' ? scope : { error: `Unknown dag-scope ${quoted(scope)}; use block, entity or all.` }
}

/**
 * `/ipfs/<dag-pb CID>[/name…]`: a UnixFS path, resolved one name at a time through plain and
 * HAMT-sharded directories, from blocks this node holds. A file answers its bytes with a media type
 * judged from them, a directory a JSON listing a page at a time (`?after=<name>`); `?format=raw`
 * is the block the path names and `?format=car` the blocks proving the path, then the DAG at its
 * end as `dag-scope` says. Every answer about content is immutable and tagged by CID.
 */
export async function serveUnixfs (request: UnixfsRequest, reply: FastifyReply, { blockstore, log, root, format }: UnixfsContext): Promise<FastifyReply> {
  const segments = unixfsSegments(request.url)
  if (!Array.isArray(segments)) return fail(reply, 400, segments.error)
  const scope = format === 'car' ? dagScope(request.query) : 'all'
  if (typeof scope === 'object') return fail(reply, 400, scope.error)
  const after = format === 'json' ? single(request.query, 'after') : undefined
  if (typeof after === 'object') return fail(reply, 400, after.error)
  if (!blockstore.hasSync(root)) return fail(reply, 404, `This node does not hold ${root.toString()}.`)

  let below = ''
  for (const segment of segments) below += `/${encodePathSegment(segment)}`
  const path = `/ipfs/${root.toString()}${below}`
  reply.header('access-control-allow-origin', '*').header('x-content-type-options', 'nosniff').header('x-ipfs-path', path)
  const source = createGatewaySource(blockstore, MAX_UNIXFS_READS)
  try {
    const { cid, roots } = await resolveUnixfsPath(source, root, segments)
    reply.header('x-ipfs-roots', roots.map(r => r.toString()).join(','))
    if (format === 'raw') return sendBlock(request, reply, blockstore, cid)
    if (format === 'car') {
      const etag = segments.length === 0 && scope === 'all' ? `"${root.toString()}.car"` : `"${root.toString()}${below}.${scope}.car"`
      if (isFresh(request, reply, etag)) return reply.code(304).send()
      if (cid.multihash.code !== IDENTITY_CODE && !blockstore.hasSync(cid)) throw new BlockNotHeldError(cid.toString())
      const pathBlocks = [...source.read.values()]
      // A target that does not decode is a 422 now; a broken block deeper down can only cut the stream.
      if (scope !== 'block' && cid.code === DAG_PB_CODE) await exportEntry(source, cid)
      reply.header('content-disposition', contentDisposition(`${cid.toString()}.car`))
      // The header names the request's root, as Kubo's does: the path is proven from it.
      return reply.type(CAR_TYPE).send(Readable.from(carStream([root], pathCarBlocks(blockstore, pathBlocks, cid, scope))))
    }
    const entry = await exportEntry(source, cid)
    if (entry.type === 'directory') {
      checkShard(entry.unixfs.type, entry.unixfs.fanout, path)
      return await sendListing(request, reply, entry, after)
    }
    if (entry.type === 'file' || entry.type === 'raw' || entry.type === 'identity') {
      if (entry.type === 'file' && entry.unixfs.type === 'symlink') return fail(reply, 422, `${path} is a symbolic link, which this gateway does not follow.`)
      // A file's own blocks are not counted: its size is what the client asked for.
      source.setBudget(Number.POSITIVE_INFINITY)
      return await sendFile(request, reply, entry, cid)
    }
    return fail(reply, 422, `${path} leads to a dag-cbor or JSON block, not a UnixFS file or directory; read it at /ipfs/${cid.toString()}.`)
  } catch (err) {
    return failed(reply, err, source, path, log)
  }
}

function isFresh (request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('cache-control', IPFS_CACHE_CONTROL).header('etag', etag)
  return request.headers['if-none-match'] === etag
}

function sendBlock (request: FastifyRequest, reply: FastifyReply, blockstore: SqliteBlockstore, cid: CID): FastifyReply {
  if (isFresh(request, reply, `"${cid.toString()}.raw"`)) return reply.code(304).send()
  const bytes = cid.multihash.code === IDENTITY_CODE ? cid.multihash.digest : blockstore.getSync(cid)
  if (bytes === undefined) throw new BlockNotHeldError(cid.toString())
  return reply.type(RAW_BLOCK_TYPE).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
}

/** A page of a directory's entries, in the directory's own order (a HAMT's is its hash order). */
async function sendListing (request: FastifyRequest, reply: FastifyReply, entry: Extract<UnixFSEntry, { type: 'directory' }>, after: string | undefined): Promise<FastifyReply> {
  if (isFresh(request, reply, `"${entry.cid.toString()}.dir.json"`)) return reply.code(304).send()
  const entries: ListedEntry[] = []
  let skipping = after !== undefined
  let more = false
  for await (const child of entry.entries()) {
    if (skipping) {
      skipping = child.name !== after
      continue
    }
    if (entries.length === MAX_LISTING_ENTRIES) {
      more = true
      break
    }
    entries.push({ name: child.name, cid: child.cid.toString(), size: Number(child.size) })
  }
  if (skipping) return fail(reply, 404, `The directory has no entry ${quoted(after ?? '')} to list after.`)
  const next = more ? entries.at(-1)?.name : undefined
  return reply.type('application/json; charset=utf-8').send({ cid: entry.cid.toString(), entries, ...(next === undefined ? {} : { next }) })
}

type FileEntry = Extract<UnixFSEntry, { type: 'file' | 'raw' | 'identity' }>

/** Small files are read whole first (a broken one is a 422, a JSON one is recognised); big ones stream. */
async function sendFile (request: FastifyRequest, reply: FastifyReply, entry: FileEntry, cid: CID): Promise<FastifyReply> {
  if (isFresh(request, reply, `"${cid.toString()}"`)) return reply.code(304).send()
  const content = entry.content()[Symbol.asyncIterator]()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const next = await content.next()
    if (next.done === true) {
      const whole = Buffer.concat(chunks, size)
      return reply.header('content-security-policy', UNIXFS_FILE_CSP).type(sniffContentType(whole, true)).send(whole)
    }
    chunks.push(next.value)
    size += next.value.byteLength
    if (size > MAX_BUFFERED_FILE_BYTES) break
  }
  const start = Buffer.concat(chunks, size)
  async function * rest (): AsyncGenerator<Uint8Array> {
    yield start
    for (let next = await content.next(); next.done !== true; next = await content.next()) yield next.value
  }
  return reply.header('content-security-policy', UNIXFS_FILE_CSP).type(sniffContentType(start, false)).send(Readable.from(rest()))
}

/** The exporter's own errors, which a hostile or broken block raises. */
const EXPORTER_ERRORS = new Set(['NotUnixFSError', 'NoResolverError', 'NotFoundError', 'OverReadError', 'UnderReadError', 'InvalidParametersError', 'BadPathError'])

/**
 * A failed UnixFS read, in plain words. A store failure is thrown on (the app answers 503 while the
 * node stops); anything else came from the blocks, which may be hostile: 4xx, never 5xx.
 */
function failed (reply: FastifyReply, err: unknown, source: GatewaySource, path: string, log: Logger): FastifyReply {
  if (source.storeFailure !== undefined) throw source.storeFailure.error
  const { name, message } = err instanceof Error ? err : { name: '', message: String(err) }
  switch (name) {
    case 'BlockNotHeldError':
    case 'UnixfsEntryNotFoundError':
      return fail(reply, 404, message)
    case 'UnixfsReadLimitError':
      return fail(reply, 400, `${path} is too large to read here: ${message} Ask for entries by name, or for the CAR (?format=car).`)
    case 'NotUnixfsError':
      return fail(reply, 422, message)
  }
  // The exporter throws its named errors and, on bytes that do not decode, plain ones.
  log('unixfs read of %s failed: %s %s', printable(path), printable(name), printable(message))
  const detail = EXPORTER_ERRORS.has(name) ? ` (${printable(message).slice(0, 200)})` : ''
  return fail(reply, 422, `A block on the path ${path} is not valid UnixFS${detail}; ?format=raw returns the bytes of the block a path names.`)
}
