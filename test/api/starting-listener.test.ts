// The starting listener on its own: a call that needs the whole node waits at most `waitMs`,
// then is told the node is still starting (its own code); node_info is answered at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { createStartingListener } from '../../src-main/api/starting/index.js'
import type { StartingListener } from '../../src-main/api/starting/index.js'
import { testLogger } from '../helpers/logger.js'
import { postRpc } from '../helpers/rpc.js'

const TOKEN = 'a'.repeat(64)
const auth = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }

describe('the starting listener', () => {
  let listener: StartingListener
  let base: string
  beforeAll(async () => {
    listener = createStartingListener({ log: testLogger.forComponent('test'), nodeInfo: () => ({ state: 'starting' }) }, { host: '127.0.0.1', port: 0, token: TOKEN, waitMs: 50 })
    await listener.listen()
    base = `http://127.0.0.1:${listener.port ?? 0}`
  })
  afterAll(async () => { await listener.close() })

  it('answers node_info at once and tells other calls, after waiting, that the node is still starting', async () => {
    expect((await postRpc(`${base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'node_info' }), auth)).json).toEqual({ jsonrpc: '2.0', id: 3, result: { state: 'starting' } })
    const { status, json } = await postRpc(`${base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'list_collections', params: [] }), auth)
    expect(status).toBe(200)
    expect(json).toMatchObject({ jsonrpc: '2.0', id: 4, error: { code: RPC_ERROR_CODES.NodeStartingError, data: { name: 'NodeStartingError' } } })
    expect((json as { error: { message: string } }).error.message).toContain('still starting')
  })

  it('refuses what the API refuses before reading anything: a foreign Host or a web page\'s Origin', async () => {
    const hostile = await postRpc(`${base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info' }), { ...auth, origin: 'http://evil.example' })
    expect(hostile.status).toBe(403)
    expect(hostile.json).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidRequest } })
  })

  it('a gateway read with no kept document is told, after waiting, that the node is still starting', async () => {
    const response = await fetch(`${base}/metadata/1/0x${'1'.repeat(40)}/1`)
    expect(response.status).toBe(503)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(((await response.json()) as { error: string }).error).toContain('still starting')
  })
})
