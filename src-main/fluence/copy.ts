import { Buffer } from 'node:buffer'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CarBufferReader } from '@ipld/car/buffer-reader'
import { verifyBlock } from '../dag/index.js'
import { BoundedMap } from '../util/index.js'
import type { CallParams, ChunkAnswer, CopyServiceImpl, CopySessionAnswer, LineageAqua } from './aqua-types.js'
import { COPY_CALL_TTL_MS, COPY_CHUNK_BYTES, COPY_OPEN_WINDOW_MS, COPY_SESSION_IDLE_MS, MAX_COPY_CAR_BYTES, MAX_COPY_OPENS_PER_PEER, MAX_COPY_SESSIONS } from './constants.js'
import { CopySessionError, CopyVerificationError } from './errors.js'
import { peerError } from './peer-errors.js'

/**
 * Writes a collection's CAR (blocks and signed transactions) to a new file for `peer` (the peer
 * id that signed the request; what it may hold depends on who it is: reveal on mint); returns its roots.
 */
export type ExportCollection = (request: { path: string, chain_id: string, token_address: string, peer: string }) => Promise<{ roots: string[] }>

interface Session { bytes: Uint8Array, roots: string[], lastRead: number }

const refused = (error: string): CopySessionAnswer => ({ session: '', roots: [], bytes: 0, chunks: 0, error: `CopySessionError: ${error}` })

/**
 * The serving side of a collection copy: a peer opens a session (the node exports the
 * collection's CAR once, into memory) and reads it in chunks. Sessions are few, bounded in size,
 * and dropped when idle. Reading a CAR reveals nothing the gateway does not already serve (a
 * hidden collection's unminted tokens are left out, unless the peer is one of the owner's own nodes), but
 * exporting one costs CPU and disk, so one export runs at a time and each peer may start only
 * a few a minute.
 */
export class CopySessions implements CopyServiceImpl {
  private readonly sessions = new BoundedMap<string, Session>(MAX_COPY_SESSIONS)
  /** Init peer id → when its recent opens were asked (within COPY_OPEN_WINDOW_MS). */
  private readonly opens = new Map<string, number[]>()
  private exporting = false

  constructor (private readonly exportCollection: ExportCollection) {}

  async open (req: { chain_id: string, token_address: string }, callParams?: Pick<CallParams, 'initPeerId'>): Promise<CopySessionAnswer> {
    const now = Date.now()
    this.sweep(now)
    const peer = callParams?.initPeerId ?? ''
    const recent = this.opens.get(peer) ?? []
    if (recent.length >= MAX_COPY_OPENS_PER_PEER) {
      const wait = Math.ceil(((recent[0] ?? now) + COPY_OPEN_WINDOW_MS - now) / 1000)
      return refused(`peer ${peer} asked for ${recent.length} copies in the last ${COPY_OPEN_WINDOW_MS / 1000} s; try again in ${wait} s`)
    }
    if (this.exporting) return refused('this node is preparing another copy; try again in a few seconds')
    recent.push(now)
    this.opens.set(peer, recent)
    this.exporting = true
    try {
      return await this.export(req, peer)
    } finally {
      this.exporting = false
    }
  }

  private async export (req: { chain_id: string, token_address: string }, peer: string): Promise<CopySessionAnswer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-copy-'))
    try {
      const file = path.join(dir, 'collection.car')
      const { roots } = await this.exportCollection({ path: file, chain_id: req.chain_id, token_address: req.token_address, peer })
      const size = fs.statSync(file).size
      if (size > MAX_COPY_CAR_BYTES) return { session: '', roots: [], bytes: 0, chunks: 0, error: `CopySessionError: the collection's CAR is ${size} bytes, over the ${MAX_COPY_CAR_BYTES}-byte limit` }
      const bytes = new Uint8Array(fs.readFileSync(file))
      const session = randomUUID()
      this.sessions.set(session, { bytes, roots, lastRead: Date.now() })
      return { session, roots, bytes: bytes.length, chunks: Math.ceil(bytes.length / COPY_CHUNK_BYTES), error: '' }
    } catch (err) {
      // The temporary folder is this machine's business, not the peer's.
      return { session: '', roots: [], bytes: 0, chunks: 0, error: peerError(err, [dir, fs.realpathSync.native(os.tmpdir()), os.tmpdir()]) }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }

