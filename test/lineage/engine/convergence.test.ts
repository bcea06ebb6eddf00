// Convergence: the same set of signed transactions, delivered in any order (and any batching),
// ends with the same slots, bindings, receipts and blocks on every node, as if applied one at a
// time in canonical (timestamp, hash) order. Real SQLite, real Marine contracts.
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { decodeVersionBlock } from '../../../src-main/dag/index.js'
import { createLineage } from '../../../src-main/lineage/engine/index.js'
import type { Lineage, Rewind } from '../../../src-main/lineage/engine/index.js'
import { checkSignedTransaction, MAX_CLOCK_SKEW_MS } from '../../../src-main/lineage/signing/index.js'
import type { TransactionRequest } from '../../../src-main/lineage/signing/index.js'
import { createContractSandbox, keysFromService } from '../../../src-main/marine/index.js'
import type { ContractSandbox } from '../../../src-main/marine/index.js'
import { createBlockstore, createStore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore, Store } from '../../../src-main/store/index.js'
import { loadMarineService } from '../../../services/toolchain/index.js'
import type { MarineServiceHandle } from '../../../services/toolchain/index.js'
import { testLog } from '../../helpers/logger.js'
import { builtService } from '../../helpers/services.js'
import { ed25519Signer, evmSigner } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { tempDir } from '../../helpers/temp-dir.js'

const OPEN = { chain_id: '1', token_address: '0x5af0d9827e0c53e4799bb226655a1de152a425a5', meta_contract_id: 'open' }
const T = 1_750_000_000_000

let sandbox: ContractSandbox
let keysService: MarineServiceHandle
const cleanups: Array<() => void> = []

interface Engine { store: Store, blockstore: SqliteBlockstore, lineage: Lineage, rewinds: Rewind[], close(): Promise<void> }

/** An engine on `dir` (a fresh one if none): the database outlives `close`, as after a crash. */
function openEngine (dir?: string, contracts: ContractSandbox = sandbox): Engine & { dir: string } {
  let folder = dir
  if (folder === undefined) {
    const t = tempDir()
    cleanups.push(t.cleanup)
    folder = t.dir
  }
  const store = createStore({ log: testLog }, { dataDir: folder })
  store.start()
  const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
  const lineage = createLineage({ store, blockstore, sandbox: contracts, keys: keysFromService(keysService), log: testLog })
  const rewinds: Rewind[] = []
  lineage.on('rewound', r => rewinds.push(r))
  lineage.start()
  return { dir: folder, store, blockstore, lineage, rewinds, async close () { await lineage.stop(); store.stop() } }
}

beforeAll(async () => {
  sandbox = createContractSandbox({ log: testLog }, { callTimeoutMs: 5000 })
  for (const id of ['open', 'erc721']) await sandbox.load(id, builtService(id))
  keysService = await loadMarineService(builtService('keys'), 'keys')
}, 120_000)

afterAll(async () => {
  await sandbox.stop()
  keysService.terminate()
  for (const cleanup of cleanups) cleanup()
})

const doc = (name: string): string => JSON.stringify({ name, description: 'd', image: 'ipfs://bafy' })

interface Scenario {
  owner: TestSigner
  other: TestSigner
  all: TransactionRequest[]
  laptop: TransactionRequest
  phone: TransactionRequest
  tie: [TransactionRequest, TransactionRequest]
  /** An erc721 write of token 1, whose first versions predate the rebind. */
  afterRebind: TransactionRequest
  /** Writes of what their slot already holds at their place in canonical order: applied, unchanged. */
  again: TransactionRequest[]
}

