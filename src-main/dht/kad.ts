import { MessageType } from '@libp2p/kad-dht'
import type { KadDHT, QueryEvent } from '@libp2p/kad-dht'
import type { CID } from 'multiformats/cid'
import type { ContentAnnouncer } from './provider.js'

/** How many peers answered a query's messages of `type` (the peers that took a provider record or a value). */
async function countResponses (events: AsyncIterable<QueryEvent>, type: MessageType): Promise<number> {
  const peers = new Set<string>()
  for await (const event of events) {
    if (event.name === 'PEER_RESPONSE' && event.messageType === type) peers.add(event.from.toString())
  }
  return peers.size
}

/** The provider's view of kad-dht: announce, forget. */
export function kadAnnouncer (dht: KadDHT & { routingTable?: { size: number } }): ContentAnnouncer {
  return {
    provide: async (cid: CID, options: { signal: AbortSignal }) => await countResponses(dht.provide(cid, options), MessageType.ADD_PROVIDER),
    cancelReprovide: async (cid: CID) => { await dht.cancelReprovide(cid) },
    ready: () => (dht.routingTable?.size ?? 1) > 0,
  }
}

/** Puts a record (an IPNS record under /ipns/<key>) on the DHT; resolves to how many peers stored it. */
export async function kadPut (dht: KadDHT, key: Uint8Array, value: Uint8Array, options: { signal: AbortSignal }): Promise<number> {
  return await countResponses(dht.put(key, value, options), MessageType.PUT_VALUE)
}
