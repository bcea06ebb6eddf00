/**
 * The typed contract between the API and its clients (the Svelte UI over IPC or WebSocket,
 * tests, scripts). Types only, no runtime imports, so the renderer can import it too.
 */
import type { ChainRevealInfoWire, ChainRevealTokenWire } from './rpc-types/reveal.js'
import type { ChainTokenFlagsWire, ChainTxWire, ChainWriteEstimateWire, ChainWriteFunctionsWire, ChainWriteRequest, MetadataUpdateWire } from './rpc-types/chain-write.js'
import type { ChainEndpointInfoWire, ChainEndpointOptions, ChainTokenInfoWire, ChainWatchOptions, ChainWatchStatusWire, CronInfoWire, CronTxInfoWire } from './rpc-types/chain.js'
import type { DhtInfo, IpnsNameInfoWire } from './rpc-types/dht.js'
import type { BindingInfo, ExportResultInfo, GcResultInfo, JsonRpcErrorObject, PinInfo, PinRecordInfo, ReceiptInfo, SignedTransactionRequest, SlotInfo, SlotVersionInfo, TransactionInfo } from './rpc-types/records.js'
import type { ReachabilityInfo } from './rpc-types/reachability.js'
import type { FluenceInfo, PeerCollectionInfo, PeerCopyInfo, PeerMetadataInfo, PeerNodeInfo, PeerSlotHistoryInfo, PeerTokenHistoryInfo } from './rpc-types/fluence.js'
import type { ExportStatusInfo, ImportFolderOptions, ImportStatusInfo, JobSummaryInfo } from './rpc-types/jobs.js'
import type { TokenUriCheckInfo } from './rpc-types/go-live.js'
import type { KeyBackupWire, KeyInfoWire, KeyTypeName, LogLineInfo, MetadataCandidateInfo, MetadataVerdictInfo, SignAndPublishResultInfo, UnsignedRequestInput } from './rpc-types/keys.js'
import type { CompleteTransactionsPageParam, ForkDataInfo, IpfsGetResultInfo, SlotPageParam } from './rpc-types/original.js'
import type { RegistryEntryInfo, RegistrySetResultInfo, RegistryWriteRequest } from './rpc-types/registry.js'
import type { FollowInfo, ReplicationStatusInfo, SyncResultInfo } from './rpc-types/replication.js'
import type { RemotePinFilterInput, RemotePinInfoWire, RemotePinServiceInfoWire } from './rpc-types/remote-pins.js'
import type { SnapshotCarInfo, SnapshotCreateOptions, SnapshotInfo, SnapshotStatusInfo } from './rpc-types/snapshots.js'
import type { BrowsePageInfo, BrowseQueryParam, CollectionProfileInfo, ImageGatewayInfo } from './rpc-types/browse.js'
import type { BulkEditJobInfoWire, BulkEditParam, BulkPreviewInfo } from './rpc-types/bulk-edit.js'
import type { CollectionRefParam, HistoryOptionsInfo, HistoryPageInfo, ListTokensOptionsInfo, TokenInfo, TokenPageInfo, TokenRefParam, VersionDiffInfo } from './rpc-types/tokens.js'

export type * from './rpc-types/chain.js'
export type * from './rpc-types/records.js'
export type * from './rpc-types/reveal.js'
export type * from './rpc-types/chain-write.js'
export type * from './rpc-types/dht.js'
export type * from './rpc-types/fluence.js'
export type * from './rpc-types/go-live.js'
export type * from './rpc-types/reachability.js'
export type * from './rpc-types/jobs.js'
export type * from './rpc-types/keys.js'
export type * from './rpc-types/original.js'
export type * from './rpc-types/registry.js'
export type * from './rpc-types/remote-pins.js'
export type * from './rpc-types/replication.js'
export type * from './rpc-types/browse.js'
export type * from './rpc-types/bulk-edit.js'
export type * from './rpc-types/snapshots.js'
export type * from './rpc-types/tokens.js'

