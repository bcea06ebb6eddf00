/** Default HTTP port of the API, gateway and browser UI. If taken, the node picks a free one. */
export const DEFAULT_RPC_PORT = 5480
/** Default libp2p port (TCP; WebSocket on the next one). */
export const DEFAULT_P2P_PORT = 5481
/** The API binds to loopback only unless a person explicitly asks otherwise. */
export const DEFAULT_RPC_HOST = '127.0.0.1'
/** The node's libp2p identity, a protobuf-encoded ed25519 private key, readable by the owner only. */
export const IDENTITY_FILE = 'identity.key'
// The data-dir files other programs read live in ./local/ (loaded without the node); same names here.
export { API_FILE, API_TOKEN_FILE, DATA_DIR_ENV, PRIVATE_FILE_MODE } from './local/index.js'
/** The data dir and its folders: owner only. */
export const PRIVATE_DIR_MODE = 0o700

/** Meta contracts every node ships, loaded from the built services at start. */
export const BUILTIN_CONTRACTS = ['open', 'erc721', 'collab', 'holders'] as const

/** The states a node moves through, in order; `stopped` again after `stopping`. */
export const NODE_STATES = ['stopped', 'starting', 'running', 'stopping'] as const
export type NodeState = typeof NODE_STATES[number]
/** Port of the public gateway listener (`--gateway-host`), when one is opened. */
export const DEFAULT_GATEWAY_PORT = 8080

/**
 * Items an offline import (`lineage-node import` with no node running) reports done between full
 * collections of its heap: the process's peak follows what is live, not V8's growing limit.
 */
export const IMPORT_HEAP_COLLECT_ITEMS = 5_000
