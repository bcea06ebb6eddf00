import { publicText } from './public-text.js'

/**
 * Every JSON-RPC error code the API answers with, in one place. Codes below -32000 are the
 * standard ones; the rest are ours. docs/API.md lists every one, generated from this table
 * (scripts/api-doc.mjs), with its meaning from scripts/api-doc.source.md.
 */
export const RPC_ERROR_CODES = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  // Application codes, by the error class name that produces them.
  StoreLockedError: -32001,
  StoreNotOpenError: -32002,
  NodeStateError: -32003,
  Unauthorized: -32004,
  InvalidSignatureError: -32010,
  ReplayedTransactionError: -32011,
  UnknownMetaContractError: -32012,
  CollectionNotBoundError: -32013,
  MetaContractMismatchError: -32014,
  BindingOwnerError: -32015,
  LineageStoppedError: -32016,
  // Too many validate_metadata calls wait for one contract.
  DryRunBusyError: -32019,
  BlockMissingError: -32030,
  // An export needs a block the node no longer holds.
  BlockNotFoundError: -32030,
  NotPinnedError: -32031,
  TokenNotFoundError: -32032,
  GcRootError: -32033,
  UnsupportedCodecError: -32034,
  // A block whose bytes are not in its CID's codec: its links cannot be followed either.
  UndecodableBlockError: -32034,
  // Blocks fetched from peers (bitswap) for a pin.
  BlockUnavailableError: -32035,
  FetchedBlockInvalidError: -32036,
  FetchLimitError: -32039,
  BlockMismatchError: -32036,
  BlockTooLargeError: -32036,
  UnsupportedHashFunctionError: -32036,
  BitswapNotStartedError: -32037,
  // ipfs_get: a block the node lacks while offline is missing, as for a pin.
  BlockNotHeldError: -32030,
  // A run stopped on request (pin_cancel), or any operation whose signal aborted.
  AbortError: -32038,
  ImportSourceError: -32040,
  // A CAR import's file has no readable header (damage later in the file only refuses entries).
  InvalidCarError: -32040,
  ImportSourceChangedError: -32041,
  ImportJobNotFoundError: -32042,
  ImportJobBusyError: -32043,
  ImportKeyError: -32044,
  ImportBindingError: -32045,
  ImportStalledError: -32046,
  KeyNotFoundError: -32047,
  WrongPassphraseError: -32048,
  KeyExistsError: -32049,
  NothingToExportError: -32050,
  NotAContractError: -32051,
  ContractModuleError: -32052,
  UnknownCollectionError: -32060,
  VersionNotFoundError: -32061,
  NotAVersionError: -32062,
  // A registry write fails the same checks as a transaction: the same codes, its own names.
  InvalidRegistrySignatureError: -32010,
  ReplayedRegistryWriteError: -32011,
  RegistryOwnerError: -32070,
  // The embedded Fluence peer and calls to other peers.
  FluenceNotStartedError: -32080,
  RemoteCallError: -32081,
  PeerAddressError: -32082,
  CopyVerificationError: -32083,
  CopySessionError: -32084,
  // Peers and replication.
  InvalidPeerAddressError: -32082,
  PeerUnreachableError: -32090,
  NotFollowedError: -32091,
  InvalidCollectionError: -32092,
  ReplicationOfflineError: -32093,
  SyncProtocolError: -32094,
  ForgedTransactionError: -32095,
  SyncCancelledError: -32096,
  SyncInterruptedError: -32097,
  // Remote pinning (IPFS Pinning Service API). Past -32099 on purpose: that range is nearly full
  // and other groups are still claiming codes in it.
  RemotePinServiceExistsError: -32110,
  RemotePinServiceNotFoundError: -32111,
  NotPinnedLocallyError: -32112,
  RemotePinNotFoundError: -32113,
  PinningServiceAuthError: -32114,
  PinningServiceUnreachableError: -32115,
  PinningServiceResponseError: -32116,
  PinningServiceRejectedError: -32117,
  // A service's token, kept outside the database (src-main/secrets), cannot be read here.
  SecretFileError: -32118,
  SecretCipherUnavailableError: -32118,
  SecretMissingError: -32118,
  SecretOpenError: -32118,
  // Reads of blocks from peers for API clients (ipfs_get).
  ReaderFetchesBusyError: -32120,
  // ipfs:// snapshots of collections.
  SnapshotCollectionError: -32130,
  EmptyCollectionError: -32131,
  SnapshotTooLargeError: -32132,
  SnapshotDocumentError: -32133,
  SnapshotBusyError: -32134,
  SnapshotNotFoundError: -32135,
  SnapshotNamedError: -32136,
  // IPNS names of collections (src-main/dht).
  IpnsNameNotFoundError: -32140,
  IpnsValueNotHeldError: -32141,
  TooManyIpnsNamesError: -32142,
  IpnsNamesFileError: -32143,
  // The node answers node_info while it starts; other calls wait, then get one of these.
  NodeStartingError: -32150,
  NodeStartFailedError: -32151,
  // The chain watcher (src-main/chain).
  ChainNotConfiguredError: -32160,
  ChainIdMismatchError: -32161,
  ChainInUseError: -32162,
  WatchNotFoundError: -32163,
  WatchExistsError: -32164,
  TooManyWatchesError: -32165,
  ChainEndpointUnreachableError: -32166,
  ChainEndpointResponseError: -32167,
  ChainEndpointRejectedError: -32168,
  NoContractError: -32169,
  // Bulk edit (src-main/lineage/bulk-edit); its bad operation input is invalid params naming the field.
  BulkEditUnknownTraitError: -32180,
  BulkEditUnknownFieldError: -32181,
  BulkEditEmptySelectionError: -32182,
  BulkEditTooManyTokensError: -32183,
  BulkEditJobNotFoundError: -32184,
  // Reveal on mint (src-main/chain/reveal.ts).
  TokenHiddenError: -32175,
  RevealNotFoundError: -32176,
  SnapshotHiddenCollectionError: -32177,
  // The chain writer (src-main/chain-write): transactions the creator sends from the app.
  NoSetterError: -32190,
  NotContractOwnerError: -32191,
  TransactionRevertedError: -32192,
  InsufficientFundsError: -32193,
  FeeRoseError: -32194,
  ChainTxNotFoundError: -32195,
} as const

