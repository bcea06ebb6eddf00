import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postRpc } from '../helpers/rpc.js'
import { ed25519Signer } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const ADDRESS = '0x00000000000000000000000000000000000000dd'

describe('search methods with whitelisted filters', () => {
  let running: TestNode
  let url: string
  const call = async (method: string, params: unknown[] | Record<string, unknown> = []): Promise<{ result?: unknown, error?: { code: number, message: string, data?: { field?: string } } }> =>
    (await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))).json as never

  beforeAll(async () => {
    running = await startTestNode()
    url = `${running.base}/rpc`
    const signer = ed25519Signer()
    const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
    running.node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
    for (let id = 1; id <= 12; id++) running.node.lineage.publish(await signer.sign({ ...base, token_id: String(id), alias: id % 2 === 0 ? 'even' : 'odd', data: JSON.stringify({ id }) }))
    running.node.lineage.publish(await signer.sign({ ...base, token_id: '13', data: 'not json' }))
    await running.node.lineage.settled()
  })
  afterAll(async () => { await running.stop() })

  it('filters, sorts and pages slots and counts them', async () => {
    const tokenKey = running.node.lineage.tokenKey('1', ADDRESS)
    const even = { query: [{ column: 'token_key', op: '=', query: tokenKey }, { column: 'alias', op: '=', query: 'even' }], ordering: [{ column: 'token_id', sort: 'desc' }] }
    const slots = (await call('search_metadatas', [even])).result as Array<{ token_id: string, alias: string, cid: string }>
    expect(slots.map(s => s.token_id)).toEqual(['12', '10', '8', '6', '4', '2']) // numeric order
    expect(slots.every(s => s.alias === 'even' && s.cid.startsWith('bafyrei'))).toBe(true)
    expect((await call('search_metadatas_count', [even])).result).toBe(6)
    expect(((await call('search_metadatas', [{ ...even, from: 2, to: 2 }])).result as unknown[])).toHaveLength(2)
    expect((await call('search_metadatas_count', [{ query: [{ column: 'alias', op: 'like', query: 'o%' }] }])).result).toBe(6)
    expect((await call('search_metadatas_count')).result).toBe(12)
  })

  it('compares token_id as a number: "> 9" is 10, 11 and 12, not the ids that sort after "9" as text', async () => {
    const above = (await call('search_metadatas', [{ query: [{ column: 'token_id', op: '>', query: '9' }], ordering: [{ column: 'token_id', sort: 'asc' }] }])).result as Array<{ token_id: string }>
    expect(above.map(s => s.token_id)).toEqual(['10', '11', '12'])
    expect((await call('search_metadatas_count', [{ query: [{ column: 'token_id', op: '<=', query: 10 }] }])).result).toBe(10)
    const transactions = (await call('get_transactions', [{ query: [{ column: 'token_id', op: '>=', query: '0012' }] }])).result as Array<{ token_id: string }>
    expect(transactions.map(t => t.token_id).sort()).toEqual(['12', '13'])
  })

  it('refuses a value that is not a number for a number column, naming the condition', async () => {
    const filter = { query: [{ column: 'alias', op: '=', query: 'odd' }, { column: 'token_id', op: '>', query: 'abc' }] }
    for (const method of ['search_metadatas', 'search_metadatas_count', 'get_transactions']) {
      const { error } = await call(method, [filter])
      expect(error?.code, method).toBe(-32602)
      expect(error?.message, method).toMatch(/^filter\.query\.1\.query: token_id is a number column \(a whole number from 0 to 2\^256 − 1.*"abc" is not a number\.$/)
      expect(error?.data?.field, method).toBe('filter.query.1.query')
    }
    const { error } = await call('get_transactions', [{ query: [{ column: 'timestamp', op: '>', query: 'yesterday' }] }])
    expect(error?.message).toContain('timestamp is an integer column')
  })

  it('finds transactions by status, and lists pending ones', async () => {
    const rejected = (await call('get_transactions', [{ query: [{ column: 'status', op: '=', query: 'rejected' }] }])).result as Array<{ token_id: string }>
    expect(rejected.map(t => t.token_id)).toEqual(['13'])
    const recent = (await call('get_transactions', [{ ordering: [{ column: 'timestamp', sort: 'desc' }], to: 3 }])).result as unknown[]
    expect(recent).toHaveLength(3)
    expect((await call('get_pending_transactions')).result).toEqual([])
  })

  it('refuses unknown columns, operators, sorts and SQL fragments, naming what is allowed', async () => {
    const before = (await call('search_metadatas_count')).result
    const hostile: Array<[unknown, string]> = [
      [{ query: [{ column: 'token_id; DROP TABLE slots', op: '=', query: '1' }] }, 'must be equal to one of the allowed values: "data_key"'],
      [{ query: [{ column: 'data', op: '=', query: '1' }] }, 'query.0.column'],
      [{ query: [{ column: 'token_id', op: 'OR 1=1 --', query: '1' }] }, 'query.0.op'],
      [{ ordering: [{ column: 'token_id', sort: 'desc; DELETE FROM slots' }] }, 'ordering.0.sort'],
      [{ query: [{ column: 'token_id', op: '=', query: { $gt: 1 } }] }, 'query.0.query'],
      [{ to: 100000 }, 'to must be <= 1000'],
      [{ from: -1 }, 'from must be >= 0'],
      [{ query: [], sql: 'SELECT 1' }, 'filter has no field named "sql"'],
    ]
    for (const [filter, text] of hostile) {
      const { error } = await call('search_metadatas', [filter])
      expect(error?.code, JSON.stringify(filter)).toBe(-32602)
      expect(error?.message, JSON.stringify(filter)).toContain(text)
    }
    // A value is only ever a bound parameter: an injection attempt is just a string that matches nothing.
    expect((await call('search_metadatas', [{ query: [{ column: 'alias', op: '=', query: "1' OR '1'='1" }] }])).result).toEqual([])
    // In a number column it is not a number.
    expect((await call('search_metadatas', [{ query: [{ column: 'token_id', op: '=', query: "1' OR '1'='1" }] }])).error?.code).toBe(-32602)
    expect((await call('search_metadatas_count')).result).toBe(before)
  })

  it('get_complete_transactions answers the applied transactions of a time range, oldest first, a page at a time', async () => {
    type Tx = { hash: string, timestamp: number, status: string, token_id: string, method: string }
    const all = (await call('get_complete_transactions', [0, 0])).result as Tx[]
    // The binding and the twelve writes; the rejected one is not complete.
    expect(all).toHaveLength(13)
    expect(all.every(t => t.status === 'applied')).toBe(true)
    expect(all.map(t => t.token_id).sort()).toEqual(['', ...Array.from({ length: 12 }, (_, i) => String(i + 1))].sort())
    const byTime = [...all].sort((a, b) => a.timestamp - b.timestamp || (a.hash < b.hash ? -1 : 1))
    expect(all.map(t => t.hash)).toEqual(byTime.map(t => t.hash))
    const applied = (await call('get_transactions', [{ query: [{ column: 'status', op: '=', query: 'applied' }] }])).result as Tx[]
    expect(new Set(all.map(t => t.hash))).toEqual(new Set(applied.map(t => t.hash)))

    // Pages of five, each starting after the last hash of the one before.
    const pages: Tx[][] = []
    let after: string | undefined
    do {
      const page = (await call('get_complete_transactions', [0, 0, { limit: 5, ...(after === undefined ? {} : { after }) }])).result as Tx[]
      pages.push(page)
      after = page.at(-1)?.hash
    } while (pages.at(-1)?.length === 5)
    expect(pages.map(p => p.length)).toEqual([5, 5, 3])
    expect(pages.flat()).toEqual(all)

    // A range, both ends included, by the signed timestamps.
    const [from, to] = [all[3]?.timestamp ?? 0, all[8]?.timestamp ?? 0]
    const range = (await call('get_complete_transactions', { from_ts: from, to_ts: to })).result as Tx[]
    expect(range).toEqual(all.filter(t => t.timestamp >= from && t.timestamp <= to))
    expect(range.length).toBeGreaterThanOrEqual(6)
    expect((await call('get_complete_transactions', [(all.at(-1)?.timestamp ?? 0) + 1, 0])).result).toEqual([])
  })

  it('get_complete_transactions refuses a reversed range, an unknown cursor and an oversized page', async () => {
    expect((await call('get_complete_transactions', [2000, 1000])).error).toMatchObject({ code: -32602, message: 'Invalid params: to_ts (1000) is before from_ts (2000); 0 means now', data: { field: 'to_ts' } })
    expect((await call('get_complete_transactions', [0, 0, { after: 'f'.repeat(64) }])).error).toMatchObject({ code: -32602, message: expect.stringContaining(`holds no transaction ${'f'.repeat(64)}`), data: { field: 'options', name: 'SearchCursorError' } })
    expect((await call('get_complete_transactions', [0, 0, { limit: 1001 }])).error).toMatchObject({ code: -32602, data: { field: 'options' } })
    expect((await call('get_complete_transactions', [-1, 0])).error).toMatchObject({ code: -32602, data: { field: 'from_ts' } })
    expect((await call('get_complete_transactions', [0])).error).toMatchObject({ code: -32602, message: 'Invalid params: to_ts is required' })
  })
})
