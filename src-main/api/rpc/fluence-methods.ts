import type { Fluence } from '../../fluence/index.js'
import { FluenceNotStartedError } from '../../fluence/index.js'
import { canonicalSlotKey } from '../../lineage/signing/index.js'
import type { PeerSlotHistoryInfo, PeerVersionInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface FluenceMethodsComponents {
  /** The embedded Fluence peer; undefined when offline. */
  fluence(): Fluence | undefined
}

/** A peer id (12D3KooW…) or a multiaddr ending in /p2p/<peer id>. */
const peer = { name: 'peer', schema: { type: 'string', minLength: 1, maxLength: 1024 } }
const text = (name: string, maxLength = 256): { name: string, schema: object } => ({ name, schema: { type: 'string', maxLength } })
const page = { name: 'options', optional: true, schema: { type: 'object', properties: { cursor: { type: 'string', maxLength: 256 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } }, additionalProperties: false } }

const parse = (json: string): unknown => json === '' ? null : JSON.parse(json) as unknown
const version = (v: { content: string } & Omit<PeerVersionInfo, 'content'>): PeerVersionInfo => ({ ...v, content: parse(v.content) })
const slot = (s: Omit<PeerSlotHistoryInfo, 'versions'> & { versions: Array<{ content: string } & Omit<PeerVersionInfo, 'content'>> }): PeerSlotHistoryInfo => ({ ...s, versions: s.versions.map(version) })

/** Calls to other peers through their Aqua API (aqua/lineage.aqua), over the embedded Fluence peer. */
export function fluenceMethods (components: FluenceMethodsComponents): RpcMethod[] {
  const fluence = (): Fluence => {
    const f = components.fluence()
    if (f === undefined || !f.isStarted()) throw new FluenceNotStartedError()
    return f
  }
  return [
    defineMethod({
      name: 'fluence_connect',
      description: 'Dials a peer by multiaddr (ending in /p2p/<peer id>) and returns its peer id.',
      params: [{ name: 'address', schema: { type: 'string', minLength: 1, maxLength: 1024 } }],
      requiresToken: true,
      handler: async ({ address }) => ({ peer_id: await fluence().connect(address as string) }),
    }),
    defineMethod({
      name: 'peer_node_info',
      requiresToken: true,
      description: 'Asks a peer (Aqua node_info) who it is.',
      params: [peer],
      handler: async p => (await fluence().call(p.peer as string, async (aqua, id) => await aqua.node_info(fluence().peer, id))).result,
    }),
    defineMethod({
      name: 'peer_get_metadata',
      requiresToken: true,
      description: 'A token\'s tokenURI document as a peer serves it (Aqua get_metadata).',
      params: [peer, text('chain_id'), text('token_address'), text('token_id')],
      handler: async p => {
        const { peerId, result } = await fluence().call(p.peer as string, async (aqua, id) => await aqua.get_metadata(fluence().peer, { peer: id, chain_id: p.chain_id as string, token_address: p.token_address as string, token_id: p.token_id as string, limit: 0 }))
        return { peer_id: peerId, found: result.found, token_key: result.token_key, data_key: result.data_key, metadata: parse(result.json), error: result.error }
      },
    }),
    defineMethod({
      name: 'peer_get_slot',
      requiresToken: true,
      description: 'One slot of a peer\'s token with its versions, newest first (Aqua get_slot).',
      params: [peer, { name: 'slot', schema: { type: 'object', required: ['chain_id', 'token_address', 'token_id', 'meta_contract_id', 'public_key', 'alias', 'version'], properties: Object.fromEntries(['chain_id', 'token_address', 'token_id', 'meta_contract_id', 'public_key', 'alias', 'version'].map(k => [k, { type: 'string', maxLength: 256 }])), additionalProperties: false } }, page],
      handler: async p => {
        // The key in the form every node stores it, so a peer that compares it as text finds the slot too.
        const s = canonicalSlotKey(p.slot as Record<'chain_id' | 'token_address' | 'token_id' | 'meta_contract_id' | 'public_key' | 'alias' | 'version', string>)
        const o = (p.options ?? {}) as { cursor?: string, limit?: number }
        const { result } = await fluence().call(p.peer as string, async (aqua, id) => await aqua.get_slot(fluence().peer, { peer: id, ...s, cursor: o.cursor ?? '', limit: o.limit ?? 0 }))
        return slot(result)
      },
    }),
    defineMethod({
      name: 'peer_get_history',
      requiresToken: true,
      description: 'Every slot of a peer\'s token with its recent versions (Aqua get_history).',
      params: [peer, text('chain_id'), text('token_address'), text('token_id'), { name: 'limit', optional: true, schema: { type: 'integer', minimum: 1, maximum: 1000 } }],
      handler: async p => {
        const { peerId, result } = await fluence().call(p.peer as string, async (aqua, id) => await aqua.get_history(fluence().peer, { peer: id, chain_id: p.chain_id as string, token_address: p.token_address as string, token_id: p.token_id as string, limit: (p.limit as number | undefined) ?? 0 }))
        return { peer_id: peerId, found: result.found, data_key: result.data_key, slots: result.slots.map(slot) }
      },
    }),
    defineMethod({
      name: 'peer_list_collection',
      requiresToken: true,
      description: 'A page of a peer\'s collection (Aqua list_collection).',
      params: [peer, text('chain_id'), text('token_address'), page],
      handler: async p => {
        const o = (p.options ?? {}) as { cursor?: string, limit?: number }
        const { peerId, result } = await fluence().call(p.peer as string, async (aqua, id) => await aqua.list_collection(fluence().peer, { peer: id, chain_id: p.chain_id as string, token_address: p.token_address as string, cursor: o.cursor ?? '', limit: o.limit ?? 0 }))
        return { peer_id: peerId, ...result }
      },
    }),
    defineMethod({
      name: 'peer_copy_collection',
      description: 'Copies a collection from a peer: its CAR (blocks and signed transactions) in chunks, every block checked against its CID, then imported and replayed here.',
      params: [peer, text('chain_id'), text('token_address')],
      requiresToken: true,
      handler: async p => {
        const r = await fluence().copyCollection(p.peer as string, { chain_id: p.chain_id as string, token_address: p.token_address as string })
        const t = r.import.car?.transactions
        const heads = r.import.car?.heads
        return {
          peer_id: r.peer_id,
          roots: r.roots,
          blocks: r.blocks,
          bytes: r.bytes,
          transactions: { total: t?.total ?? 0, applied: t?.applied ?? 0, rejected: t?.rejected ?? 0, known: t?.known ?? 0 },
          // The peer's slot heads for the collection, and how many are this node's heads now.
          heads: { listed: heads?.listed ?? 0, current: heads?.current ?? 0 },
        }
      },
    }),
  ] as RpcMethod[]
}
