/**
 * The only IPC channels between the renderer and the main process, with their payloads.
 * Kept tiny on purpose: everything the UI does is a JSON-RPC call through `lineage:rpc`, so the
 * renderer gets exactly the API a browser gets, and IPC never becomes an internal bus.
 */
import type { JsonRpcResponse } from '../api/index.js'

export const IPC_CHANNELS = {
  rpc: 'lineage:rpc',
} as const

export interface IpcChannelMap {
  'lineage:rpc': { request: unknown, response: JsonRpcResponse | JsonRpcResponse[] | null }
}

export type IpcChannel = keyof IpcChannelMap
