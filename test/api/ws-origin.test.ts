import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { postRpc } from '../helpers/rpc.js'

/** Opens a socket as a browser on `origin` would; resolves with the HTTP status of a refusal, or 101. */
async function handshake (url: string, origin: string): Promise<number> {
  const ws = new WebSocket(url, { origin })
  return await new Promise<number>(resolve => {
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('error', () => { resolve(0) })
  })
}

describe('only the node\'s own UI is a trusted web origin', () => {
  let running: TestNode
  let port: number
  let wsUrl: string
  beforeAll(async () => {
    running = await startTestNode({ offline: true })
    port = Number(new URL(running.base).port)
    wsUrl = `${running.base.replace('http:', 'ws:')}/rpc/ws`
  })
  afterAll(async () => { await running.stop() })

  const foreign = (): string[] => [
    'http://localhost:5173',
    `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`,
    `http://localhost:${port === 65535 ? port - 1 : port + 1}`,
    `https://127.0.0.1:${port}`,
    `https://localhost:${port}`,
    `http://[::1]:${port === 65535 ? port - 1 : port + 1}`,
    'null',
    'file://',
    'https://evil.example',
  ]

  it('a page on another local origin (dev server, other port, https, ::1, null, file) cannot open the WebSocket', async () => {
    for (const origin of foreign()) expect([origin, await handshake(wsUrl, origin)]).toEqual([origin, 403])
  })

  it('the UI served by this node, on 127.0.0.1 or localhost of its port, opens it', async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) expect([origin, await handshake(wsUrl, origin)]).toEqual([origin, 101])
  })

  it('a page on another origin cannot reach JSON-RPC over HTTP either; clients with no Origin can', async () => {
    const body = '{"jsonrpc":"2.0","id":1,"method":"get_node_clock"}'
    for (const origin of foreign()) {
      const { status, json } = await postRpc(`${running.base}/rpc`, body, { 'content-type': 'application/json', origin })
      expect([origin, status, (json as { error?: { code: number } }).error?.code]).toEqual([origin, 403, -32600])
    }
    const own = await postRpc(`${running.base}/rpc`, body, { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` })
    expect([own.status, (own.json as { result?: unknown }).result]).toEqual([200, expect.any(Number)])
    const none = await postRpc(`${running.base}/rpc`, body)
    expect(none.json).toMatchObject({ id: 1, result: expect.any(Number) })
  })
})
