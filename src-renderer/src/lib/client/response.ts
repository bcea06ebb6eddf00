import type { JsonRpcErrorObject } from '../../../../src-main/api/rpc-types.js'
import { RpcCallError } from './errors.js'

export interface JsonRpcRequest {
  jsonrpc: '2.0'
  id: number
  method: string
  params: unknown[]
}

export interface JsonRpcReply {
  id?: unknown
  result?: unknown
  error?: JsonRpcErrorObject
}

/** The result of a reply, or its error thrown as RpcCallError. */
export function unwrap (reply: JsonRpcReply): unknown {
  if (reply.error !== undefined) throw new RpcCallError(reply.error.code, reply.error.message, reply.error.data)
  return reply.result
}
