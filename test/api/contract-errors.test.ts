/**
 * Hostile contracts built with the project's own toolchain (test/api/fixtures/hostile-contracts),
 * deployed and run through a real node: what their failures tell clients (the deploy's error,
 * a write's receipt, the WebSocket's rejection event, validate_metadata's reason) is said in the
 * author's terms, with no JavaScript stack, install path or marine-js vocabulary (issue 15 §7).
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { buildServiceBytes } from '../../services/toolchain/builder/index.js'
import { errorTexts, leaksIn } from '../helpers/leaks.js'
import { recordingTestLogger } from '../helpers/logger.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hostile-contracts')
const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000e7' }

describe('a hostile contract\'s failures, as clients hear them', () => {
  let running: TestNode
  let token: string
  let wasm: Record<'start-trap' | 'exec-trap', string>
  const recorded = recordingTestLogger()
  const rpc = async (method: string, params: unknown): Promise<{ result?: unknown, error?: { code: number, message: string } }> => {
    const response = await fetch(`${running.base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
    return await response.json() as { result?: unknown, error?: { code: number, message: string } }
  }
  const clean = (value: unknown): string[] => errorTexts(value).flatMap(text => leaksIn(text, { dataDir: running.node.config.dataDir }))

  beforeAll(async () => {
    const [startTrap, execTrap] = await Promise.all(['start-trap', 'exec-trap'].map(async name => Buffer.from((await buildServiceBytes(path.join(FIXTURES, name))).wasm).toString('base64')))
    wasm = { 'start-trap': startTrap ?? '', 'exec-trap': execTrap ?? '' }
    running = await startTestNode({ offline: true }, { logger: recorded.logger })
    token = readApiToken(running.node.config.dataDir) ?? ''
  })
  afterAll(async () => { await running.stop() })

  it('a module whose start code traps is refused as such, and nothing is stored', async () => {
    const { error } = await rpc('deploy_meta_contract', ['start-trap', wasm['start-trap']])
    expect(error).toEqual({ code: RPC_ERROR_CODES.ContractModuleError, data: { name: 'ContractModuleError' }, message: 'Meta contract start-trap cannot be loaded: its start code failed: it reached unreachable code (an abort or a failed assertion)' })
    expect(clean({ error })).toEqual([])
    expect((await rpc('get_meta_contract_by_id', ['start-trap'])).result).toBeNull()
    // The engine's own account stays on this machine, in the node's log.
    expect(recorded.lines.some(line => line.text.includes('deploy_meta_contract refused') && line.text.includes('RuntimeError: unreachable'))).toBe(true)
  })

  it('a contract that traps on a write: the receipt, the rejection event and validate_metadata say so plainly', async () => {
    expect((await rpc('deploy_meta_contract', ['exec-trap', wasm['exec-trap']])).result).toMatchObject({ meta_contract_id: 'exec-trap' })
    const socket = new WebSocket(`${running.base.replace('http', 'ws')}/rpc/ws`, ['lineage.jsonrpc', `lineage.token.${token}`], { headers: { origin: running.base } })
    const heard: Array<{ method: string, params: { hash: string, reason: string } }> = []
    socket.on('message', data => { heard.push(JSON.parse(String(data)) as never) })
    await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject) })

    const signer = evmSigner()
    const fields = { ...COLLECTION, meta_contract_id: 'exec-trap', alias: '', version: 'v1', mcdata: '' }
    expect((await rpc('publish', [await signer.sign({ ...fields, method: 'contract', token_id: '', data: '{}' })])).error).toBeUndefined()
    const write = await rpc('publish', [await signer.sign({ ...fields, method: 'metadata', token_id: '1', data: '{"text":"hello"}' })])
    const hash = (write.result as { hash: string }).hash
    await running.node.lineage.settled()

    const trapped = 'Meta contract exec-trap failed in on_execute: the module trapped (unreachable code, a memory access out of bounds, or its memory ran out)'
    const receipt = await rpc('get_transaction_receipt', [hash])
    expect(receipt.result).toMatchObject({ status: 'rejected', reason: trapped })
    const rejected = await waitFor('the socket to hear the rejection', () => heard.find(n => n.method === 'lineage:transaction:rejected' && n.params.hash === hash), { intervalMs: 10 })
    expect(rejected.params.reason).toBe(trapped)
    socket.close()

    const dryRun = await rpc('validate_metadata', [{ ...COLLECTION, token_id: '2', data: '{"text":"hi"}' }])
    expect(dryRun.result).toMatchObject({ ok: false, reason: trapped })
    expect([...clean(receipt), ...clean(heard), ...clean(dryRun)]).toEqual([])
  })
})
