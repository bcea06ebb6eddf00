import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import WebSocket from 'ws'
import type { LineageNode } from '../../src-main/node/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { evmSigner } from '../helpers/signers.js'

async function openSocket (url: string, origin?: string, token?: string): Promise<WebSocket> {
  const ws = new WebSocket(url, token === undefined ? [] : ['lineage.jsonrpc', `lineage.token.${token}`], origin === undefined ? {} : { origin })
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
  let running: TestNode
  let token: string
  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    token = readApiToken(node.config.dataDir) ?? ''
    wsUrl = (node.status().apiUrl ?? '').replace('http:', 'ws:') + '/rpc/ws'
  })
  afterAll(async () => { await running.stop() })

  it('answers calls from the node\'s own origin and from non-browser clients', async () => {
    for (const origin of [undefined, node.status().apiUrl ?? '']) {
      const ws = await openSocket(wsUrl, origin, token)
      expect(ws.protocol).toBe('lineage.jsonrpc')
      expect(await exchange(ws, '{"jsonrpc":"2.0","id":9,"method":"node_info"}')).toMatchObject({ id: 9, result: { peer_id: node.peerId } })
      expect(await exchange(ws, 'not json')).toMatchObject({ id: null, error: { code: -32700 } })
      ws.close()
    }
  })

  it('notifies every socket of an applied transaction, and only sockets holding the token of a rejected one', async () => {
    const ws = await openSocket(wsUrl, undefined, token)
    const heard: Array<{ method: string, params: { hash: string, status: string, reason: string } }> = []
    ws.on('message', data => { heard.push(JSON.parse(String(data)) as never) })
    const anonymous = await openSocket(wsUrl)
    const heardAnonymously: Array<{ method: string }> = []
    anonymous.on('message', data => { heardAnonymously.push(JSON.parse(String(data)) as never) })
    const signer = evmSigner()
    const bind = await signer.sign({ method: 'contract', chain_id: '1', token_address: '0x0000000000000000000000000000000000000abc', token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' })
    const bad = await signer.sign({ method: 'metadata', chain_id: '1', token_address: '0x0000000000000000000000000000000000000abc', token_id: '1', meta_contract_id: 'open', alias: '', version: 'v1', data: 'not json', mcdata: '' })
    const first = node.lineage.publish(bind)
    await node.lineage.settled()
    const second = node.lineage.publish(bad)
    await node.lineage.settled()
    await expect.poll(() => heard.length).toBe(2)
    expect(heard[0]).toMatchObject({ jsonrpc: '2.0', method: 'lineage:transaction:applied', params: { hash: first.hash, status: 'applied' } })
    expect(heard[1]).toMatchObject({ method: 'lineage:transaction:rejected', params: { hash: second.hash, status: 'rejected', reason: expect.stringContaining('not valid JSON') } })
    // Both events went out before settled() resolved; one more call orders after them on the socket.
    anonymous.send('{"jsonrpc":"2.0","id":3,"method":"get_node_clock"}')
    await expect.poll(() => heardAnonymously.some(m => (m as { id?: number }).id === 3)).toBe(true)
    expect(heardAnonymously.filter(m => m.method !== undefined).map(m => m.method)).toEqual(['lineage:transaction:applied'])
    ws.close()
    anonymous.close()
  })

  it('refuses a connection from another web origin', async () => {
    await expect(openSocket(wsUrl, 'https://evil.example')).rejects.toThrow(/403/)
  })

  it('stops promptly with a UI still connected, closing its socket', async () => {
    const ws = await openSocket(wsUrl)
    const closed = new Promise<void>(resolve => { ws.once('close', () => { resolve() }) })
    await Promise.race([node.stop(), new Promise((_resolve, reject) => setTimeout(() => { reject(new Error('stop waited on the open WebSocket')) }, 10_000))])
    await closed
    expect(node.status().state).toBe('stopped')
  })
})