/** One collection: a binding, several tokens, concurrent edits of one slot, a tie, rebinds, rejections. */
async function scenario (): Promise<Scenario> {
  const owner = ed25519Signer()
  const other = evmSigner()
  const sign = async (signer: TestSigner, at: number, fields: Record<string, string>): Promise<TransactionRequest> =>
    signer.sign({ method: 'metadata', ...OPEN, token_id: '1', alias: 'lore', version: 'v1', data: '{}', mcdata: '', ...fields, timestamp: T + at } as never)
  // The owner's two devices edit the same slot offline: the phone's edit is later.
  const laptop = await sign(owner, 4000, { data: '{"v":"laptop"}' })
  const phone = await sign(owner, 4500, { data: '{"v":"phone"}' })
  // Two edits of one slot signed in the same millisecond: the hash decides.
  const tie: [TransactionRequest, TransactionRequest] = [await sign(owner, 5000, { token_id: '3', alias: '', data: '{"t":"a"}' }), await sign(owner, 5000, { token_id: '3', alias: '', data: '{"t":"b"}' })]
  const all = [
    await sign(owner, 1000, { method: 'contract', token_id: '', alias: '', version: '', data: '{}' }),
    await sign(owner, 2000, { data: '{"v":1}' }),
    await sign(owner, 3000, { token_id: '2', alias: '', data: '{"name":"two"}' }),
    // A clone of a slot that does not exist (yet, in canonical order): rejected.
    await sign(other, 3500, { method: 'clone', alias: 'copy', mcdata: JSON.stringify({ public_key: owner.publicKey, alias: 'lore', version: 'v2' }) }),
    laptop,
    phone,
    ...tie,
    await sign(other, 5200, { alias: 'fan', data: '{"x":1}' }),
    // Copies whatever the owner's lore slot holds at this point of canonical order: the phone's.
    await sign(other, 5500, { method: 'clone', alias: 'copy', mcdata: JSON.stringify({ public_key: owner.publicKey, alias: 'lore', version: 'v1' }) }),
    // Not the owner: rejected, whenever it arrives.
    await sign(other, 6000, { method: 'contract', token_id: '', alias: '', version: '', data: '{}' }),
    // The owner rebinds to erc721: "open" writes after it are rejected, erc721 ones before it too.
    await sign(owner, 6500, { token_id: '2', alias: '', meta_contract_id: 'erc721', data: doc('too early') }),
    await sign(owner, 7000, { method: 'contract', meta_contract_id: 'erc721', token_id: '', alias: '', version: '', data: '{}' }),
    await sign(other, 7500, { token_id: '2', alias: 'fan', data: '{"x":2}' }),
    await sign(owner, 8000, { token_id: '2', alias: '', meta_contract_id: 'erc721', data: doc('Two') }),
    await sign(owner, 8500, { token_id: '4', alias: '', meta_contract_id: 'erc721', data: doc('Four') }),
    await sign(owner, 8800, { alias: '', meta_contract_id: 'erc721', data: doc('One') }),
    await sign(owner, 8900, { alias: '', meta_contract_id: 'erc721', data: doc('One, again') }),
  ]
  const afterRebind = all[all.length - 2] as TransactionRequest
  const again = [
    // The laptop's content once more, signed before the phone's edit: the slot already holds it then.
    await sign(owner, 4200, { data: '{"v":"laptop"}' }),
    // The same clone again: the copy already holds the phone's content.
    await sign(other, 5600, { method: 'clone', alias: 'copy', mcdata: JSON.stringify({ public_key: owner.publicKey, alias: 'lore', version: 'v1' }) }),
    // The main document again, its keys in another order: the same document.
    await sign(owner, 8950, { alias: '', meta_contract_id: 'erc721', data: JSON.stringify({ image: 'ipfs://bafy', description: 'd', name: 'One, again' }) }),
  ]
  all.push(...again)
  return { owner, other, all, laptop, phone, tie, afterRebind, again }
}

/** A seeded shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T> (items: readonly T[], seed: number): T[] {
  let s = seed >>> 0
  const random = (): number => {
    s = (s + 0x6D2B79F5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

const canonical = (txs: readonly TransactionRequest[], hashes: Map<TransactionRequest, string>): TransactionRequest[] =>
  [...txs].sort((a, b) => a.timestamp - b.timestamp || ((hashes.get(a) ?? '') < (hashes.get(b) ?? '') ? -1 : 1))

/** Delivers the transactions as replication would: in batches of `size`, waiting for the validator after each when `settle`. */
async function deliver (engine: Engine, txs: readonly TransactionRequest[], size: number, settle: boolean): Promise<void> {
  for (let i = 0; i < txs.length; i += size) {
    const results = engine.lineage.publishBatch(txs.slice(i, i + size), { replicated: true })
    for (const r of results) expect(r.error).toBeUndefined()
    if (settle) await engine.lineage.settled()
  }
  await engine.lineage.settled()
}

