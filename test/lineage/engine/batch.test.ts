import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLineage } from '../../../src-main/lineage/engine/index.js'
import type { Lineage } from '../../../src-main/lineage/engine/index.js'
import type { TransactionRequest } from '../../../src-main/lineage/signing/index.js'
import { createContractSandbox, keysFromService } from '../../../src-main/marine/index.js'
import { createBlockstore, createStore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import type { Store } from '../../../src-main/store/index.js'
import { loadMarineService } from '../../../services/toolchain/index.js'
import { buildServiceBytes } from '../../../services/toolchain/builder/index.js'
import { testLog } from '../../helpers/logger.js'
import { repoRoot } from '../../helpers/processes.js'
import { builtService } from '../../helpers/services.js'
import { ed25519Signer, evmSigner } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { tempDir } from '../../helpers/temp-dir.js'

const OPEN = { chain_id: '1', token_address: '0x5af0d9827e0c53e4799bb226655a1de152a425a5', meta_contract_id: 'open' }
const ERC721 = { chain_id: '1', token_address: '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e', meta_contract_id: 'erc721' }
/** Block timestamps are part of the CIDs: both engines run at the same fixed time. */
const NOW = 1_750_000_000_000

/** `order`: outcomes as heard, per collection (token_key): collections are applied side by side, each in order. */
interface Rig { store: Store, lineage: Lineage, order: Map<string, string[]>, close(): Promise<void> }

async function createRig (): Promise<Rig> {
  const t = tempDir()
  const store = createStore({ log: testLog }, { dataDir: t.dir })
  store.start()
  const sandbox = createContractSandbox({ log: testLog }, { callTimeoutMs: 2000 })
  for (const id of ['open', 'erc721']) await sandbox.load(id, builtService(id))
  const keysService = await loadMarineService(builtService('keys'), 'keys')
  const lineage = createLineage({ store, blockstore: createBlockstore(store, { transactionRows: ledgerReads }), sandbox, keys: keysFromService(keysService), log: testLog })
  lineage.start()
  const order = new Map<string, string[]>()
  const hear = (o: { hash: string, token_key: string }): void => { order.set(o.token_key, [...order.get(o.token_key) ?? [], o.hash]) }
  lineage.on('applied', hear)
  lineage.on('rejected', hear)
  return {
    store,
    lineage,
    order,
    async close () {
      await lineage.stop()
      await sandbox.stop()
      keysService.terminate()
      store.stop()
      t.cleanup()
    },
  }
}

const doc = (name: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ name, description: 'd', image: 'ipfs://bafy', ...extra })

/** Everything the validator wrote, in a comparable form. */
function state (store: Store): unknown {
  return {
    receipts: store.db.prepare('SELECT hash, status, reason, heads, timestamp FROM receipts ORDER BY hash').all(),
    transactions: store.db.prepare('SELECT hash, status FROM transactions ORDER BY seq').all(),
    slots: store.db.prepare('SELECT * FROM slots ORDER BY data_key, meta_contract_id, public_key, alias, version').all(),
    bindings: store.db.prepare('SELECT * FROM contract_bindings ORDER BY token_key').all(),
    blocks: (store.db.prepare('SELECT count(*) AS n FROM blocks').get() as { n: number }).n,
  }
}

