import * as dagCbor from '@ipld/dag-cbor'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { linksOf, UnsupportedCodecError } from '../../dag/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import { DAG_PB_CODE, IDENTITY_CODE } from './constants.js'
import { BlockNotHeldError } from './errors.js'
import { exportEntry } from './unixfs-path.js'
import { createGatewaySource } from './unixfs-source.js'

/**
 * The trustless gateway's `dag-scope`: what of the DAG at the end of the path a CAR carries after
 * the blocks that prove the path. `block`: its first block; `entity`: a whole file, or what lists
 * a directory (a HAMT's shards, not its entries); `all`: everything below it.
 */
export type DagScope = 'block' | 'entity' | 'all'

interface Block { cid: CID, bytes: Uint8Array }

/**
 * The blocks of a CAR for a path, each once: first those read to resolve the path (in the order
 * read), then the target's, depth first in link order, as `scope` says. Identity CIDs are skipped:
 * their bytes are in the CID. Throws BlockNotHeldError, NotUnixfsError and the exporter's decoding
 * errors as it meets them.
 */
export async function * pathCarBlocks (blockstore: SqliteBlockstore, pathBlocks: Iterable<CID>, target: CID, scope: DagScope): AsyncGenerator<Block> {
  const seen = new Set<string>()
  const source = createGatewaySource(blockstore)
  const read = (cid: CID): Block => {
    const bytes = blockstore.getSync(cid)
    if (bytes === undefined) throw new BlockNotHeldError(cid.toString())
    return { cid, bytes }
  }
  for (const cid of pathBlocks) {
    seen.add(cid.toString())
    yield read(cid)
  }
  const pending = [target]
  for (let cid = pending.pop(); cid !== undefined; cid = pending.pop()) {
    const key = cid.toString()
    if (seen.has(key) || cid.multihash.code === IDENTITY_CODE) continue
    seen.add(key)
    const block = read(cid)
    yield block
    if (scope !== 'block') pending.push(...(await linksBelow(block, scope, source)).reverse())
  }
}

/** The links a CAR of `scope` follows from a block. */
async function linksBelow ({ cid, bytes }: Block, scope: 'entity' | 'all', source: ReturnType<typeof createGatewaySource>): Promise<CID[]> {
  if (cid.code === raw.code) return []
  if (cid.code === dagCbor.code) return scope === 'all' ? linksOf(cid, bytes) : []
  if (cid.code !== DAG_PB_CODE) throw new UnsupportedCodecError(cid.toString(), cid.code)
  const entry = await exportEntry(source, cid)
  if (entry.type !== 'directory' && entry.type !== 'file') return []
  const links = entry.node.Links
  if (entry.type === 'file' || scope === 'all') return links.map(link => link.Hash)
  if (entry.unixfs.type !== 'hamt-sharded-directory') return []
  // A HAMT's sub-shards are the links named by their slot alone (two hex digits at fanout 256).
  const slotLength = ((entry.unixfs.fanout ?? 0n) - 1n).toString(16).length
  return links.filter(link => link.Name?.length === slotLength).map(link => link.Hash)
}

