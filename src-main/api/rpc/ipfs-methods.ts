import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import type { CID } from 'multiformats/cid'
import type { BlockReader } from '../../ipfs/index.js'
import { MAX_CID_TEXT_LENGTH, toCid } from '../../lineage/pins/index.js'
import { InvalidParamsError } from '../errors.js'
import { publicText } from '../public-text.js'
import type { IpfsGetResultInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface IpfsMethodsComponents {
  /** Blocks this node holds, or one fetched from its peers, bounded (ipfs createBlockReader). */
  blocks: BlockReader
}

/**
 * A block as dag-json text: dag-cbor and dag-json blocks as their data model (links as
 * {"/": cid}), any other codec (raw, dag-pb…) as its bytes ({"/": {"bytes": base64}}).
 */
function asDagJson (cid: CID, bytes: Uint8Array): string {
  const value: unknown = cid.code === dagCbor.code ? dagCbor.decode(bytes) : cid.code === dagJson.code ? dagJson.decode(bytes) : bytes
  return new TextDecoder().decode(dagJson.encode(value))
}

/** The original's `ipfs_get`, over what this node holds or can fetch by bitswap; no HTTP, no paths. */
export function ipfsMethods ({ blocks }: IpfsMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'ipfs_get',
      description: 'A block as dag-json text, { success, error, content }: held by this node, or fetched from its connected peers (bitswap, one block, verified, 20 s at most).',
      params: [{ name: 'cid', schema: { type: 'string', minLength: 1, maxLength: MAX_CID_TEXT_LENGTH } }],
      handler: async (p): Promise<IpfsGetResultInfo> => {
        let cid: CID
        try {
          cid = toCid(p.cid as string)
        } catch (err) {
          throw new InvalidParamsError((err as Error).message, 'cid')
        }
        const bytes = await blocks.read(cid)
        try {
          return { success: true, error: '', content: asDagJson(cid, bytes) }
        } catch (err) {
          // The bytes hash to the CID but are not what its codec says: a fact about the block, not a failed call.
          return { success: false, error: `Block ${cid.toString()} does not decode as its codec says: ${publicText((err as Error).message)}`, content: '' }
        }
      },
    }),
  ] as RpcMethod[]
}
