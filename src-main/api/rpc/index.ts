/**
 * JSON-RPC 2.0: every method of the API, listed explicitly, one file per group, each with a
 * parameter schema; and the dispatcher that every transport (HTTP, WebSocket, IPC) shares.
 */
import { browseMethods } from './browse-methods.js'
import { bulkEditMethods } from './bulk-edit-methods.js'
import type { BulkEditMethodsComponents } from './bulk-edit-methods.js'
import type { BrowseMethodsComponents } from './browse-methods.js'
import { chainLogMethods } from './chain-log-methods.js'
import { chainMethods } from './chain-methods.js'
import { chainRevealMethods } from './chain-reveal-methods.js'
import type { ChainRevealMethodsComponents } from './chain-reveal-methods.js'
import { guardPublicMethods } from './reveal-guard.js'
import { chainWriteMethods } from './chain-write-methods.js'
import type { ChainWriteMethodsComponents } from './chain-write-methods.js'
import type { ChainMethodsComponents } from './chain-methods.js'
import { contractMethods } from './contract-methods.js'
import type { ContractMethodsComponents } from './contract-methods.js'
import { exportMethods } from './export-methods.js'
import { fluenceMethods } from './fluence-methods.js'
import { goLiveMethods } from './go-live-methods.js'
import type { FluenceMethodsComponents } from './fluence-methods.js'
import { searchMethods } from './search-methods.js'
import type { SearchMethodsComponents } from './search-methods.js'
import type { ExportMethodsComponents } from './export-methods.js'
import { importMethods } from './import-methods.js'
import { ipfsMethods } from './ipfs-methods.js'
import type { IpfsMethodsComponents } from './ipfs-methods.js'
import { ipnsMethods } from './ipns-methods.js'
import type { IpnsMethodsComponents } from './ipns-methods.js'
import type { ImportMethodsComponents } from './import-methods.js'
import { jobHistoryMethods } from './job-history-methods.js'
import type { JobHistoryMethodsComponents } from './job-history-methods.js'
import { keyMethods } from './key-methods.js'
import type { KeyMethodsComponents } from './key-methods.js'
import { logMethods } from './log-methods.js'
import type { LogMethodsComponents } from './log-methods.js'
import { validateMethods } from './validate-methods.js'
import type { ValidateMethodsComponents } from './validate-methods.js'
import { lineageMethods } from './lineage-methods.js'
import type { LineageMethodsComponents } from './lineage-methods.js'
import { metadatasMethods } from './metadatas-methods.js'
import type { MetadatasMethodsComponents } from './metadatas-methods.js'
import { nodeMethods } from './node-methods.js'
import { pinMethods } from './pin-methods.js'
import type { PinMethodsComponents } from './pin-methods.js'
import { registryMethods } from './registry-methods.js'
import { replicationMethods } from './replication-methods.js'
import type { ReplicationMethodsComponents } from './replication-methods.js'
import { remotePinMethods } from './remote-pin-methods.js'
import type { RemotePinMethodsComponents } from './remote-pin-methods.js'
import { snapshotMethods } from './snapshot-methods.js'
import type { SnapshotMethodsComponents } from './snapshot-methods.js'
import type { RegistryMethodsComponents } from './registry-methods.js'
import { tokenMethods } from './token-methods.js'
import type { TokenMethodsComponents } from './token-methods.js'
import type { NodeMethodsComponents } from './node-methods.js'
import type { RpcMethod } from './method.js'

export type RpcMethodsComponents = NodeMethodsComponents & LineageMethodsComponents & PinMethodsComponents & ImportMethodsComponents & ExportMethodsComponents & SearchMethodsComponents & ContractMethodsComponents &
  TokenMethodsComponents & RegistryMethodsComponents & FluenceMethodsComponents & KeyMethodsComponents & ValidateMethodsComponents & LogMethodsComponents &
  RemotePinMethodsComponents & ReplicationMethodsComponents & MetadatasMethodsComponents & IpfsMethodsComponents & IpnsMethodsComponents & SnapshotMethodsComponents &
  ChainMethodsComponents & ChainWriteMethodsComponents & JobHistoryMethodsComponents & BrowseMethodsComponents & BulkEditMethodsComponents & ChainRevealMethodsComponents

export function createRpcMethods (components: RpcMethodsComponents): RpcMethod[] {
  // Reveal on mint: no public method reads a hidden token's content (reveal-guard.ts).
  return guardPublicMethods([
    ...nodeMethods(components),
    ...lineageMethods(components),
    ...metadatasMethods(components),
    ...pinMethods(components),
    ...importMethods(components),
    ...exportMethods(components),
    ...searchMethods(components),
    ...contractMethods(components),
    ...tokenMethods(components),
    ...registryMethods(components),
    ...fluenceMethods(components),
    ...keyMethods(components),
    ...validateMethods(components),
    ...logMethods(components),
    ...remotePinMethods(components),
    ...replicationMethods(components),
    ...ipfsMethods(components),
    ...ipnsMethods(components),
    ...snapshotMethods(components),
    ...chainLogMethods(),
    ...chainMethods(components),
    ...chainWriteMethods(components),
    ...goLiveMethods(components),
    ...jobHistoryMethods(components),
    ...browseMethods(components),
    ...bulkEditMethods(components),
    ...chainRevealMethods(components),
  ], components.reveal === undefined ? undefined : { reveal: components.reveal, blockstore: components.blockstore })
}

export { createDispatcher, unauthorized } from './dispatcher.js'
export type { Dispatcher, JsonRpcResponse, RpcMethodInfo } from './dispatcher.js'
export type { RpcContext, RpcMethod, RpcParam } from './method.js'
export { LogRing, recordingLogger } from './log-methods.js'
