/**
 * `tokens.token()` reads a token faster than it used to (slot content parsed from the signed data,
 * receipts and pending counted in one statement, slots sorted in JavaScript instead of by an
 * ORDER BY), and must answer exactly what the plain reads answer: every slot in SQLite's key
 * order with the content decoding its head block gives (same values, same key order), the same
 * receipt counts and pending count. The reference below is those plain reads, written out here.
 * Likewise `tokens.list()` makes tokens from slot rows where SQLite grouped them.
 */
import { CID } from 'multiformats/cid'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeVersionBlock, encodeVersionBlock } from '../../../src-main/dag/index.js'
import { createTokens, TOKEN_ORDER_SQL, tokenOrderKey } from '../../../src-main/lineage/tokens/index.js'
import type { TokenDetails, Tokens } from '../../../src-main/lineage/tokens/index.js'
import { loadCountingFormatter } from '../../helpers/counting-formatter.js'
import type { CountingFormatter } from '../../helpers/counting-formatter.js'
import { evmSigner } from '../../helpers/signers.js'
import { startTestEngine } from '../../helpers/test-engine.js'
import type { TestEngine } from '../../helpers/test-engine.js'

const CHAIN = '1'
const ADDRESS = '0x3333333333333333333333333333333333333333'
const SEED = 170_018

interface Reference {
  slots: Array<{ key: string[], content: string }>
  receipts: TokenDetails['receipts']
  pending: number
}

