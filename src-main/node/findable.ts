import type { ComponentLogger } from '@libp2p/logger'
import type { Database } from 'better-sqlite3'
import type { DhtInfo } from '../api/index.js'
import { createDhtProvider, createIpnsNames, kadAnnouncer, kadPut, provideCandidates } from '../dht/index.js'
import type { IpnsNameInfo, IpnsNames, Provider } from '../dht/index.js'
import type { Lineage, Outcome } from '../lineage/engine/index.js'
import type { P2pHost } from '../p2p/index.js'
import type { SecretVault } from '../secrets/index.js'
import type { SqliteBlockstore } from '../store/index.js'

export interface FindableComponents {
  /** The host; its `dht` service exists when the node's DHT is on. */
  p2p: P2pHost | undefined
  network: 'public' | 'local'
  db: Database
  blockstore: SqliteBlockstore
  lineage: Lineage
  vault: SecretVault
  dataDir: string
  logger: ComponentLogger
}

/** The node's part in the IPFS network: its DHT provider (with the DHT on) and its IPNS names (always: the gateway serves them). */
export interface Findable {
  /** Undefined with the DHT off or offline. */
  provider: Provider | undefined
  ipns: IpnsNames
  start(): void
  stop(): Promise<void>
  info(): DhtInfo | null
  /**
   * A snapshot of a collection was made (and pinned): its root is announced now, and the
   * collection's IPNS name, when it has one, moves to it. Resolves to the name as it now is, or
   * null when the collection has none. Never throws for the DHT: a failed put is retried by the
   * republish.
   */
  snapshotCreated(snapshot: { chain_id: string, token_address: string, root_cid: string }): Promise<IpnsNameInfo | null>
  /** The IPNS name whose value is this CID, if the node keeps one. */
  nameOf(cid: string): string | undefined
}

/**
 * Wires dht/ to the node: candidates from its database and IPNS values, new slot heads provided
 * as the engine applies them, IPNS records put on the host's DHT.
 */
export function createFindable (components: FindableComponents): Findable {
  const { p2p, db, blockstore, lineage } = components
  const dht = p2p?.libp2p.services.dht
  let provider: Provider | undefined
  const ipns = createIpnsNames({
    dataDir: components.dataDir,
    vault: components.vault,
    hasBlock: cid => blockstore.hasSync(cid),
    tokenKey: (chainId, tokenAddress) => lineage.tokenKey(chainId, tokenAddress),
    ...(dht === undefined ? {} : { putRecord: async (key: Uint8Array, record: Uint8Array, options: { signal: AbortSignal }) => await kadPut(dht, key, record, options) }),
    onValue: cid => { provider?.provide(cid) },
    log: components.logger.forComponent('lineage:ipns'),
  })
  if (dht !== undefined) {
    provider = createDhtProvider({
      announcer: kadAnnouncer(dht),
      candidates: (limit, batch) => provideCandidates(db, () => ipns.values(), limit, batch),
      log: components.logger.forComponent('lineage:dht'),
    })
  }
  // A new version of a token is findable at once, not only at the next reprovide.
  const onApplied = ({ heads, unchanged }: Outcome): void => { if (!unchanged) provider?.announce(heads) }
  return {
    provider,
    ipns,
    start () {
      provider?.start()
      ipns.start()
      lineage.on('applied', onApplied)
    },
    async stop () {
      lineage.off('applied', onApplied)
      await ipns.stop()
      await provider?.stop()
    },
    async snapshotCreated ({ chain_id, token_address, root_cid }) {
      provider?.provide(root_cid)
      const tokenKey = lineage.tokenKey(chain_id, token_address)
      if (!ipns.list().some(n => n.token_key === tokenKey)) return null
      return await ipns.publish({ chain_id, token_address, cid: root_cid })
    },
    nameOf (cid) {
      return ipns.list().find(n => n.value === `/ipfs/${cid}`)?.name
    },
    info () {
      if (provider === undefined || dht === undefined || p2p?.isStarted() !== true) return null
      return { enabled: true, network: components.network, mode: dht.getMode(), peers: dht.routingTable?.size ?? 0, ...provider.stats(), ipns_names: ipns.list().length }
    },
  }
}
