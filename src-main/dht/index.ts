/**
 * Findable on the IPFS network: with the host's Kademlia DHT on (p2p/dht.ts), the node announces
 * the CIDs a stranger would ask for (provider.ts, policy in candidates.ts: IPNS values, pinned
 * roots such as snapshots, collections' slot heads; never every block) and keeps announcing them,
 * and it keeps an IPNS name per collection (ipns.ts) pointing at its latest snapshot, signed with
 * a key sealed in the credentials file and republished before it expires.
 *
 * @example
 * ```ts
 * const provider = createDhtProvider({ announcer: kadAnnouncer(dht), candidates: (limit, batch) => provideCandidates(db, () => names.values(), limit, batch), log })
 * provider.start()
 * provider.provide(snapshotRoot)        // soon, then every DHT_REPROVIDE_INTERVAL_MS while pinned
 * const names = createIpnsNames({ dataDir, vault, hasBlock, tokenKey, putRecord, onValue: cid => provider.provide(cid), log })
 * await names.publish({ chain_id: '1', token_address: '0x…', cid: snapshotRoot }) // { name: 'k51…', value: '/ipfs/…', sequence: 0, … }
 * ```
 */
export { createDhtProvider } from './provider.js'
export type { ContentAnnouncer, Provider, ProviderComponents, ProviderInit, ProviderStats, ReprovideProgress } from './provider.js'
export { provideCandidates } from './candidates.js'
export { createIpnsNames, ipnsNameOf } from './ipns.js'
export type { IpnsNameInfo, IpnsNames, IpnsNamesComponents } from './ipns.js'
export { kadAnnouncer, kadPut } from './kad.js'
export * from './constants.js'
export * from './errors.js'
