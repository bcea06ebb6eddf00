import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postRpc } from '../helpers/rpc.js'
import { ed25519Signer } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const ADDRESS = '0x00000000000000000000000000000000000000dd'

describe('search methods with whitelisted filters', () => {
  let running: TestNode
  let url: string
  const call = async (method: string, params: unknown[] = []): Promise<{ result?: unknown, error?: { code: number, message: string, data?: { field?: string } } }> =>
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
})
