/** Posts raw text to a node's JSON-RPC endpoint and returns status, headers and parsed body. */
export async function postRpc (url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number, headers: Headers, json: unknown }> {
  const response = await fetch(url, { method: 'POST', headers, body })
  const text = await response.text()
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) as unknown }
}

/** One call; with `token`, as the node's owner (private methods need it). */
export async function callRpc (url: string, method: string, params?: unknown, token?: string): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }
  const { json } = await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params === undefined ? {} : { params }) }), headers)
  return json
}

/** Calls a node's methods as its owner: the result, or an Error naming the method and the node's message. */
export type OwnerCall = <T = unknown>(method: string, ...params: unknown[]) => Promise<T>

/** An OwnerCall on a node named later (a test's node is started in beforeAll): `node()` gives its URL and API token. */
export function ownerCaller (node: () => { url: string, token: string }): OwnerCall {
  return async <T>(method: string, ...params: unknown[]): Promise<T> => {
    const { url, token } = node()
    const { json } = await postRpc(`${url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    const reply = json as { result?: T, error?: { message: string } }
    if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`)
    return reply.result as T
  }
}

/** A node's whole JSON-RPC answer: its result, or its error with the code and data. */
export interface RpcAnswer<T> { result?: T, error?: { code: number, message: string, data?: { name?: string, field?: string } } }

/** One call to a node, as its owner (`token` null: as anyone), answering the whole reply. */
export async function rpcAnswer<T> (node: { url: string, token: string }, method: string, params: unknown[], token: string | null = node.token): Promise<RpcAnswer<T>> {
  const { json } = await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) })
  return json as RpcAnswer<T>
}
