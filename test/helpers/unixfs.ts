import type { Blockstore } from 'interface-blockstore'
import { importer } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'

/** dag-pb's multicodec. */
export const DAG_PB = 0x70

export interface UnixfsFile {
  path: string
  content: Uint8Array
}

/**
 * A UnixFS directory of `files` made by ipfs-unixfs-importer the way Kubo makes one today (CIDv1,
 * raw leaves), HAMT-sharded once its links pass `shardSplitThresholdBytes` (Kubo: 256 KiB).
 */
export async function importDirectory (blockstore: Pick<Blockstore, 'put'>, files: UnixfsFile[], shardSplitThresholdBytes = 256 * 1024): Promise<CID> {
  let root: CID | undefined
  for await (const entry of importer(files, blockstore, { wrapWithDirectory: true, cidVersion: 1, rawLeaves: true, shardSplitThresholdBytes })) {
    if (entry.path === '') root = entry.cid
  }
  if (root === undefined) throw new Error('the importer made no root directory')
  return root
}

/** An exporter block source over blocks in memory: what a client that trusts no gateway holds. */
export function memorySource (blocks: Iterable<{ cid: CID, bytes: Uint8Array }>): { get (cid: CID): AsyncGenerator<Uint8Array> } {
  const map = new Map<string, Uint8Array>()
  for (const { cid, bytes } of blocks) map.set(Buffer.from(cid.multihash.bytes).toString('hex'), bytes)
  return {
    async * get (cid) {
      const bytes = map.get(Buffer.from(cid.multihash.bytes).toString('hex'))
      if (bytes === undefined) throw Object.assign(new Error(`not in memory: ${cid.toString()}`), { name: 'NotFoundError' })
      yield bytes
    },
  }
}

// Hostile blocks, written out byte by byte: the importer never makes them. Protobuf wire format:
// a key is (field << 3 | wire type), 0 a varint, 2 bytes with their length first.
function varint (value: number | bigint): number[] {
  let rest = BigInt(value)
  const out: number[] = []
  do {
    const low = Number(rest & 0x7fn)
    rest >>= 7n
    out.push(rest > 0n ? low | 0x80 : low)
  } while (rest > 0n)
  return out
}
const bytesField = (field: number, bytes: Uint8Array | number[]): number[] => [(field << 3) | 2, ...varint(bytes.length), ...bytes]
const varintField = (field: number, value: number | bigint): number[] => [field << 3, ...varint(value)]

/** UnixFS `Data`: type 1 directory, 2 file, 5 HAMT shard; hashType 0x22 is murmur3-x64-64. */
export function unixfsData ({ type, fanout, hashType = 0x22, data, fileSize, blockSizes = [] }: { type: number, fanout?: number | bigint, hashType?: number, data?: Uint8Array, fileSize?: number, blockSizes?: number[] }): Uint8Array {
  return new Uint8Array([
    ...varintField(1, type),
    ...(data === undefined ? [] : bytesField(2, data)),
    ...(fileSize === undefined ? [] : varintField(3, fileSize)),
    ...blockSizes.flatMap(size => varintField(4, size)),
    ...(type === 5 ? varintField(5, hashType) : []),
    ...(fanout === undefined ? [] : varintField(6, fanout)),
  ])
}

/** A dag-pb node (links first, as the codec's canonical form has them). */
export function pbNode (links: Array<{ name: string, cid: CID, size?: number }>, data: Uint8Array): Uint8Array {
  const encoder = new TextEncoder()
  const out: number[] = []
  for (const link of links) {
    const body = [...bytesField(1, link.cid.bytes), ...bytesField(2, encoder.encode(link.name)), ...varintField(3, link.size ?? 0)]
    out.push(...bytesField(2, body))
  }
  out.push(...bytesField(1, data))
  return new Uint8Array(out)
}

/** Stores `bytes` under the CIDv1 of `codec` they hash to, whatever they are. */
export async function putUnder (blockstore: Pick<Blockstore, 'put'>, codec: number, bytes: Uint8Array): Promise<CID> {
  const cid = CID.createV1(codec, await sha256.digest(bytes))
  await blockstore.put(cid, bytes)
  return cid
}
