import { concat } from 'uint8arrays/concat'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagPb from '@ipld/dag-pb'
import type { AbortOptions } from '@libp2p/interface'
import type { Blockstore } from 'interface-blockstore'
import { createUnsafe } from 'multiformats/block'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { BlockNotFoundError, UndecodableBlockError, UnsupportedCodecError } from './errors.js'
import { sha256Digest } from './hashing.js'
import type { EncodedBlock } from './version-block.js'

/** All the DAG code reads from a blockstore; any interface-blockstore implementation fits. */
export type BlockSource = Pick<Blockstore, 'get'>

/** A block's bytes as one array. Throws BlockNotFoundError when the blockstore lacks it. */
export async function getBlock (blockstore: BlockSource, cid: CID, options?: AbortOptions): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  try {
    for await (const chunk of blockstore.get(cid, options)) chunks.push(chunk)
  } catch (err) {
    if ((err as { name?: unknown }).name === 'NotFoundError') throw new BlockNotFoundError(cid.toString())
    throw err
  }
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : concat(chunks)
}

/**
 * The CIDs a block links to, in the order they appear. dag-cbor blocks are decoded and every
 * link found, wherever it sits; dag-pb blocks (UnixFS files and directories, HAMT shards
 * included) link through their Links list; raw blocks are leaves. Other codecs throw
 * UnsupportedCodecError, because skipping them would silently leave part of a DAG behind.
 */
export function linksOf (cid: CID, bytes: Uint8Array): CID[] {
  if (cid.code === raw.code) return []
  if (cid.code === dagPb.code) {
    let node: dagPb.PBNode
    try {
      node = dagPb.decode(bytes)
    } catch {
      throw new UndecodableBlockError(cid.toString(), 'dag-pb')
    }
    return node.Links.map(link => link.Hash)
  }
  if (cid.code !== dagCbor.code) throw new UnsupportedCodecError(cid.toString(), cid.code)
  try {
    return [...createUnsafe({ bytes, cid, codec: dagCbor }).links()].map(([, link]) => link as CID)
  } catch {
    throw new UndecodableBlockError(cid.toString(), 'dag-cbor')
  }
}

/** Any value as a dag-cbor block addressed by CIDv1 + sha2-256, the form version blocks take. */
export function encodeDagCborBlock (value: unknown): EncodedBlock {
  const bytes = dagCbor.encode(value)
  return { cid: CID.createV1(dagCbor.code, sha256Digest(bytes)), bytes }
}