  chunk (req: { session: string, index: number }): ChunkAnswer {
    this.sweep()
    const s = this.sessions.get(req.session)
    if (s === undefined) return { index: req.index, data: '', error: 'CopySessionError: no such session (expired, or never opened)' }
    const start = req.index * COPY_CHUNK_BYTES
    if (!Number.isInteger(req.index) || req.index < 0 || start >= s.bytes.length) return { index: req.index, data: '', error: `CopySessionError: no chunk ${req.index}` }
    s.lastRead = Date.now()
    const end = Math.min(start + COPY_CHUNK_BYTES, s.bytes.length)
    // The last chunk ends the session.
    if (end === s.bytes.length) this.sessions.delete(req.session)
    return { index: req.index, data: Buffer.from(s.bytes.subarray(start, end)).toString('base64'), error: '' }
  }

  get size (): number { return this.sessions.size }

  clear (): void {
    this.sessions.clear()
    this.opens.clear()
  }

  private sweep (now = Date.now()): void {
    for (const [id, s] of this.sessions) if (now - s.lastRead > COPY_SESSION_IDLE_MS) this.sessions.delete(id)
    for (const [peer, times] of this.opens) {
      while (times.length > 0 && now - (times[0] ?? now) >= COPY_OPEN_WINDOW_MS) times.shift()
      if (times.length === 0) this.opens.delete(peer)
    }
  }
}

export interface CopyProgress { chunks: number, of: number, bytes: number }

export interface FetchedCollection {
  /** The CAR as the peer sent it. */
  car: Uint8Array
  roots: string[]
  /** Blocks in it, each checked against its CID. */
  blocks: number
}

/**
 * The copying side: asks `peer` for a collection's CAR, chunk by chunk, and checks that its roots
 * are the ones announced and that every block hashes to its CID. Throws CopyVerificationError
 * (nothing is kept) or RemoteCallError.
 */
export async function fetchCollection (aqua: LineageAqua, fluencePeer: unknown, peer: string, collection: { chain_id: string, token_address: string }, options: { signal?: AbortSignal, onProgress?(p: CopyProgress): void } = {}): Promise<FetchedCollection> {
  const config = { ttl: COPY_CALL_TTL_MS }
  const opened = await aqua.copy_open(fluencePeer, { peer, ...collection }, config)
  if (opened.error !== '') throw new CopySessionError(`the peer could not prepare the collection: ${opened.error}`)
  if (opened.bytes > MAX_COPY_CAR_BYTES) throw new CopySessionError(`the collection's CAR is ${opened.bytes} bytes, over the ${MAX_COPY_CAR_BYTES}-byte limit`)
  const car = new Uint8Array(opened.bytes)
  let offset = 0
  for (let index = 0; index < opened.chunks; index++) {
    options.signal?.throwIfAborted()
    const chunk = await aqua.copy_chunk(fluencePeer, { peer, session: opened.session, index }, config)
    if (chunk.error !== '') throw new CopySessionError(`chunk ${index}: ${chunk.error}`)
    const bytes = Buffer.from(chunk.data, 'base64')
    if (offset + bytes.length > car.length) throw new CopyVerificationError(`chunk ${index} runs past the announced ${opened.bytes} bytes`)
    car.set(bytes, offset)
    offset += bytes.length
    options.onProgress?.({ chunks: index + 1, of: opened.chunks, bytes: offset })
  }
  if (offset !== car.length) throw new CopyVerificationError(`received ${offset} of the announced ${opened.bytes} bytes`)
  return { car, roots: opened.roots, blocks: verifyCar(car, opened.roots) }
}

/** Checks a CAR's roots against the expected ones and every block against its CID; returns the block count. */
export function verifyCar (car: Uint8Array, expectedRoots: readonly string[]): number {
  let reader
  try {
    reader = CarBufferReader.fromBytes(car)
  } catch (err) {
    throw new CopyVerificationError(`not a CAR file: ${(err as Error).message}`)
  }
  const roots = reader.getRoots().map(r => r.toString())
  if (roots.length !== expectedRoots.length || roots.some((r, i) => r !== expectedRoots[i])) throw new CopyVerificationError(`the CAR's roots ${roots.join(',')} are not the announced ${expectedRoots.join(',')}`)
  let blocks = 0
  for (const { cid, bytes } of reader.blocks()) {
    if (!verifyBlock(cid, bytes)) throw new CopyVerificationError(`block ${cid.toString()} does not match its CID`)
    blocks++
  }
  return blocks
}
