import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * What the endpoint does. `proxy` forwards to the real endpoint (anvil); the others are the ways
 * a real endpoint fails: down, silent, rate-limiting, another chain, malformed, huge, never-ending
 * answers, a nonsense result, a limit on eth_getLogs ranges (by an error, or by answers too big),
 * or slow eth_getLogs.
 */
export type HostileMode =
  | { kind: 'proxy' }
  | { kind: 'down' }
  | { kind: 'silent' }
  | { kind: 'rate-limit' }
  | { kind: 'wrong-chain' }
  | { kind: 'malformed' }
  | { kind: 'huge', bytes: number }
  | { kind: 'never-ending' }
  | { kind: 'garbage-result' }
  | { kind: 'limit-range', blocks: number }
  | { kind: 'huge-logs', blocks: number, bytes: number }
  | { kind: 'slow-logs', delayMs: number, blocks: number }

export interface HostileRpc {
  url: string
  mode: HostileMode
  /** eth_getLogs ranges asked for (contract address, block count), in order. */
  logRanges: Array<{ address: string, blocks: number }>
  /** Requests seen by method. */
  calls: Map<string, number>
  close(): Promise<void>
}

/** A JSON-RPC server in front of `upstream` that misbehaves as its `mode` says; change `mode` at any time. */
export async function startHostileRpc (upstream: string, mode: HostileMode = { kind: 'proxy' }): Promise<HostileRpc> {
  const state: HostileRpc = { url: '', mode, logRanges: [], calls: new Map(), close: async () => {} }
  const held = new Set<http.ServerResponse>()
  const timers = new Set<NodeJS.Timeout>()
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => { body += d.toString() })
    req.on('end', () => { void answer(body, res) })
  })

  const forward = async (body: string, res: http.ServerResponse): Promise<void> => {
    const r = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text())
  }

  async function answer (body: string, res: http.ServerResponse): Promise<void> {
    let request: { id?: unknown, method?: string, params?: Array<{ address?: string, fromBlock?: string, toBlock?: string }> } = {}
    try { request = JSON.parse(body) as typeof request } catch { request = {} }
    const method = request.method ?? ''
    state.calls.set(method, (state.calls.get(method) ?? 0) + 1)
    const reply = (value: object): void => { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: request.id, ...value })) }
    const m = state.mode
    const range = method === 'eth_getLogs' ? Number(request.params?.[0]?.toBlock) - Number(request.params?.[0]?.fromBlock) + 1 : 0
    if (method === 'eth_getLogs') state.logRanges.push({ address: String(request.params?.[0]?.address), blocks: range })
    switch (m.kind) {
      case 'down': res.socket?.destroy(); return
      case 'silent': held.add(res); return
      case 'rate-limit': res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ jsonrpc: '2.0', id: request.id, error: { code: -32005, message: 'rate limited' } })); return
      case 'wrong-chain': if (method === 'eth_chainId') { reply({ result: '0x1' }); return } break
      case 'malformed': res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc": "2.0", "result": [unclosed'); return
      case 'huge': res.writeHead(200, { 'content-type': 'application/json' }).end(`{"jsonrpc":"2.0","id":${JSON.stringify(request.id)},"result":"0x${'0'.repeat(m.bytes)}"}`); return
      case 'never-ending': {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"jsonrpc":"2.0","result":"')
        held.add(res)
        const timer = setInterval(() => { if (!res.destroyed) res.write('0'.repeat(64)) }, 5)
        timers.add(timer)
        res.on('close', () => { clearInterval(timer); timers.delete(timer); held.delete(res) })
        return
      }
      case 'garbage-result': if (method === 'eth_blockNumber') { reply({ result: 'banana' }); return } break
      case 'limit-range': if (range > m.blocks) { reply({ error: { code: -32005, message: `query returned more than 10000 results; ask for at most ${m.blocks} blocks` } }); return } break
      case 'huge-logs':
        if (range > m.blocks) { res.writeHead(200, { 'content-type': 'application/json' }).end(`{"jsonrpc":"2.0","id":${JSON.stringify(request.id)},"result":[${'{},'.repeat(m.bytes / 3)}{}]}`); return }
        break
      case 'slow-logs':
        if (range > m.blocks) { reply({ error: { code: -32602, message: `block range too large (at most ${m.blocks})` } }); return }
        if (method === 'eth_getLogs') await new Promise(resolve => setTimeout(resolve, m.delayMs))
        break
      case 'proxy': break
    }
    await forward(body, res).catch(() => { res.socket?.destroy() })
  }

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.close = async () => {
    for (const t of timers) clearInterval(t)
    for (const r of held) r.destroy()
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
  return state
}
