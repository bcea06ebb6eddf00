import { exporter, walkPath } from 'ipfs-unixfs-exporter'
import type { UnixFSEntry } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { encodePathSegment, quoted } from '../http-text.js'
import { pathOf } from '../refusals.js'
import { MAX_HAMT_FANOUT, MAX_PATH_SEGMENTS, MAX_UNIXFS_NAME_BYTES } from './constants.js'
import { NotUnixfsError, UnixfsEntryNotFoundError } from './errors.js'
import type { GatewaySource } from './unixfs-source.js'

const encoder = new TextEncoder()
const ORIGIN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/

/**
 * The names after `/ipfs/<cid>/` in a request target, each percent-decoded on its own, so an
 * encoded slash stays inside its name (and is refused: no UnixFS name holds one). Empty
 * segments are skipped, as every gateway does; `.` and `..` are refused rather than resolved.
 */
export function unixfsSegments (url: string): string[] | { error: string } {
  // The router takes absolute-form targets (`GET http://host/ipfs/…`) and drops a fragment: so do we.
  const path = pathOf(url).replace(ORIGIN, '').replace(/#.*$/s, '')
  const parts = path.split('/').slice(3)
  const segments: string[] = []
  for (const part of parts) {
    if (part === '') continue
    let name: string
    try {
      name = decodeURIComponent(part)
    } catch {
      return { error: `${quoted(part)} is not valid percent-encoding of UTF-8 text.` }
    }
    if (name === '.' || name === '..') return { error: 'A path may not hold . or .. segments: name each directory entry.' }
    if (name.includes('/')) return { error: `No UnixFS name holds a slash, so ${quoted(name)} (an encoded %2F) names nothing.` }
    if (encoder.encode(name).byteLength > MAX_UNIXFS_NAME_BYTES) return { error: `The name ${quoted(name)} is longer than the ${MAX_UNIXFS_NAME_BYTES} bytes a UnixFS name may have here.` }
    segments.push(name)
  }
  if (segments.length > MAX_PATH_SEGMENTS) return { error: `Paths are limited to ${MAX_PATH_SEGMENTS} segments.` }
  return segments
}

export interface ResolvedPath {
  /** What the path names. */
  cid: CID
  /** The CID each segment leads to, starting with the root (`X-Ipfs-Roots`). */
  roots: CID[]
}

/** The UnixFS entry `cid` is; a block that is not UnixFS is NotUnixfsError. */
export async function exportEntry (source: GatewaySource, cid: CID): Promise<UnixFSEntry> {
  return await exporter(cid, source, { offline: true })
}

/**
 * Follows `segments` from the directory `root`, one name at a time, through plain and
 * HAMT-sharded directories. Throws UnixfsEntryNotFoundError, BlockNotHeldError, NotUnixfsError,
 * UnixfsReadLimitError, or whatever the exporter throws on a block that does not decode.
 */
export async function resolveUnixfsPath (source: GatewaySource, root: CID, segments: readonly string[]): Promise<ResolvedPath> {
  let cid = root
  const roots = [root]
  let walked = `/ipfs/${root.toString()}`
  for (const segment of segments) {
    const entry = await exportEntry(source, cid)
    if (entry.type !== 'directory') throw new UnixfsEntryNotFoundError(`${walked} is not a directory, so it has no ${quoted(segment)}.`)
    checkShard(entry.unixfs.type, entry.unixfs.fanout, walked)
    let next: CID | undefined
    try {
      // One name per walk, so no name is ever split or joined on a slash.
      for await (const step of walkPath(`${cid.toString()}/${segment}`, source, { offline: true })) next = step.cid
    } catch (err) {
      if ((err as { name?: unknown }).name !== 'NotFoundError') throw err
    }
    if (next === undefined || next.equals(cid)) throw new UnixfsEntryNotFoundError(`${walked} has no ${quoted(segment)}.`)
    cid = next
    roots.push(cid)
    walked += `/${encodePathSegment(segment)}`
  }
  return { cid, roots }
}

/** A HAMT the exporter can read safely: its fanout sizes tables, and 0 or 2^40 exhausts memory. */
export function checkShard (type: string, fanout: bigint | undefined, where: string): void {
  if (type !== 'hamt-sharded-directory') return
  const valid = fanout !== undefined && fanout >= 2n && fanout <= BigInt(MAX_HAMT_FANOUT) && (fanout & (fanout - 1n)) === 0n
  if (!valid) throw new NotUnixfsError(`${where} is a HAMT-sharded directory with a fanout of ${String(fanout)}; a fanout must be a power of two from 2 to ${MAX_HAMT_FANOUT}.`)
}