describe('validator group commit and publishBatch', () => {
  const rigs: Rig[] = []
  afterEach(async () => {
    vi.restoreAllMocks()
    for (const rig of rigs.splice(0)) await rig.close()
  })

  /** Bindings, then a mix that repeats slots and tokens, clones, and rejections, all signed once. */
  async function scenario (binder: TestSigner, fan: TestSigner): Promise<{ bindings: TransactionRequest[], items: TransactionRequest[] }> {
    // Signed a millisecond apart: publish order is then canonical order, the order every node applies.
    let signedAt = NOW
    const sign = async (signer: TestSigner, fields: Record<string, string>): Promise<TransactionRequest> =>
      signer.sign({ method: 'metadata', ...OPEN, token_id: '1', alias: '', version: 'v1', data: '', mcdata: '', ...fields, timestamp: ++signedAt } as never)
    const bindings = [
      await sign(binder, { method: 'contract', token_id: '', data: '{}' }),
      await sign(binder, { method: 'contract', ...ERC721, token_id: '', data: '{}' }),
    ]
    const items = [
      await sign(binder, { token_id: '1', alias: 'lore', data: '{"chapter":1}' }),
      await sign(binder, { token_id: '2', alias: 'lore', data: '{"chapter":1}' }),
      // The same slot twice in a row: the second version must link to the first.
      await sign(binder, { token_id: '1', alias: 'lore', data: '{"chapter":2}' }),
      // A clone of a slot written earlier in the same batch: must copy chapter 2.
      await sign(fan, { method: 'clone', token_id: '1', alias: 'copy', mcdata: JSON.stringify({ public_key: binder.publicKey.toLowerCase(), alias: 'lore', version: 'v1' }) }),
      await sign(binder, { ...ERC721, token_id: '7', data: doc('Seven') }),
      await sign(binder, { ...ERC721, token_id: '8', data: doc('Eight', { background_color: 'red' }) }),
      await sign(binder, { ...ERC721, token_id: '7', data: doc('Seven, revised') }),
      await sign(binder, { token_id: '3', alias: 'lore', data: '{"chapter":1}' }),
      await sign(binder, { token_id: '1', alias: 'lore', data: '{"chapter":3}' }),
      await sign(binder, { ...ERC721, token_id: '8', data: doc('Eight') }),
    ]
    return { bindings, items }
  }

  it('applies a batch with the same heads, receipts and order as one transaction at a time', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW)
    const { bindings, items } = await scenario(evmSigner(), ed25519Signer())

    const one = await createRig()
    rigs.push(one)
    for (const request of [...bindings, ...items]) {
      one.lineage.publish(request)
      await one.lineage.settled()
    }

    const batched = await createRig()
    rigs.push(batched)
    for (const request of bindings) batched.lineage.publish(request)
    await batched.lineage.settled()
    const commits = vi.spyOn(batched.store.db, 'transaction')
    const results = batched.lineage.publishBatch(items)
    expect(results.every(r => r.error === undefined)).toBe(true)
    await batched.lineage.settled()
    // One commit for the publish, then the validator's groups: fewer than one per transaction.
    expect(commits.mock.calls.length).toBeLessThan(1 + items.length)

    expect(batched.order).toEqual(one.order)
    expect(state(batched.store)).toEqual(state(one.store))

    const receipts = results.map(r => batched.lineage.receipt(r.hash ?? ''))
    expect(receipts.map(r => r?.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'rejected', 'applied', 'applied', 'applied', 'applied'])
    const dataKey = batched.lineage.dataKey(OPEN.chain_id, OPEN.token_address, '1')
    const fanCopy = batched.lineage.slotsAtVersion(dataKey, 'v1').find(s => s.alias === 'copy')
    expect(fanCopy?.content).toEqual({ chapter: 2 })
    const lore = batched.lineage.slotsAtVersion(dataKey, 'v1').find(s => s.alias === 'lore')
    expect(lore?.content).toEqual({ chapter: 3 })
    expect((await batched.lineage.history(lore!)).map(v => v.content)).toEqual([{ chapter: 3 }, { chapter: 2 }, { chapter: 1 }])
  }, 60_000)

  it('publishBatch checks each request in order, stores only those that pass, and returns the reasons', async () => {
    const rig = await createRig()
    rigs.push(rig)
    const binder = ed25519Signer()
    rig.lineage.publish(await binder.sign({ method: 'contract', ...OPEN, token_id: '', alias: '', version: '', data: '{}', mcdata: '' }))
    await rig.lineage.settled()
    const sign = async (fields: Record<string, string>): Promise<TransactionRequest> =>
      binder.sign({ method: 'metadata', ...OPEN, token_id: '1', alias: '', version: 'v1', data: '{}', mcdata: '', ...fields } as never)

    const good = await sign({ token_id: '1', nonce: 'a'.repeat(32) })
    const replay = await sign({ token_id: '2', nonce: 'a'.repeat(32) })
    const tampered = { ...(await sign({ token_id: '3' })), data: '{"x":1}' }
    const unbound = await sign({ token_address: '0x0000000000000000000000000000000000000001', token_id: '4' })
    const last = await sign({ token_id: '5' })
    const before = (rig.store.db.prepare('SELECT count(*) AS n FROM transactions').get() as { n: number }).n

    const results = rig.lineage.publishBatch([good, replay, tampered, unbound, last])
    expect(results.map(r => r.error?.name)).toEqual([undefined, 'ReplayedTransactionError', 'InvalidSignatureError', 'CollectionNotBoundError', undefined])
    expect((results[1]?.error as Error & { existingHash: string }).existingHash).toBe(results[0]?.hash)
    await rig.lineage.settled()
    expect((rig.store.db.prepare('SELECT count(*) AS n FROM transactions').get() as { n: number }).n).toBe(before + 2)
    expect(rig.lineage.receipt(results[0]?.hash ?? '')?.status).toBe('applied')
    expect(rig.lineage.receipt(results[4]?.hash ?? '')?.status).toBe('applied')
  }, 60_000)

  it('publishBatch checks a request against a binding accepted earlier in the same batch', async () => {
    const rig = await createRig()
    rigs.push(rig)
    const binder = ed25519Signer()
    const other = ed25519Signer()
    const metadata = async (tokenId: string): Promise<TransactionRequest> =>
      binder.sign({ method: 'metadata', ...OPEN, token_id: tokenId, alias: '', version: 'v1', data: '{}', mcdata: '' })
    // Unbound at first, bound once the binding is stored, and then owned by its key alone.
    const early = await metadata('1')
    const binding = await binder.sign({ method: 'contract', ...OPEN, token_id: '', alias: '', version: '', data: '{}', mcdata: '' })
    const late = await metadata('2')
    const rebind = await other.sign({ method: 'contract', ...OPEN, token_id: '', alias: '', version: '', data: '{}', mcdata: '' })

    const results = rig.lineage.publishBatch([early, binding, late, rebind])
    expect(results.map(r => r.error?.name)).toEqual(['CollectionNotBoundError', undefined, undefined, 'BindingOwnerError'])
    await rig.lineage.settled()
    expect(rig.lineage.receipt(results[2]?.hash ?? '')?.status).toBe('applied')
  }, 60_000)

  it('publishBatch refuses everything when the engine is stopped', async () => {
    const rig = await createRig()
    rigs.push(rig)
    await rig.lineage.stop()
    expect(() => rig.lineage.publishBatch([])).toThrowError(expect.objectContaining({ name: 'LineageStoppedError' }))
  }, 60_000)

  it('callMany answers each call as call would, in order, a failure failing only its own call', async () => {
    const sandbox = createContractSandbox({ log: testLog }, { callTimeoutMs: 2000 })
    try {
      await sandbox.load('open', builtService('open'))
      const calls = [
        { id: 'open', fn: 'on_clone', args: [] },
        { id: 'nope', fn: 'on_clone', args: [] },
        { id: 'open', fn: 'no_such_function', args: [] },
        { id: 'open', fn: 'on_clone', args: [] },
      ]
      const single = await Promise.all(calls.map(async c => sandbox.call(c.id, c.fn, c.args).then(value => ({ ok: true, value }), (err: Error) => ({ ok: false, name: err.name, message: err.message }))))
      const many = (await sandbox.callMany(calls)).map(r => (r.ok ? r : { ok: false, name: r.error.name, message: r.error.message }))
      expect(many).toEqual(single)
      expect(many.map(r => r.ok)).toEqual([true, false, false, true])
      expect(await sandbox.callMany([])).toEqual([])
    } finally {
      await sandbox.stop()
    }
  }, 60_000)

  it('callMany past its budget finds the looping call with exact budgets and answers the others', async () => {
    const hostile = (await buildServiceBytes(path.join(repoRoot, 'test', 'marine', 'fixtures', 'hostile'))).wasm
    const sandbox = createContractSandbox({ log: testLog }, { callTimeoutMs: 500, maxMemoryPages: 64 })
    try {
      await sandbox.load('hostile', hostile)
      const results = await sandbox.callMany([
        { id: 'hostile', fn: 'echo', args: ['before'] },
        { id: 'hostile', fn: 'spin', args: [1] },
        { id: 'hostile', fn: 'echo', args: ['after'] },
      ])
      expect(results.map(r => (r.ok ? r.value : r.error.name))).toEqual(['before', 'ContractTimeoutError', 'after'])
      expect(await sandbox.call('hostile', 'echo', ['still serving'])).toBe('still serving')
    } finally {
      await sandbox.stop()
    }
  }, 120_000)
})
