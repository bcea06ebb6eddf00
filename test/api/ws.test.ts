import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createLineageNode } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { tempDir } from '../helpers/temp-dir.js'

async function openSocket (url: string, origin?: string): Promise<WebSocket> {
  const ws = new WebSocket(url, origin === undefined ? {} : { origin })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => { resolve() })
    ws.once('error', reject)
  })
  return ws
}

async function exchange (ws: WebSocket, text: string): Promise<unknown> {
  const reply = new Promise<unknown>(resolve => { ws.once('message', data => { resolve(JSON.parse(String(data))) }) })
  ws.send(text)
  return reply
}

describe('WebSocket JSON-RPC', () => {
  let node: LineageNode
  let wsUrl: string
  let cleanup: () => void
  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    node = createLineageNode(testNodeConfig(t.dir), { logger: testLogger })
    await node.start()
    wsUrl = (node.status().apiUrl ?? '').replace('http:', 'ws:') + '/rpc/ws'
  })
  afterAll(async () => {
    await node.stop()
    cleanup()
  })

  it('answers calls from the node\'s own origin and from non-browser clients', async () => {
    for (const origin of [undefined, node.status().apiUrl ?? '']) {
      const ws = await openSocket(wsUrl, origin)
      expect(await exchange(ws, '{"jsonrpc":"2.0","id":9,"method":"node_info"}')).toMatchObject({ id: 9, result: { peer_id: node.peerId } })
      expect(await exchange(ws, 'not json')).toMatchObject({ id: null, error: { code: -32700 } })
      ws.close()
    }
  })

  it('refuses a connection from another web origin', async () => {
    await expect(openSocket(wsUrl, 'https://evil.example')).rejects.toThrow(/403/)
  })
})
