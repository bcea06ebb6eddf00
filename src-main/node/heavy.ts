/**
 * Every module the node loads after its API socket listens (node.ts imports this dynamically):
 * libp2p, the Fluence peer, Marine, the engine and the API app are most of its start time, and
 * the starting listener answers node_info and kept gateway documents meanwhile.
 */
export { createApi, createDocumentStore, toRpcError } from '../api/index.js'
export { createP2pHost, dialTarget } from '../p2p/index.js'
export { createFluencePeer } from '../fluence/index.js'
export { createExporter } from '../lineage/export/index.js'
export { createJobHistory } from '../lineage/job-history/index.js'
export { createKeystore } from '../lineage/keys/index.js'
export { createPins } from '../lineage/pins/index.js'
export { createSnapshots } from '../lineage/snapshots/index.js'
export { createBitswapService, createBlockReader } from '../ipfs/index.js'
export { createRegistry } from '../lineage/registry/index.js'
export { createRemotePinning } from '../remote-pinning/index.js'
export { multiaddr } from '@multiformats/multiaddr'
export { createReplication } from '../replication/index.js'
export { createSearch } from '../lineage/search/index.js'
export { createTokens } from '../lineage/tokens/index.js'
export { ContractCallsBusyError, formatterFromWasm, REMOTE_CALLS_WAITING_PER_CONTRACT, WaitingCallsGate } from '../marine/index.js'
export { CID } from 'multiformats/cid'
export { createFindable } from './findable.js'
export { createNodeImporter, startEngineParts } from './engine-parts.js'
export { createSecretVault } from '../secrets/index.js'
export { createChainWatcher, createCronReads } from '../chain/index.js'
export { createChainWriter } from '../chain-write/index.js'
// The browser uploads' folder under the data dir; the API's upload routes load with the rest.
export { UPLOADS_DIR } from '../api/uploads/index.js'
export { createBrowseParts } from './browse-parts.js'
export { createBulkEditor } from '../lineage/bulk-edit/index.js'