/** Every block reachable from the slot heads, by CID, as hex. */
function reachableBlocks (engine: Engine): Record<string, string> {
  const blocks: Record<string, string> = {}
  const heads = engine.store.db.prepare('SELECT head_cid FROM slots').pluck().all() as string[]
  for (const head of heads) {
    let cid: CID | undefined = CID.parse(head)
    while (cid !== undefined && blocks[cid.toString()] === undefined) {
      const bytes = engine.blockstore.getSync(cid)
      if (bytes === undefined) throw new Error(`block ${cid.toString()} is missing`)
      blocks[cid.toString()] = Buffer.from(bytes).toString('hex')
      cid = decodeVersionBlock(bytes).previous
    }
  }
  return blocks
}

/** What must be identical on every node: all of it but the receipts' local time and the arrival order. */
function state (engine: Engine): unknown {
  const { db } = engine.store
  return {
    slots: db.prepare('SELECT * FROM slots ORDER BY data_key, meta_contract_id, public_key, alias, version').all(),
    bindings: db.prepare('SELECT * FROM contract_bindings ORDER BY token_key').all(),
    outcomes: db.prepare(`SELECT t.hash, t.status, r.status AS receipt, r.reason, r.heads, r.unchanged
      FROM transactions t LEFT JOIN receipts r ON r.hash = t.hash ORDER BY t.hash`).all(),
    blocks: reachableBlocks(engine),
  }
}

