/**
 * The typed contract between the API and its clients (the Svelte UI over IPC or WebSocket,
 * tests, scripts). Types only, no runtime imports, so the renderer can import it too.
 */

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
  /** The peer-to-peer host; null when the node runs offline. */
  p2p: P2pInfo | null
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

/** Every method: its positional parameters and its result. */
export interface RpcMethods {
  node_info: { params: []; result: NodeInfo }
  peers: { params: []; result: PeerConnectionInfo[] }
}

export type RpcMethodName = keyof RpcMethods

export interface JsonRpcErrorObject {
  code: number
  message: string
  data?: unknown
}

/** The one interface the UI talks to, whatever carries it. */
export interface LineageClient {
  call<M extends RpcMethodName>(method: M, ...params: RpcMethods[M]['params']): Promise<RpcMethods[M]['result']>
  close(): void
}