describe('get_token\'s reads against the plain ones', () => {
  let engine: TestEngine
  let formatter: CountingFormatter
  let tokens: Tokens
  const owner = evmSigner()
  const fan = evmSigner()

  const sign = async (signer: ReturnType<typeof evmSigner>, fields: Record<string, string>): Promise<unknown> =>
    await signer.sign({ method: 'metadata', chain_id: CHAIN, token_address: ADDRESS, token_id: '1', meta_contract_id: 'open', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
  const publish = async (signer: ReturnType<typeof evmSigner>, fields: Record<string, string>): Promise<string> => {
    const { hash } = engine.lineage.publish(await sign(signer, fields))
    await engine.lineage.settled()
    return engine.lineage.receipt(hash)?.status ?? 'none'
  }
  const dataKey = (tokenId: string): string => engine.lineage.dataKey(CHAIN, ADDRESS, tokenId)

  /** What the reads answered before: ORDER BY, the whole block decoded, the receipts view joined by hash. */
  function reference (key: string): Reference {
    const db = engine.store.db
    const rows = db.prepare('SELECT * FROM slots WHERE data_key = ? ORDER BY meta_contract_id, public_key, alias, version').all(key) as Array<Record<string, string>>
    const receipts = db.prepare(`SELECT count(*) AS total, coalesce(sum(r.status = 'applied'), 0) AS applied,
      coalesce(sum(r.status = 'rejected'), 0) AS rejected, max(r.timestamp) AS last_at
      FROM transactions t JOIN receipts r ON r.hash = t.hash WHERE t.data_key = ?`).get(key) as TokenDetails['receipts']
    const pending = db.prepare("SELECT count(*) FROM transactions WHERE data_key = ? AND status = 'pending'").pluck().get(key) as number
    return {
      slots: rows.map(r => {
        const bytes = engine.blockstore.getSync(CID.parse(r.head_cid ?? ''))
        if (bytes === undefined) throw new Error(`no block ${r.head_cid}`)
        return { key: [r.meta_contract_id, r.public_key, r.alias, r.version] as string[], content: JSON.stringify(decodeVersionBlock(bytes).content) }
      }),
      receipts,
      pending,
    }
  }
  function answered (key: string): Reference {
    const token = tokens.token({ data_key: key })
    if (token === undefined) throw new Error('no token')
    return {
      slots: token.slots.map(s => ({ key: [s.meta_contract_id, s.public_key, s.alias, s.version], content: JSON.stringify(s.content) })),
      receipts: token.receipts,
      pending: token.pending,
    }
  }

  beforeAll(async () => {
    engine = await startTestEngine(['open'])
    formatter = await loadCountingFormatter()
    tokens = createTokens({ store: engine.store, blockstore: engine.blockstore, keys: engine.lineage, formatter })
    expect(await publish(owner, { method: 'contract', token_id: '', data: '{}' })).toBe('applied')
  })
  afterAll(async () => {
    formatter.terminate()
    await engine.stop()
  })

  it('answers a token of several slots, writers and versions, with rejected and pending writes, as the plain reads do', async () => {
    // Keys whose order differs between UTF-16 and UTF-8 (an emoji against U+E000), accents, digits.
    const content = { zeta: 1, a: { 10: 'x', 2: 'y', b: [true, null, 12.5] }, é: 'ü', '😀': 'smile' }
    for (const [signer, alias, version] of [[owner, '', 'v1'], [fan, '', 'v1'], [owner, 'b', 'v2'], [fan, '', 'v\uE000'], [fan, '', 'v😀'], [owner, 'é', '10']] as const) {
      expect(await publish(signer, { token_id: '7', alias, version, data: JSON.stringify({ ...content, alias, version }) })).toBe('applied')
    }
    expect(await publish(owner, { token_id: '7', version: 'v1', data: JSON.stringify({ name: 'second version' }) })).toBe('applied')
    // A rejected write (not JSON) counts as a receipt, not a slot.
    expect(await publish(owner, { token_id: '7', data: 'not json' })).toBe('rejected')
    const settled = reference(dataKey('7'))
    expect(settled.slots.map(s => s.key[3])).toContain('v😀')
    expect(settled.receipts).toMatchObject({ total: 8, applied: 7, rejected: 1 })
    expect(answered(dataKey('7'))).toEqual(settled)

    // Accepted, not applied yet: pending, with no receipt.
    const { hash } = engine.lineage.publish(await sign(fan, { token_id: '7', alias: 'late', data: '{"late":true}' }))
    const waiting = reference(dataKey('7'))
    expect(waiting.pending).toBe(1)
    expect(answered(dataKey('7'))).toEqual(waiting)
    await engine.lineage.settled()
    expect(engine.lineage.receipt(hash)?.status).toBe('applied')
    // After the write: a new slot, one receipt more, nothing pending, and no stale answer.
    const after = reference(dataKey('7'))
    expect(after).toMatchObject({ pending: 0, receipts: { total: 9, applied: 8 } })
    expect(after.slots).toHaveLength(waiting.slots.length + 1)
    expect(answered(dataKey('7'))).toEqual(after)
  })

  it('lists any slot keys in SQLite\'s order, whatever their characters', () => {
    const db = engine.store.db
    const head = encodeVersionBlock({ timestamp: 1, content: { name: 'x' }, transaction: { hash: 'h', timestamp: 1, meta_contract_id: 'open', method: 'metadata', value: '' } })
    engine.blockstore.putSync(head.cid, head.bytes)
    const insert = db.prepare(`INSERT OR IGNORE INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES ('sorted', ?, ?, ?, ?, 'tk', '1', ?, 1, 'tx', 0)`)
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 4 }), fc.constantFrom('', 'a', 'é', '\uE000', '😀', '\uFFFF'))
    fc.assert(fc.property(fc.array(fc.tuple(text, text, text, text), { minLength: 1, maxLength: 8 }), keys => {
      db.prepare("DELETE FROM slots WHERE data_key = 'sorted'").run()
      for (const k of keys) insert.run(...k, head.cid.toString())
      const expected = db.prepare("SELECT meta_contract_id, public_key, alias, version FROM slots WHERE data_key = 'sorted' ORDER BY meta_contract_id, public_key, alias, version").raw().all()
      expect(tokens.token({ data_key: 'sorted' })?.slots.map(s => [s.meta_contract_id, s.public_key, s.alias, s.version])).toEqual(expected)
    }), { seed: SEED, numRuns: 300 })
    db.prepare("DELETE FROM slots WHERE data_key = 'sorted'").run()
  })

  it('pages a collection as GROUP BY over its slots did, tokens of several slots included', () => {
    const db = engine.store.db
    const insert = db.prepare(`INSERT OR IGNORE INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
      VALUES (?, 'open', ?, '', 'v1', 'paged', ?, 'bafy', 1, 'tx', ?)`)
    const reference = db.prepare(`SELECT token_id, min(data_key) AS data_key, count(*) AS slots, max(updated_at) AS updated_at
      FROM slots WHERE token_key = 'paged' AND ${TOKEN_ORDER_SQL} > ? GROUP BY ${TOKEN_ORDER_SQL} ORDER BY ${TOKEN_ORDER_SQL} LIMIT ?`)
    // Few ids, many writers: tokens of one to a dozen slots, their rows' data_keys and times in any order.
    const slot = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 11 }), fc.constantFrom('dkA', 'dkB', 'dk\uE000', 'dk😀'), fc.integer({ min: 0, max: 1000 }))
    fc.assert(fc.property(fc.array(slot, { maxLength: 120 }), fc.integer({ min: 0, max: 45 }), fc.integer({ min: 1, max: 12 }), (slots, from, limit) => {
      db.prepare("DELETE FROM slots WHERE token_key = 'paged'").run()
      for (const [id, writer, key, at] of slots) insert.run(`${key}${id}`, `pk${writer}`, String(id), at)
      const cursor = from === 0 ? undefined : String(from)
      const after = cursor === undefined ? '' : tokenOrderKey(cursor)
      const expected = reference.all(after, limit + 1) as Array<{ token_id: string }>
      if (expected.length === 0) return
      expect(tokens.list({ token_key: 'paged' }, { limit, ...(cursor === undefined ? {} : { cursor }) })).toEqual({
        token_key: 'paged',
        items: expected.slice(0, limit),
        next_cursor: expected.length > limit ? expected[limit - 1]?.token_id : null,
        // The kept total counts data_keys (a token id has one; these rows give some two).
        total: new Set(slots.map(([id, , key]) => `${key}${id}`)).size,
      })
    }), { seed: SEED, numRuns: 300 })
    db.prepare("DELETE FROM slots WHERE token_key = 'paged'").run()
  })
})