describe('convergence', () => {
  let s: Scenario
  let reference: Engine
  let expected: unknown
  const hashes = new Map<TransactionRequest, string>()

  beforeAll(async () => {
    s = await scenario()
    for (const tx of s.all) hashes.set(tx, checkSignedTransaction(tx).hash)
    // The reference applies each transaction alone, in canonical order: the definition.
    reference = openEngine()
    for (const tx of canonical(s.all, hashes)) {
      reference.lineage.publishBatch([tx], { replicated: true })
      await reference.lineage.settled()
    }
    expect(reference.rewinds).toEqual([])
    expected = state(reference)
  }, 120_000)

  afterAll(async () => { await reference.close() })

  it('the reference ends as the rule says: last writer by timestamp on top, both edits in history, ties by hash', async () => {
    const { lineage } = reference
    const token = (id: string): string => lineage.dataKey(OPEN.chain_id, OPEN.token_address, id)
    const lore = lineage.slot({ data_key: token('1'), meta_contract_id: 'open', public_key: s.owner.publicKey, alias: 'lore', version: 'v1' })
    expect(lore?.content).toEqual({ v: 'phone' })
    expect((await lineage.history(lore!)).map(v => v.content)).toEqual([{ v: 'phone' }, { v: 'laptop' }, { v: 1 }])
    expect((await lineage.history(lore!)).map(v => v.timestamp)).toEqual([T + 4500, T + 4000, T + 2000])
    const copy = lineage.slot({ data_key: token('1'), meta_contract_id: 'open', public_key: s.other.publicKey.toLowerCase(), alias: 'copy', version: 'v1' })
    expect(copy?.content).toEqual({ v: 'phone' })

    const [first, second] = [...s.tie].sort((a, b) => ((hashes.get(a) ?? '') < (hashes.get(b) ?? '') ? -1 : 1))
    const tied = lineage.slot({ data_key: token('3'), meta_contract_id: 'open', public_key: s.owner.publicKey, alias: '', version: 'v1' })
    expect(tied?.content).toEqual(JSON.parse(second?.data ?? ''))
    expect((await lineage.history(tied!)).map(v => v.content)).toEqual([JSON.parse(second?.data ?? ''), JSON.parse(first?.data ?? '')])

    const status = (i: number): [string | undefined, string | undefined] => {
      const receipt = lineage.receipt(hashes.get(s.all[i] as TransactionRequest) ?? '')
      return [receipt?.status, receipt?.reason]
    }
    expect(s.all.map((_, i) => status(i)[0])).toEqual([
      'applied', 'applied', 'applied', 'rejected', 'applied', 'applied', 'applied', 'applied', 'applied', 'applied', 'rejected', 'rejected', 'applied', 'rejected', 'applied', 'applied', 'applied', 'applied',
      'applied', 'applied', 'applied',
    ])
    // Writing what the slot holds stores nothing: no version, no head move; the receipt names the version holding it.
    const receipts = s.all.map(tx => lineage.receipt(hashes.get(tx) ?? ''))
    expect(receipts.map(r => r?.unchanged)).toEqual(s.all.map(tx => s.again.includes(tx)))
    const main = lineage.slot({ data_key: token('1'), meta_contract_id: 'erc721', public_key: s.owner.publicKey, alias: '', version: 'v1' })
    expect(receipts.at(-1)?.heads).toEqual([main?.head_cid])
    expect(main?.last_tx).toBe(hashes.get(s.all[17] as TransactionRequest))
    expect(receipts.at(-2)?.heads).toEqual([copy?.head_cid])
    expect((await lineage.history(copy!)).map(v => v.content)).toEqual([{ v: 'phone' }])
    expect(status(3)[1]).toBe('the slot to clone does not exist')
    expect(status(10)[1]).toContain('only the key that bound this collection')
    expect(status(11)[1]).toContain('governed by "open", not "erc721"')
    expect(status(13)[1]).toContain('governed by "erc721", not "open"')
    expect(lineage.binding(lineage.tokenKey(OPEN.chain_id, OPEN.token_address))).toMatchObject({ meta_contract_id: 'erc721', public_key: s.owner.publicKey })
  })

  const orders: Array<[string, (txs: TransactionRequest[]) => TransactionRequest[], number, boolean]> = [
    ['reverse, one batch', txs => [...txs].reverse(), 100, false],
    ['reverse, one at a time, each applied before the next arrives', txs => [...txs].reverse(), 1, true],
    ['metadata first, the bindings last, in batches of 4', txs => [...txs.filter(t => t.method !== 'contract'), ...txs.filter(t => t.method === 'contract')], 4, true],
    ['seed 1, one at a time', txs => shuffled(txs, 1), 1, true],
    ['seed 2, batches of 3, applied', txs => shuffled(txs, 2), 3, true],
    ['seed 3, batches of 5, not waiting', txs => shuffled(txs, 3), 5, false],
    ['seed 4, one batch', txs => shuffled(txs, 4), 100, false],
  ]
  for (const [name, order, size, settle] of orders) {
    it(`ends identical to the reference: ${name}`, async () => {
      const engine = openEngine()
      try {
        await deliver(engine, order(s.all), size, settle)
        expect(state(engine)).toEqual(expected)
        expect(engine.store.db.prepare("SELECT count(*) FROM transactions WHERE status = 'pending'").pluck().get()).toBe(0)
      } finally {
        await engine.close()
      }
    }, 120_000)
  }

  it('an in-order batch landing after everything held rewinds nothing; a late edit older than a rebind rewinds the collection', async () => {
    const engine = openEngine()
    try {
      const inOrder = canonical(s.all, hashes)
      const [early, late] = [inOrder.slice(0, 4), inOrder.slice(4)]
      await deliver(engine, early, 100, false)
      await deliver(engine, late.filter(t => t !== s.laptop), 100, false)
      expect(engine.rewinds).toEqual([])
      // The laptop's edit of token 1 arrives last, older than the phone's and than the rebind:
      // applied again after the rebind, token 1's first versions would see it, so the collection goes back.
      await deliver(engine, [s.laptop], 1, false)
      expect(engine.rewinds.map(r => r.data_key === undefined ? 'collection' : 'token')).toEqual(['collection'])
      expect(state(engine)).toEqual(expected)
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('a late edit after a rebind of a token whose history starts before it rewinds the collection', async () => {
    const engine = openEngine()
    try {
      await deliver(engine, canonical(s.all, hashes).filter(t => t !== s.afterRebind), 100, true)
      await deliver(engine, [s.afterRebind], 1, true)
      // Token 1 alone, applied again behind the rebind, would have its "open" versions rejected.
      expect(engine.rewinds.map(r => r.data_key === undefined ? 'collection' : 'token')).toEqual(['collection'])
      expect(state(engine)).toEqual(expected)
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('a late edit of a token whose history lies after every binding rewinds that token only', async () => {
    const engine = openEngine()
    try {
      const at = async (ms: number, data: string): Promise<TransactionRequest> =>
        s.owner.sign({ method: 'metadata', ...OPEN, meta_contract_id: 'erc721', token_id: '9', alias: '', version: 'v1', data, mcdata: '', timestamp: T + ms } as never)
      const [older, newer] = [await at(9000, doc('Nine')), await at(9500, doc('Nine, later'))]
      await deliver(engine, [...canonical(s.all, hashes), newer], 100, true)
      await deliver(engine, [older], 1, true)
      const dataKey = engine.lineage.dataKey(OPEN.chain_id, OPEN.token_address, '9')
      expect(engine.rewinds).toEqual([{ token_key: engine.lineage.tokenKey(OPEN.chain_id, OPEN.token_address), data_key: dataKey, transactions: 2 }])
      const slot = engine.lineage.slot({ data_key: dataKey, meta_contract_id: 'erc721', public_key: s.owner.publicKey, alias: '', version: 'v1' })
      expect((await engine.lineage.history(slot!)).map(v => (v.content as { name: string }).name)).toEqual(['Nine, later', 'Nine'])
      // New transactions still queue behind the requeued ones.
      const maxSeq = engine.store.db.prepare('SELECT max(seq) FROM transactions').pluck().get() as number
      const [next] = engine.lineage.publishBatch([await at(9900, doc('Nine, last'))], { replicated: true })
      expect(engine.lineage.transaction(next?.hash ?? '')?.seq).toBe(maxSeq + 1)
      await engine.lineage.settled()
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('a crash after a rewind committed and before it was applied again ends the same after restart', async () => {
    const first = openEngine()
    const binding = s.all[0] as TransactionRequest
    await deliver(first, canonical(s.all, hashes).filter(t => t !== binding), 100, true)
    // The first binding arrives last and rewinds the whole collection; the node stops at once.
    first.lineage.publishBatch([binding], { replicated: true })
    await first.lineage.stop()
    // Stopping lets the group in flight commit (the binding, alone): the rest waits, rewound.
    expect(first.store.db.prepare("SELECT count(*) FROM transactions WHERE status = 'pending'").pluck().get()).toBe(s.all.length - 1)
    expect(first.store.db.prepare('SELECT count(*) FROM slots').pluck().get()).toBe(0)
    first.store.stop()

    const again = openEngine(first.dir)
    try {
      await again.lineage.settled()
      expect(state(again)).toEqual(expected)
    } finally {
      await again.close()
    }
  }, 120_000)

  it('a decision in flight when a rewind queues its transaction again is dropped and made again in the new order', async () => {
    // The real sandbox, with a gate the test closes to hold the validator inside a contract call.
    let gate: { entered: () => void, open: Promise<void> } | undefined
    const held: ContractSandbox = {
      load: async (id, wasm) => { await sandbox.load(id, wasm) },
      register: (id, wasm) => { sandbox.register(id, wasm) },
      unload: async id => { await sandbox.unload(id) },
      has: id => sandbox.has(id),
      call: async (id, fn, args) => {
        const g = gate
        gate = undefined
        if (g !== undefined) { g.entered(); await g.open }
        return await sandbox.call(id, fn, args)
      },
      callMany: async calls => await sandbox.callMany(calls),
      stats: () => sandbox.stats(),
      stop: async () => {},
    }
    const engine = openEngine(undefined, held)
    try {
      const inOrder = canonical(s.all, hashes)
      const laptopAt = inOrder.indexOf(s.laptop)
      await deliver(engine, inOrder.slice(0, laptopAt), 100, true)
      let enter = (): void => {}
      let release = (): void => {}
      const entered = new Promise<void>(resolve => { enter = resolve })
      const opened = new Promise<void>(resolve => { release = resolve })
      gate = { entered: enter, open: opened }
      // The phone's edit is being decided (on top of version 1) when the laptop's, older, arrives.
      engine.lineage.publishBatch([s.phone], { replicated: true })
      await entered
      engine.lineage.publishBatch([s.laptop], { replicated: true })
      expect(engine.rewinds).toHaveLength(1)
      const applied: string[] = []
      engine.lineage.on('applied', o => applied.push(o.hash))
      release()
      await engine.lineage.settled()
      // The stale decision on the phone's edit was never written nor announced: it applied once, after the laptop's.
      expect(applied.filter(h => h === hashes.get(s.phone))).toHaveLength(1)
      expect(applied.indexOf(hashes.get(s.laptop) ?? '')).toBeLessThan(applied.indexOf(hashes.get(s.phone) ?? ''))
      await deliver(engine, inOrder.slice(laptopAt).filter(t => t !== s.phone && t !== s.laptop), 100, true)
      expect(state(engine)).toEqual(expected)
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('a duplicate delivery is a no-op; a second transaction under a used nonce is refused', async () => {
    const engine = openEngine()
    try {
      const inOrder = canonical(s.all, hashes)
      await deliver(engine, inOrder.slice(0, 3), 100, true)
      const count = (): unknown => engine.store.db.prepare('SELECT count(*) FROM transactions').pluck().get()
      const before = { count: count(), state: state(engine) }
      const again = engine.lineage.publishBatch([inOrder[1], inOrder[1]], { replicated: true })
      expect(again).toEqual([{ hash: hashes.get(inOrder[1] as TransactionRequest), known: true }, { hash: hashes.get(inOrder[1] as TransactionRequest), known: true }])
      await engine.lineage.settled()
      expect({ count: count(), state: state(engine) }).toEqual(before)
      expect(engine.rewinds).toEqual([])

      const original = inOrder[1] as TransactionRequest
      const twin = await s.owner.sign({ method: 'metadata', ...OPEN, token_id: '1', alias: 'lore', version: 'v1', data: '{"v":"twin"}', mcdata: '', nonce: original.nonce, timestamp: original.timestamp } as never)
      const [refused] = engine.lineage.publishBatch([twin], { replicated: true })
      expect(refused?.error).toMatchObject({ name: 'EquivocatingSignerError', existingHash: hashes.get(original) })
      expect(refused?.error?.message).toContain(`signed two different transactions with nonce ${original.nonce}`)
      expect({ count: count(), state: state(engine) }).toEqual(before)
      // A local publish of a held transaction stays a replay, as clients expect.
      expect(() => engine.lineage.publish(original)).toThrowError(expect.objectContaining({ name: 'ReplayedTransactionError' }))
    } finally {
      await engine.close()
    }
  }, 120_000)

  it('a request the node signs without a timestamp is dated after what the node holds for the token', async () => {
    const engine = openEngine()
    const now = Date.now()
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now)
    try {
      const at = async (tokenId: string, timestamp: number): Promise<TransactionRequest> =>
        s.other.sign({ method: 'metadata', ...OPEN, token_id: tokenId, alias: 'fan', version: 'v1', data: '{}', mcdata: '', timestamp } as never)
      await deliver(engine, [s.all[0] as TransactionRequest, await at('5', now + 60_000), await at('6', now + 86_400_000)], 100, true)
      const target = (tokenId: string): { method: string, chain_id: string, token_address: string, token_id: string } => ({ method: 'metadata', ...OPEN, token_id: tokenId })
      // A replicated edit from a clock one minute ahead: the next local edit still comes after it.
      expect(engine.lineage.timestampFor(target('5'))).toBe(now + 60_001)
      // One a day ahead is not followed past what any node would accept from a local signer.
      expect(engine.lineage.timestampFor(target('6'))).toBe(now + MAX_CLOCK_SKEW_MS)
      // A token it holds nothing of: after the collection's binding (long past), so now.
      expect(engine.lineage.timestampFor(target('7'))).toBe(now)
      // A binding: after everything the collection holds.
      expect(engine.lineage.timestampFor({ ...target(''), method: 'contract' })).toBe(now + MAX_CLOCK_SKEW_MS)
    } finally {
      clock.mockRestore()
      await engine.close()
    }
  }, 120_000)
})