export type RpcErrorName = keyof typeof RPC_ERROR_CODES

/** An error that is sent to the caller as-is: message and data are for people and clients. */
export class RpcError extends Error {
  override readonly name = 'RpcError'
  constructor (readonly code: number, message: string, readonly data?: unknown) {
    super(message)
  }
}

/**
 * Which schema rule a value broke, so that a client can say it in its own words (and its form's
 * labels) instead of showing ajv's text: the ajv keyword, and the bound it names if any.
 */
export interface ParamRule {
  keyword: string
  limit?: number
  /** The field inside the parameter the rule is about (`options.chain_id` → chain_id). */
  property?: string
}

export class InvalidParamsError extends RpcError {
  constructor (message: string, readonly field?: string, rule?: ParamRule) {
    super(RPC_ERROR_CODES.InvalidParams, `Invalid params: ${message}`, field === undefined ? undefined : { field, ...rule })
  }
}

/** Errors about one field of the input: invalid params, with the field named in `data`. */
const FIELD_ERRORS = new Set(['InvalidTransactionError', 'InvalidSearchValueError', 'CloneSourceError', 'ImportPathError', 'ExportPathError', 'ContractIdError', 'InvalidRegistryRequestError', 'VersionCidError', 'HistoryCursorError', 'SearchCursorError', 'InvalidIpnsValueError', 'BrowseQueryError', 'ImageGatewayError', 'BulkEditInputError'])

/** What a client is told of an error the node has no name for; the error itself goes to the log. */
export const INTERNAL_ERROR_MESSAGE = 'Internal error: the node could not complete this request; details are in its log.'

/**
 * Turns any thrown error into the JSON-RPC error a client sees, the one place where that is
 * decided. Errors known by name keep their message (written for people), made public: no stack
 * frame, no path on this machine except those in `echoed` (paths the request itself named), no
 * clause in a library's vocabulary (see public-text.ts). Anything else is an internal error whose
 * details stay in the log: the caller logs `err` when the answer is -32603 or its message differs.
 */
export function toRpcError (err: unknown, echoed: readonly string[] = []): RpcError {
  if (err instanceof RpcError) {
    const message = publicText(err.message, echoed)
    return message === err.message ? err : new RpcError(err.code, message, err.data)
  }
  const name = (err as { name?: unknown })?.name
  const message = publicText(String((err as { message?: unknown })?.message ?? ''), echoed)
  if (typeof name === 'string' && FIELD_ERRORS.has(name)) {
    const field = (err as { field?: unknown }).field
    return new RpcError(RPC_ERROR_CODES.InvalidParams, message, { name, ...(typeof field === 'string' ? { field } : { field: 'mcdata' }) })
  }
  if (typeof name === 'string' && Object.hasOwn(RPC_ERROR_CODES, name)) {
    return new RpcError(RPC_ERROR_CODES[name as RpcErrorName], message, { name })
  }
  return new RpcError(RPC_ERROR_CODES.InternalError, INTERNAL_ERROR_MESSAGE)
}
