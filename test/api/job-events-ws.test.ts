import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { ExportResultInfo, GcResultInfo, ImportStatusInfo, LineageNotificationName, PinInfo } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { postRpc } from '../helpers/rpc.js'
import { ed25519Signer } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'

interface Heard { method: LineageNotificationName, params: Record<string, unknown> }

/** A socket and every notification it has heard, in order. */
async function listen (url: string, token?: string): Promise<{ ws: WebSocket, heard: Heard[] }> {
  const ws = new WebSocket(url, token === undefined ? [] : ['lineage.jsonrpc', `lineage.token.${token}`])
  const heard: Heard[] = []
  let answered: () => void = () => {}
  ws.on('message', data => {
    const message = JSON.parse(String(data)) as { id?: number, method?: LineageNotificationName, params: Record<string, unknown> }
    if (message.method !== undefined) heard.push({ method: message.method, params: message.params })
    else answered()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => { resolve() })
    ws.once('error', reject)
  })
  // One answered call: the server has run this socket's handler, so its listeners are in place.
  await new Promise<void>(resolve => {
    answered = resolve
    ws.send('{"jsonrpc":"2.0","id":1,"method":"get_node_clock"}')
  })
  return { ws, heard }
}

const named = (heard: Heard[], method: LineageNotificationName): Array<Record<string, unknown>> => heard.filter(h => h.method === method).map(h => h.params)

describe('WebSocket notifications of import, export, pin and GC runs', () => {
  let running: TestNode
  let node: LineageNode
  let wsUrl: string
  let token: string
  let out: { dir: string, cleanup: () => void }
  let heads: string[]
  let id = 0

  async function call<T> (method: string, ...params: unknown[]): Promise<{ result?: T, error?: { code: number } }> {
    const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    return json as { result?: T, error?: { code: number } }
  }

  beforeAll(async () => {
    out = tempDir()
    // Offline: pinning an absent CID fails at once (online, the node would ask its peers for it first).
    running = await startTestNode({ offline: true })
    node = running.node
    wsUrl = running.base.replace('http:', 'ws:') + '/rpc/ws'
    token = readApiToken(node.config.dataDir) ?? ''
    const signer = ed25519Signer()
    const base = { method: 'metadata', chain_id: '1', token_address: '0x00000000000000000000000000000000000000e5', meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
    node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
    let edits = 0
    for (const tokenId of ['1', '2', '1']) node.lineage.publish(await signer.sign({ ...base, token_id: tokenId, data: JSON.stringify({ name: `#${tokenId}`, at: ++edits }) }))
    await node.lineage.settled()
    heads = node.store.db.prepare('SELECT head_cid FROM slots ORDER BY head_cid').pluck().all() as string[]
  })
  afterAll(async () => {
    await running.stop()
    out.cleanup()
  })

  it('sends pin progress and its end to every socket, the last progress carrying the final totals', async () => {
    const [a, b] = [await listen(wsUrl, token), await listen(wsUrl, token)]
    const pinned = (await call<PinInfo>('pin_add', heads[0])).result
    expect(pinned).toMatchObject({ cid: heads[0], recursive: true })
    for (const { heard } of [a, b]) {
      await expect.poll(() => named(heard, 'lineage:pin:done')).toEqual([pinned])
      const progress = named(heard, 'lineage:pin:progress')
      expect(progress.at(-1)).toEqual({ cid: heads[0], blocks: pinned?.blocks, bytes: pinned?.bytes })
      expect(heard.findIndex(h => h.method === 'lineage:pin:done')).toBeGreaterThan(heard.findIndex(h => h.method === 'lineage:pin:progress'))
    }
    const absent = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    expect((await call('pin_add', absent)).error?.code).toBe(RPC_ERROR_CODES.BlockMissingError)
    await expect.poll(() => named(a.heard, 'lineage:pin:failed')).toEqual([{ cid: absent, error: { code: RPC_ERROR_CODES.BlockMissingError, message: expect.stringContaining(absent) } }])
    a.ws.close()
    b.ws.close()
  })

  it('sends GC progress through mark and sweep, then what it freed', async () => {
    const { ws, heard } = await listen(wsUrl, token)
    const result = (await call<GcResultInfo>('gc', true)).result
    await expect.poll(() => named(heard, 'lineage:gc:done')).toEqual([{ dry_run: true, freed: result?.freed.length, bytes: result?.bytes }])
    const phases = named(heard, 'lineage:gc:progress').map(p => p.phase)
    expect(phases[0]).toBe('mark')
    expect(phases.at(-1)).toBe('sweep')
    expect(named(heard, 'lineage:gc:progress').every(p => p.dry_run === true)).toBe(true)
    ws.close()
  })

  it('sends export progress and result, then a CAR import\'s progress and report, to sockets holding the token only', async () => {
    const { ws, heard } = await listen(wsUrl, token)
    const anonymous = await listen(wsUrl)
    const file = path.join(out.dir, 'all.car')
    const exported = (await call<ExportResultInfo>('export_car', file)).result
    expect(exported).toMatchObject({ path: file, roots: [expect.stringMatching(/^bafyrei/)], heads: heads.length })
    await expect.poll(() => named(heard, 'lineage:export:done')).toEqual([exported])
    expect(named(heard, 'lineage:export:progress').at(-1)).toEqual({ path: file, blocks: exported?.blocks, bytes: exported?.bytes })

    expect((await call('export_car', file)).error?.code).toBe(RPC_ERROR_CODES.InvalidParams)
    await expect.poll(() => named(heard, 'lineage:export:failed')).toEqual([{ path: file, error: { code: RPC_ERROR_CODES.InvalidParams, message: expect.stringContaining('already exists') } }])

    const job = (await call<ImportStatusInfo>('import_car', file)).result?.job
    expect(job).toEqual(expect.any(String))
    await expect.poll(() => named(heard, 'lineage:import:done')).toEqual([{ job, report: expect.objectContaining({ job, state: 'done', done: exported?.blocks }) }])
    // A CAR import reads its blocks first, then replays its transactions (all already here).
    expect(named(heard, 'lineage:import:progress')[0]).toEqual({ job, phase: 'blocks', done: expect.any(Number), total: null, applied: 0, unchanged: 0, rejected: 0, skipped: 0, rate: expect.any(Number), eta_seconds: null })
    expect(named(heard, 'lineage:import:progress').at(-1)).toMatchObject({ job, phase: 'transactions', rejected: 0 })
    // Paths, job ids and reports are the owner's: a socket without the token heard none of it.
    expect(anonymous.heard).toEqual([])
    ws.close()
    anonymous.ws.close()
  })

  it('removes each socket\'s listeners when it closes', async () => {
    // The earlier tests' sockets are closed by now; their close may still be on its way.
    await expect.poll(() => node.api.events.listenerCount('notification')).toBe(0)
    const applied = node.lineage.listenerCount('applied')
    const sockets = await Promise.all([listen(wsUrl, token), listen(wsUrl, token), listen(wsUrl, token)])
    await expect.poll(() => node.api.events.listenerCount('notification')).toBe(3)
    expect(node.lineage.listenerCount('applied')).toBe(applied + 3)
    for (const { ws } of sockets) ws.close()
    await expect.poll(() => node.api.events.listenerCount('notification')).toBe(0)
    await expect.poll(() => node.lineage.listenerCount('applied')).toBe(applied)
  })
})
