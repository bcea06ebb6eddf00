import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { buildServiceBytes } from '../../services/toolchain/builder/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { postRpc } from '../helpers/rpc.js'
import { ed25519Signer } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

// A whole `lineage-node start` process, a contract deployed over the API like any creator's (built
// with the project's toolchain, hostile on request: test/marine/fixtures/hostile-meta), and an
// unrelated collection on the built-in `open` contract. Default budgets: what a user runs.
const A = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000aa' }
const B = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000bb' }
const TIMEOUT_REASON = 'Meta contract hostile did not finish on_execute within 2000 ms and was stopped'

interface Reply { result?: unknown, error?: { code: number, message: string } }
interface Receipt { status: string, reason: string }

describe('one contract cannot hurt another collection, through a real lineage-node process', () => {
  let node: StartedNode
  let cleanup: () => void
  let token = ''
  let signer: TestSigner
  let id = 0
  let tokenId = 0

  const call = async (method: string, params: unknown[], withToken = false): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) }
    return (await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), headers)).json as Reply
  }
  const publish = async (fields: Record<string, string>): Promise<string> => {
    const reply = await call('publish', [await signer.sign({ method: 'metadata', token_id: String(++tokenId), alias: '', version: 'v1', mcdata: '', ...fields } as never)])
    const hash = (reply.result as { hash?: string } | undefined)?.hash
    if (hash === undefined) throw new Error(`publish refused: ${JSON.stringify(reply.error)}`)
    return hash
  }
  const receipt = async (hash: string): Promise<Receipt | null> => (await call('get_transaction_receipt', [hash])).result as Receipt | null
  /** Asks until the receipt exists (a progress fact, not a timing one). */
  const settled = async (hash: string): Promise<Receipt> => await waitFor(`the receipt of ${hash}`, async () => await receipt(hash), { intervalMs: 20 })

  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    node = await startNodeProcess(['--data-dir', t.dir, ...TEST_NODE_ARGS])
    token = readApiToken(t.dir) ?? ''
    const wasm = (await buildServiceBytes(path.join(repoRoot, 'test', 'marine', 'fixtures', 'hostile-meta'))).wasm
    expect((await call('deploy_meta_contract', ['hostile', Buffer.from(wasm).toString('base64')], true)).error).toBeUndefined()
    signer = ed25519Signer()
    for (const [collection, contract] of [[A, 'hostile'], [B, 'open']] as const) {
      const bound = await call('publish', [await signer.sign({ method: 'contract', ...collection, token_id: '', meta_contract_id: contract, alias: '', version: '', data: '{}', mcdata: '' } as never)])
      expect(await settled((bound.result as { hash: string }).hash)).toMatchObject({ status: 'applied' })
    }
  }, 120_000)
  afterAll(async () => {
    node.child.kill('SIGTERM')
    await node.exited
    cleanup()
  })

  it('gives B its receipt while A\'s looping writes are still undecided, then refuses them by name and applies A\'s next write', async () => {
    const loops = [await publish({ ...A, meta_contract_id: 'hostile', data: '{"attack":"loop"}' }), await publish({ ...A, meta_contract_id: 'hostile', data: '{"attack":"loop"}' })]
    const b = await publish({ ...B, meta_contract_id: 'open', data: '{"name":"B"}' })
    expect(await settled(b)).toMatchObject({ status: 'applied', reason: '' })
    // When B had its receipt, neither of A's writes had one: A's first was still within its budget.
    expect(await Promise.all(loops.map(receipt))).toEqual([null, null])
    for (const hash of loops) expect(await settled(hash)).toEqual(expect.objectContaining({ status: 'rejected', reason: TIMEOUT_REASON }))
    const next = await publish({ ...A, meta_contract_id: 'hostile', data: '{"name":"harmless"}' })
    expect(await settled(next)).toMatchObject({ status: 'applied' })
  }, 60_000)

  it('names a memory failure in the receipt and applies the very next harmless write', async () => {
    const bad = await publish({ ...A, meta_contract_id: 'hostile', data: '{"attack":"memory"}' })
    const next = await publish({ ...A, meta_contract_id: 'hostile', data: '{"name":"after"}' })
    expect(await settled(bad)).toMatchObject({ status: 'rejected', reason: 'Meta contract hostile ran out of memory in on_execute: a contract may use at most 32 MiB, and it was stopped' })
    expect(await settled(next)).toMatchObject({ status: 'applied' })
  }, 60_000)

  it('runs validate_metadata only for a holder of the API token', async () => {
    const candidate = { ...A, token_id: '1', data: '{"attack":"recursion"}' }
    expect((await call('validate_metadata', [candidate])).error).toMatchObject({ code: -32004 })
    expect((await call('validate_metadata', [candidate], true)).result).toMatchObject({ ok: false, failure: 'ContractStackOverflowError', reason: 'Meta contract hostile overflowed its call stack in on_execute (recursion too deep) and was stopped' })
  }, 60_000)
})
