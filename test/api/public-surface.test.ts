import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { EVENTS, PUBLIC_EVENTS, RPC_ERROR_CODES, unauthorized } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { repoRoot } from '../helpers/processes.js'
import { postRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

type Answer = { id?: number, method?: string, result?: unknown, error?: { code: number, message: string } }

/** The rows of docs/SECURITY.md's "What needs no API token" table, by kind. */
function documented (): { methods: string[], events: string[] } {
  const text = fs.readFileSync(path.join(repoRoot, 'docs', 'SECURITY.md'), 'utf8')
  const section = text.slice(text.indexOf('## What needs no API token'))
  const end = section.indexOf('\n## ', 1)
  const rows = [...(end === -1 ? section : section.slice(0, end)).matchAll(/^\| `([^`]+)` \| (method|event) \|/gm)]
  return {
    methods: rows.filter(r => r[2] === 'method').map(r => r[1] ?? '').sort(),
    events: rows.filter(r => r[2] === 'event').map(r => r[1] ?? '').sort(),
  }
}

/** A socket and every message it got; `token` offered as the subprotocol the UI uses. */
async function socket (url: string, token?: string): Promise<{ ws: WebSocket, heard: Answer[], call: (method: string) => Promise<Answer> }> {
  const ws = new WebSocket(url, token === undefined ? [] : ['lineage.jsonrpc', `lineage.token.${token}`])
  const heard: Answer[] = []
  const waiting = new Map<number, (answer: Answer) => void>()
  ws.on('message', data => {
    const message = JSON.parse(String(data)) as Answer
    if (message.method !== undefined) heard.push(message)
    else if (typeof message.id === 'number') waiting.get(message.id)?.(message)
  })
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  let id = 0
  const call = async (method: string): Promise<Answer> => await new Promise(resolve => {
    waiting.set(++id, resolve)
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method }))
  })
  return { ws, heard, call }
}

describe('the surface readable without the API token is exactly what docs/SECURITY.md lists', () => {
  let running: TestNode
  let token: string
  let wsUrl: string
  let work: { dir: string, cleanup: () => void }
  beforeAll(async () => {
    work = tempDir()
    running = await startTestNode({ offline: true })
    token = readApiToken(running.node.config.dataDir) ?? ''
    wsUrl = `${running.base.replace('http:', 'ws:')}/rpc/ws`
  })
  afterAll(async () => {
    await running.stop()
    work.cleanup()
  })

  it('documents every token-less method and public event, and the table is not empty', () => {
    const { methods, events } = documented()
    expect(methods.length).toBeGreaterThan(20)
    expect(events).toEqual([...PUBLIC_EVENTS].sort())
    expect(methods).toEqual(running.node.api.methods.filter(m => m.requiresToken !== true).map(m => m.name).sort())
  })

  it('over HTTP, answers the documented methods without the token and refuses every other with the documented error', async () => {
    const { methods } = documented()
    const served: string[] = []
    for (const { name } of running.node.api.methods) {
      const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: name }))
      const answer = json as Answer
      if (answer.error?.code === RPC_ERROR_CODES.Unauthorized) expect(answer.error.message).toBe(unauthorized(name))
      else served.push(name)
    }
    expect(served.sort()).toEqual(methods)
  })

  it('over WebSocket, the same without the token, with a wrong token, and with the token in the address refused', async () => {
    const { methods } = documented()
    for (const presented of [undefined, 'f'.repeat(64)]) {
      const { ws, call } = await socket(wsUrl, presented)
      const served: string[] = []
      for (const { name } of running.node.api.methods) {
        const answer = await call(name)
        if (answer.error?.code === RPC_ERROR_CODES.Unauthorized) expect(answer.error.message).toBe(unauthorized(name))
        else served.push(name)
      }
      expect(served.sort()).toEqual(methods)
      ws.close()
    }
    const inAddress = new WebSocket(`${wsUrl}?token=${token}`)
    const status = await new Promise<number>(resolve => {
      inAddress.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0)
        inAddress.terminate()
      })
      inAddress.once('open', () => {
        resolve(101)
        inAddress.close()
      })
      inAddress.on('error', () => {})
    })
    expect(status).toBe(400)
    const owner = await socket(wsUrl, token)
    expect(owner.ws.protocol).toBe('lineage.jsonrpc')
    expect((await owner.call('node_info')).result).toMatchObject({ peer_id: running.node.peerId })
    owner.ws.close()
  })

  it('a socket without the token hears only the public events while its owner hears every job\'s', async () => {
    const owner = await socket(wsUrl, token)
    const stranger = await socket(wsUrl)
    const call = async (method: string, ...params: unknown[]): Promise<Answer> =>
      (await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json as Answer

    const signer = evmSigner()
    const collection = { chain_id: '1', token_address: '0x0000000000000000000000000000000000000def' }
    expect(await call('publish', await signer.sign({ method: 'contract', ...collection, token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' }))).toMatchObject({ result: expect.anything() })
    await running.node.lineage.settled()
    expect(await call('publish', await signer.sign({ method: 'metadata', ...collection, token_id: '2', meta_contract_id: 'open', alias: '', version: 'v1', data: '{"name":"two"}', mcdata: '' }))).toMatchObject({ result: expect.anything() })
    await call('publish', await signer.sign({ method: 'metadata', ...collection, token_id: '1', meta_contract_id: 'open', alias: '', version: 'v1', data: 'not json', mcdata: '' }))
    await running.node.lineage.settled()
    const head = (running.node.store.db.prepare('SELECT head_cid FROM slots LIMIT 1').pluck().get() as string)
    expect(await call('pin_add', head)).toMatchObject({ result: { cid: head } })
    expect((await call('gc', true)).result).toMatchObject({ bytes: expect.any(Number) })
    const car = path.join(work.dir, 'private-name.car')
    expect((await call('export_car', car)).result).toMatchObject({ path: car })
    const job = (await call('import_car', car)).result as { job: string }
    const privateEvents = [EVENTS.transactionRejected, EVENTS.pinDone, EVENTS.gcDone, EVENTS.exportDone, EVENTS.importDone]
    await expect.poll(() => privateEvents.filter(e => !owner.heard.some(m => m.method === e))).toEqual([])
    expect(job.job).toEqual(expect.any(String))

    // One answered call orders after every notification sent before it on the stranger's socket.
    await stranger.call('get_node_clock')
    expect([...new Set(stranger.heard.map(m => m.method))]).toEqual([EVENTS.transactionApplied])
    expect(JSON.stringify(stranger.heard)).not.toContain('private-name')
    owner.ws.close()
    stranger.ws.close()
  })
})
