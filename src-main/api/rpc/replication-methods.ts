import type { Replication } from '../../replication/index.js'
import type { FollowInfo, ReplicationStatusInfo } from '../rpc-types.js'
import { publicReasons } from '../public-text.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface ReplicationMethodsComponents {
  replication: Replication
  /** Discovery settings the node started with, shown by replication_status. */
  discovery(): { mdns: boolean, bootstrap: string[] }
}

const text = (name: string, max: number, optional = false): { name: string, schema: { type: 'string', minLength: number, maxLength: number }, optional: boolean } =>
  ({ name, schema: { type: 'string', minLength: 1, maxLength: max }, optional })

function followInfo (f: ReturnType<Replication['follows']>[number]): FollowInfo {
  return { token_key: f.token_key, chain_id: f.chain_id, token_address: f.token_address, auto: f.auto === 1, added_at: f.added_at, synced_at: f.synced_at, transactions: f.transactions }
}

/** Peers, followed collections and syncs (src-main/replication). */
export function replicationMethods ({ replication, discovery }: ReplicationMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'peer_connect',
      requiresToken: true,
      description: 'Connects to a peer by multiaddr (ending in /p2p/<peer id>) and remembers it, so it is dialled again at every start.',
      params: [text('address', 1024)],
      handler: async p => ({ peer_id: await replication.connect(p.address as string) }),
    }),
    defineMethod({
      name: 'peer_disconnect',
      requiresToken: true,
      description: 'Hangs up on a peer and forgets it.',
      params: [text('peer_id', 128)],
      handler: async p => {
        await replication.disconnect(p.peer_id as string)
        return { peer_id: p.peer_id as string }
      },
    }),
    defineMethod({
      name: 'follow_add',
      requiresToken: true,
      description: 'Follows a collection: its new transactions are heard by gossip, and it is synced from every connected Lineage peer.',
      params: [text('chain_id', 128), text('token_address', 256)],
      handler: p => followInfo(replication.follow(p.chain_id as string, p.token_address as string)),
    }),
    defineMethod({
      name: 'follow_rm',
      requiresToken: true,
      description: 'Stops following a collection; what this node holds of it stays.',
      params: [text('token_key', 256)],
      handler: p => {
        replication.unfollow(p.token_key as string)
        return { token_key: p.token_key as string }
      },
    }),
    defineMethod({
      name: 'follow_ls',
      requiresToken: true,
      description: 'The collections this node follows, with how many of their transactions it holds.',
      params: [],
      handler: () => replication.follows().map(followInfo),
    }),
    defineMethod({
      name: 'sync_now',
      requiresToken: true,
      description: 'Syncs followed collections (or one) with connected Lineage peers (or one) now, and says what each sync fetched or why it failed. Progress goes out as lineage:sync:progress events.',
      params: [{ name: 'options', optional: true, schema: { type: 'object', additionalProperties: false, properties: { token_key: { type: 'string', minLength: 1, maxLength: 256 }, peer_id: { type: 'string', minLength: 1, maxLength: 128 } } } }],
      // A failed sync's reason is an error's message: made public as a call's error would be.
      handler: async p => publicReasons(await replication.syncNow((p.options ?? {}) as { token_key?: string, peer_id?: string }), []),
    }),
    defineMethod({
      name: 'sync_cancel',
      requiresToken: true,
      description: 'Cancels running syncs (all, or those of one collection); what they stored stays, and the next sync fetches only the rest.',
      params: [text('token_key', 256, true)],
      handler: p => ({ cancelled: replication.cancelSync(p.token_key as string | undefined) }),
    }),
    defineMethod({
      name: 'replication_status',
      requiresToken: true,
      description: 'Syncs running, peers cut off for misbehaving, remembered peers, and discovery settings.',
      params: [],
      handler: (): ReplicationStatusInfo => ({ ...replication.status(), ...discovery() }),
    }),
  ] as RpcMethod[]
}