export type NodeStateName = 'stopped' | 'starting' | 'running' | 'stopping'

export interface NodeInfo {
  peer_id: string
  version: string
  state: NodeStateName
  data_dir: string
  /** ISO 8601 time the node finished starting. */
  started_at: string | null
  uptime_ms: number
  schema_version: number
  offline: boolean
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:5480 */
  api_url: string | null
  /** Base URL of the public, read-only gateway listener (`--gateway-host`); null when none is open. */
  public_gateway_url: string | null
  /** The peer-to-peer host; null when the node runs offline. */
  p2p: P2pInfo | null
  /** What the node holds; null while it is not running. */
  stats: StatsInfo | null
  /** The embedded Fluence peer; null when offline. */
  fluence: FluenceInfo | null
  /** Files of the data dir other users can read that the node could not make private; empty when all is owner-only. */
  data_dir_warnings: string[]
  /** The node on the IPFS DHT; null when the DHT is off or the node is offline. */
  dht: DhtInfo | null
  /** Whether peers on the internet can reach the node (rule in docs/ARCHITECTURE.md). */
  reachability: ReachabilityInfo
}

// Repeats lineage/tokens/ledger-reads.ts StoreStats: a run-time module, which the renderer's type check must not read.
export interface StatsInfo {
  collections: number
  tokens: number
  slots: number
  transactions: number
  blocks: number
  block_bytes: number
  database_bytes: number
}

export interface P2pInfo {
  /** Multiaddrs other peers can dial, each ending in /p2p/<peer id>. */
  listen_addresses: string[]
  connections: number
}

export interface PeerConnectionInfo {
  peer_id: string
  /** The remote multiaddr of the connection. */
  address: string
  direction: 'inbound' | 'outbound'
  opened_at: string
}

