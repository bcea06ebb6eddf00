/** A JSON-RPC error answered by the node: `code` and `message` come from it unchanged. */
export class RpcCallError extends Error {
  override readonly name = 'RpcCallError'
  constructor (readonly code: number, message: string, readonly data?: unknown) {
    super(message)
  }
}

/** The node could not be reached at all (not running, connection lost). */
export class NodeUnreachableError extends Error {
  override readonly name = 'NodeUnreachableError'
  constructor (detail: string) {
    super(`Cannot reach the Lineage node: ${detail}`)
  }
}
