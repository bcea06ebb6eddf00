import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { createIpcClient } from '../../src-renderer/src/lib/client/ipc-transport.js'
import { createWebSocketClient } from '../../src-renderer/src/lib/client/ws-transport.js'
import { describeStorage, formatBytes, formatUptime } from '../../src-renderer/src/lib/format.js'

describe('UI client transports against a real node', () => {
  let node: LineageNode
  let running: TestNode
  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
  })
  afterAll(async () => { await running.stop() })

  it('WebSocket transport returns typed results, private ones with the token it offers as a subprotocol', async () => {
    const url = (node.status().apiUrl ?? '').replace('http:', 'ws:') + '/rpc/ws'
    const client = createWebSocketClient(url, ['lineage.jsonrpc', `lineage.token.${readApiToken(node.config.dataDir) ?? ''}`])
    const info = await client.call('node_info')
    expect(info.peer_id).toBe(node.peerId)
    client.close()
    const anonymous = createWebSocketClient(url, ['lineage.jsonrpc'])
    await expect(anonymous.call('node_info')).rejects.toMatchObject({ name: 'RpcCallError', code: -32004 })
    expect(typeof await anonymous.call('get_node_clock')).toBe('number')
    anonymous.close()
  })

  it('IPC transport goes through the node\'s own dispatcher, errors included', async () => {
    const bridge = { transport: 'ipc' as const, rpc: (message: unknown) => node.api.dispatch(message, { transport: 'ipc', authenticated: true }) }
    const client = createIpcClient(bridge)
    expect((await client.call('node_info')).peer_id).toBe(node.peerId)
    const broken = createIpcClient({ transport: 'ipc', rpc: (message: unknown) => node.api.dispatch({ ...(message as object), method: 'no_such' }, { transport: 'ipc', authenticated: true }) })
    await expect(broken.call('node_info')).rejects.toMatchObject({ name: 'RpcCallError', code: -32601 })
  })

  it('reports an unreachable node as NodeUnreachableError', async () => {
    const client = createWebSocketClient('ws://127.0.0.1:1/rpc/ws')
    await expect(client.call('node_info')).rejects.toMatchObject({ name: 'NodeUnreachableError' })
    client.close()
  })
})

describe('formatUptime', () => {
  it('shows the two largest units', () => {
    expect(formatUptime(0)).toBe('0s')
    expect(formatUptime(9_400)).toBe('9s')
    expect(formatUptime(302_000)).toBe('5m 2s')
    expect(formatUptime(3 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe('3d 4h')
    expect(formatUptime(-5)).toBe('0s')
  })
})

describe('storage wording', () => {
  it('counts in words with the right plurals and sizes', () => {
    expect(formatBytes(900)).toBe('900 B')
    expect(formatBytes(12_288)).toBe('12.0 KiB')
    expect(formatBytes(1_572_864)).toBe('1.5 MiB')
    expect(describeStorage({ collections: 1, tokens: 10_000, slots: 10_000, transactions: 1, blocks: 3, block_bytes: 1, database_bytes: 2_097_152 }))
      .toBe('10,000 tokens in 1 collection · 1 signed write · 2.0 MiB on disk')
  })
})