/** The original protocol's search filter: conditions ANDed, sort keys, offset `from`, count `to`. */
export interface SearchFilterInfo {
  query?: Array<{ column: string, op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like', query: string | number }>
  ordering?: Array<{ column: string, sort: 'asc' | 'desc' }>
  from?: number
  to?: number
}

// Repeats lineage/contracts/contracts.ts: a run-time module, which the renderer's type check must not read.
export interface ContractDeployInfo {
  meta_contract_id: string
  /** CID (raw, sha2-256) of the module. */
  cid: string
  name: string
  builtin: boolean
  functions: string[]
  created_at: number
}

export interface ServiceInfo {
  service_id: string
  kind: 'service' | 'meta_contract'
  functions: string[]
  cid?: string
  builtin?: boolean
}

export type PublishBatchItem = { hash: string } | { error: JsonRpcErrorObject }

/** Every method: its positional parameters and its result. */
export interface RpcMethods {
  node_info: { params: []; result: NodeInfo }
  peers: { params: []; result: PeerConnectionInfo[] }
  publish: { params: [request: SignedTransactionRequest]; result: { hash: string } }
  publish_batch: { params: [requests: SignedTransactionRequest[]]; result: PublishBatchItem[] }
  get_transaction: { params: [hash: string]; result: TransactionInfo | null }
  get_transaction_receipt: { params: [hash: string]; result: ReceiptInfo | null }
  get_metadata: { params: [data_key: string, meta_contract_id: string, public_key: string, alias: string, version: string]; result: SlotInfo | null }
  get_metadata_with_history: { params: [data_key: string, meta_contract_id: string, public_key: string, alias: string, version: string]; result: (SlotInfo & { history: SlotVersionInfo[] }) | null }
  get_metadatas: { params: [data_key: string, version: string]; result: SlotInfo[] }
  get_metadatas_count: { params: [data_key: string, version: string]; result: number }
  get_metadatas_by_block: { params: [data_key: string, meta_contract_id: string, version: string, page?: SlotPageParam]; result: SlotInfo[] }
  get_metadatas_all_version: { params: [data_key: string, page?: SlotPageParam]; result: SlotInfo[] }
  get_metadatas_by_tokenkey: { params: [token_key: string, token_id: string, version: string, page?: SlotPageParam]; result: SlotInfo[] }
  get_meta_contract: { params: [token_key: string]; result: BindingInfo | null }
  get_meta_contract_by_id: { params: [meta_contract_id: string]; result: ContractDeployInfo | null }
  ipfs_get: { params: [cid: string]; result: IpfsGetResultInfo }
  ipns_publish: { params: [chain_id: string, token_address: string, cid: string]; result: IpnsNameInfoWire }
  ipns_ls: { params: []; result: IpnsNameInfoWire[] }
  deserialize_fork: { params: [json: string]; result: ForkDataInfo }
  generate_token_key: { params: [chain_id: string, token_address: string]; result: string }
  generate_data_key: { params: [chain_id: string, token_address: string, token_id: string]; result: string }
  get_node_clock: { params: []; result: number }
  chain_judging_block: { params: [chain_id: string, token_address: string, meta_contract_id: string]; result: number | null }
  pin_add: { params: [cid: string, recursive?: boolean, name?: string]; result: PinInfo }
  /** Stops the pin_add runs of this CID in progress; `cancelled` counts them. */
  pin_cancel: { params: [cid: string]; result: { cid: string, cancelled: number } }
  pin_rm: { params: [cid: string]; result: PinRecordInfo }
  pin_ls: { params: [cid?: string]; result: PinInfo[] }
  gc: { params: [dry_run?: boolean]; result: GcResultInfo }
  get_transactions: { params: [filter?: SearchFilterInfo]; result: TransactionInfo[] }
  get_complete_transactions: { params: [from_ts: number, to_ts: number, options?: CompleteTransactionsPageParam]; result: TransactionInfo[] }
  get_pending_transactions: { params: []; result: TransactionInfo[] }
  search_metadatas: { params: [filter?: SearchFilterInfo]; result: Array<Omit<SlotInfo, 'content'>> }
  search_metadatas_count: { params: [filter?: SearchFilterInfo]; result: number }
  deploy_meta_contract: { params: [id: string, wasm: string, name?: string]; result: ContractDeployInfo }
  list_services: { params: []; result: ServiceInfo[] }
  export_car: { params: [path: string, options?: { token_key?: string, data_key?: string }]; result: ExportResultInfo }
  export_status: { params: [path: string]; result: ExportStatusInfo }
  export_cancel: { params: [path: string]; result: ExportStatusInfo }
  import_folder: { params: [path: string, options: ImportFolderOptions]; result: ImportStatusInfo }
  import_car: { params: [path: string]; result: ImportStatusInfo }
  import_cancel: { params: [job: string]; result: ImportStatusInfo }
  import_status: { params: [job: string]; result: ImportStatusInfo }
  job_history: { params: [limit?: number]; result: JobSummaryInfo[] }
  job_forget: { params: [job: string]; result: JobSummaryInfo[] }
  get_token: { params: [token: TokenRefParam]; result: TokenInfo | null }
  list_tokens: { params: [collection: CollectionRefParam, options?: ListTokensOptionsInfo]; result: TokenPageInfo }
  get_history: { params: [data_key: string, meta_contract_id: string, public_key: string, alias: string, version: string, options?: HistoryOptionsInfo]; result: HistoryPageInfo | null }
  diff_versions: { params: [cid: string, base?: string]; result: VersionDiffInfo }
  registry_set: { params: [request: RegistryWriteRequest]; result: RegistrySetResultInfo }
  registry_get: { params: [registry_id: string]; result: RegistryEntryInfo | null }
  registry_list: { params: []; result: RegistryEntryInfo[] }
  keys_list: { params: []; result: KeyInfoWire[] }
  keys_new: { params: [name: string, type: KeyTypeName, passphrase: string]; result: KeyInfoWire }
  keys_import: { params: [name: string, type: KeyTypeName, private_key: string, passphrase: string]; result: KeyInfoWire }
  keys_export_public: { params: [name: string]; result: KeyInfoWire }
  keys_export_keystore: { params: [name: string]; result: KeyBackupWire }
  keys_delete: { params: [name: string]; result: KeyInfoWire }
  sign_and_publish: { params: [key: string, passphrase: string, request: UnsignedRequestInput]; result: SignAndPublishResultInfo }
  validate_metadata: { params: [candidate: MetadataCandidateInfo]; result: MetadataVerdictInfo }
  recent_logs: { params: [options?: { after?: number, limit?: number }]; result: LogLineInfo[] }
  fluence_connect: { params: [address: string]; result: { peer_id: string } }
  peer_node_info: { params: [peer: string]; result: PeerNodeInfo }
  peer_get_metadata: { params: [peer: string, chain_id: string, token_address: string, token_id: string]; result: PeerMetadataInfo }
  peer_get_slot: { params: [peer: string, slot: { chain_id: string, token_address: string, token_id: string, meta_contract_id: string, public_key: string, alias: string, version: string }, options?: { cursor?: string, limit?: number }]; result: PeerSlotHistoryInfo }
  peer_get_history: { params: [peer: string, chain_id: string, token_address: string, token_id: string, limit?: number]; result: PeerTokenHistoryInfo }
  peer_list_collection: { params: [peer: string, chain_id: string, token_address: string, options?: { cursor?: string, limit?: number }]; result: PeerCollectionInfo }
  peer_copy_collection: { params: [peer: string, chain_id: string, token_address: string]; result: PeerCopyInfo }
  remote_pin_service_add: { params: [name: string, endpoint: string, token: string, auto_pin?: boolean]; result: RemotePinServiceInfoWire }
  remote_pin_service_rm: { params: [name: string]; result: RemotePinServiceInfoWire }
  remote_pin_service_ls: { params: []; result: RemotePinServiceInfoWire[] }
  remote_pin_add: { params: [cid: string, service: string, name?: string]; result: RemotePinInfoWire }
  remote_pin_rm: { params: [cid: string, service: string]; result: RemotePinInfoWire }
  remote_pin_ls: { params: [filter?: RemotePinFilterInput]; result: RemotePinInfoWire[] }
  peer_connect: { params: [address: string]; result: { peer_id: string } }
  peer_disconnect: { params: [peer_id: string]; result: { peer_id: string } }
  follow_add: { params: [chain_id: string, token_address: string]; result: FollowInfo }
  follow_rm: { params: [token_key: string]; result: { token_key: string } }
  follow_ls: { params: []; result: FollowInfo[] }
  sync_now: { params: [options?: { token_key?: string, peer_id?: string }]; result: SyncResultInfo[] }
  sync_cancel: { params: [token_key?: string]; result: { cancelled: number } }
  replication_status: { params: []; result: ReplicationStatusInfo }
  check_token_uri: { params: [uri: string, ipfs_gateway?: string]; result: TokenUriCheckInfo }
  snapshot_create: { params: [chain_id: string, token_address: string, options?: SnapshotCreateOptions]; result: SnapshotInfo }
  snapshot_status: { params: [chain_id: string, token_address: string]; result: SnapshotStatusInfo }
  snapshot_cancel: { params: [chain_id: string, token_address: string]; result: SnapshotStatusInfo }
  /** Without params, every collection's snapshots. */
  snapshot_ls: { params: [chain_id?: string, token_address?: string]; result: SnapshotInfo[] }
  snapshot_rm: { params: [root_cid: string]; result: SnapshotInfo[] }
  snapshot_export_car: { params: [root_cid: string, path: string]; result: SnapshotCarInfo }
  chain_set: { params: [chain_id: number | string, options: ChainEndpointOptions]; result: ChainEndpointInfoWire }
  chain_rm: { params: [chain_id: number | string]; result: ChainEndpointInfoWire }
  chain_ls: { params: []; result: ChainEndpointInfoWire[] }
  chain_watch: { params: [chain_id: number | string, address: string, options?: ChainWatchOptions]; result: ChainWatchStatusWire }
  chain_unwatch: { params: [chain_id: number | string, address: string]; result: ChainWatchStatusWire }
  chain_watch_stop: { params: [chain_id: number | string, address: string]; result: ChainWatchStatusWire }
  chain_watch_start: { params: [chain_id: number | string, address: string]; result: ChainWatchStatusWire }
  chain_status: { params: []; result: ChainWatchStatusWire[] }
  chain_token: { params: [chain_id: number | string, address: string, token_id: string]; result: ChainTokenInfoWire }
  chain_write_functions: { params: [chain_id: number | string, address: string]; result: ChainWriteFunctionsWire }
  chain_write_estimate: { params: [request: ChainWriteRequest]; result: ChainWriteEstimateWire }
  chain_write_send: { params: [request: ChainWriteRequest, passphrase: string, max_cost_wei?: string]; result: ChainTxWire }
  chain_tx: { params: [ref: number | string]; result: ChainTxWire }
  chain_txs: { params: [chain_id?: number | string, address?: string]; result: ChainTxWire[] }
  chain_metadata_updates: { params: [chain_id: number | string, address: string]; result: MetadataUpdateWire[] }
  chain_tokens: { params: [chain_id: number | string, address: string, token_ids: string[]]; result: ChainTokenFlagsWire[] }
  get_active_crons: { params: []; result: CronInfoWire[] }
  get_all_crons: { params: []; result: CronInfoWire[] }
  get_all_cron_txs: { params: [from?: number, to?: number]; result: CronTxInfoWire[] }
  search_cron_tx: { params: [address: string, chain: string, topic: string]; result: CronTxInfoWire[] }
  get_cron_tx_by_tx_hash: { params: [tx_hash: string, address: string, chain: string, topic: string]; result: CronTxInfoWire | null }
  get_cron_tx_latest_block: { params: [address: string, chain: string, topic: string]; result: number }
  get_cron_latest_block: { params: [hash: string]; result: number }
  chain_reveal_set: { params: [chain_id: number | string, address: string, placeholder: Record<string, unknown> | null]; result: ChainRevealInfoWire }
  chain_reveal_clear: { params: [chain_id: number | string, address: string]; result: ChainRevealInfoWire }
  chain_reveal_ls: { params: []; result: ChainRevealInfoWire[] }
  chain_reveal_tokens: { params: [chain_id: number | string, address: string, token_ids: string[]]; result: ChainRevealTokenWire[] }
  chain_reveal_peers: { params: []; result: string[] }
  chain_reveal_peers_set: { params: [peer_ids: string[]]; result: string[] }
  browse_tokens: { params: [collection: CollectionRefParam, query?: BrowseQueryParam]; result: BrowsePageInfo }
  collection_profiles: { params: []; result: CollectionProfileInfo[] }
  set_collection_profile: { params: [collection: CollectionRefParam, profile: { name: string, image: string }]; result: CollectionProfileInfo | null }
  get_image_gateway: { params: []; result: ImageGatewayInfo }
  set_image_gateway: { params: [gateway: string | null]; result: ImageGatewayInfo }
  bulk_edit_preview: { params: [edit: BulkEditParam]; result: BulkPreviewInfo }
  bulk_edit_apply: { params: [edit: BulkEditParam, passphrase: string]; result: BulkEditJobInfoWire }
  bulk_edit_status: { params: [job: string]; result: BulkEditJobInfoWire }
  bulk_edit_cancel: { params: [job: string]; result: BulkEditJobInfoWire }
}

export type RpcMethodName = keyof RpcMethods


/** The one interface the UI talks to, whatever carries it. */
export interface LineageClient {
  call<M extends RpcMethodName>(method: M, ...params: RpcMethods[M]['params']): Promise<RpcMethods[M]['result']>
  close(): void
}
