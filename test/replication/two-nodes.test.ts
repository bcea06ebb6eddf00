import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ed25519Signer } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000c0de1' }

/** Every slot of the collection: the heads replication must make equal. */
function heads (n: TestNode): Array<{ data_key: string, alias: string, head_cid: string }> {
  return n.node.store.db.prepare('SELECT data_key, public_key, alias, version, head_cid FROM slots ORDER BY data_key, public_key, alias, version').all() as Array<{ data_key: string, alias: string, head_cid: string }>
}

describe('replication between two nodes in one process (real libp2p on 127.0.0.1)', () => {
  let a: TestNode
  let b: TestNode
  const writer = ed25519Signer()
  const sign = async (tokenId: string, data: object, method: 'metadata' | 'contract' = 'metadata', timestamp?: number) =>
    await writer.sign({ method, ...COLLECTION, token_id: tokenId, meta_contract_id: 'open', alias: 'main', version: 'v1', data: JSON.stringify(data), mcdata: '', ...(timestamp === undefined ? {} : { timestamp }) })

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestNode(), startTestNode()])
  }, 60_000)

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  it('a node catches up on a followed collection by sync, then hears new writes by gossip', async () => {
    const requests = [await sign('', {}, 'contract'), ...await Promise.all(Array.from({ length: 300 }, async (_, i) => await sign(String(i + 1), { name: `#${i + 1}` })))]
    a.node.lineage.publishBatch(requests)
    await a.node.lineage.settled()
    expect(a.node.replication.follows().map(f => f.token_key)).toEqual([a.node.lineage.tokenKey(COLLECTION.chain_id, COLLECTION.token_address)])

    b.node.replication.follow(COLLECTION.chain_id, COLLECTION.token_address)
    const address = a.node.status().listenAddresses.find(x => !x.includes('/ws')) ?? ''
    await b.node.replication.connect(address)
    await waitFor('B to sync all 301 transactions', () => b.node.replication.follows()[0]?.transactions === 301, { detail: () => `B holds ${b.node.replication.follows()[0]?.transactions ?? 'nothing'}` })
    await b.node.lineage.settled()
    expect(heads(b)).toEqual(heads(a))
    expect(heads(b)).toHaveLength(300)

    // Now connected and both subscribed: a new write on A reaches B by gossip.
    await waitFor('B to subscribe to the collection topic on A', () => a.node.p2p?.libp2p.services.pubsub.getSubscribers(`/lineage/tx/1/${a.node.replication.follows()[0]?.token_key ?? ''}`).length === 1)
    const update = await sign('7', { name: '#7 updated' })
    a.node.lineage.publish(update)
    await a.node.lineage.settled()
    await waitFor('the gossiped write to reach B', () => b.node.replication.follows()[0]?.transactions === 302, { detail: () => `B holds ${b.node.replication.follows()[0]?.transactions ?? 'nothing'}` })
    await b.node.lineage.settled()
    expect(heads(b)).toEqual(heads(a))
  }, 120_000)

  it('refuses to follow what is not a collection, naming the problem, and follows nothing', () => {
    const before = b.node.replication.follows().length
    expect(() => b.node.replication.follow('1', 'notanaddress')).toThrowError(expect.objectContaining({ name: 'InvalidCollectionError', message: expect.stringContaining('0x followed by 40 hex digits') }))
    expect(() => b.node.replication.follow('01', COLLECTION.token_address)).toThrowError(expect.objectContaining({ name: 'InvalidCollectionError', message: expect.stringContaining('chain id') }))
    expect(() => b.node.replication.unfollow('no-such-collection')).toThrowError(expect.objectContaining({ name: 'NotFollowedError' }))
    expect(b.node.replication.follows()).toHaveLength(before)
  })

  it('a sync shows progress, can be cancelled part way, and the next one fetches only the rest', async () => {
    const requests = await Promise.all(Array.from({ length: 1500 }, async (_, i) => await sign(String(1000 + i), { name: `batch ${i}` })))
    // B hears none of these by gossip: it is not connected while they are written.
    const aId = a.node.peerId ?? ''
    await b.node.replication.disconnect(aId)
    for (let i = 0; i < requests.length; i += 500) a.node.lineage.publishBatch(requests.slice(i, i + 500))
    await a.node.lineage.settled()
    const tokenKey = a.node.replication.follows()[0]?.token_key ?? ''
    const held = b.node.replication.follows()[0]?.transactions ?? 0

    const progress: Array<{ phase: string, fetched: number, missing: number }> = []
    const onEvent = (n: { method: string, params: unknown }): void => {
      if (n.method !== 'lineage:sync:progress') return
      const p = n.params as { phase: string, fetched: number, missing: number }
      progress.push(p)
      // Cancel once the first page is in.
      if (p.phase === 'fetching' && p.fetched > 0) b.node.replication.cancelSync(tokenKey)
    }
    b.node.api.events.on('notification', onEvent)
    const address = a.node.status().listenAddresses.find(x => !x.includes('/ws')) ?? ''
    await b.node.replication.connect(address)
    await waitFor('the sync to fetch its first page', () => progress.some(p => p.phase === 'fetching' && p.fetched > 0), { timeoutMs: 60_000, intervalMs: 20, detail: () => JSON.stringify(progress) })
    await waitFor('the cancelled sync to end', () => b.node.replication.status().syncing.length === 0)
    b.node.api.events.off('notification', onEvent)

    expect(progress.some(p => p.phase === 'fetching' && p.missing === 1500)).toBe(true)
    const afterCancel = b.node.replication.follows()[0]?.transactions ?? 0
    expect(afterCancel).toBeGreaterThan(held)
    expect(afterCancel).toBeLessThan(held + 1500)

    const [result] = await b.node.replication.syncNow({ token_key: tokenKey, peer_id: aId })
    expect(result).toMatchObject({ missing: held + 1500 - afterCancel, fetched: held + 1500 - afterCancel })
    await b.node.lineage.settled()
    expect(heads(b)).toEqual(heads(a))
  }, 120_000)

  it('a node started with a bootstrap list dials it and syncs what it follows', async () => {
    const address = a.node.status().listenAddresses.find(x => !x.includes('/ws')) ?? ''
    const c = await startTestNode({ bootstrap: [address] })
    try {
      c.node.replication.follow(COLLECTION.chain_id, COLLECTION.token_address)
      const expected = a.node.replication.follows()[0]?.transactions
      expect(expected).toBeGreaterThan(1000)
      await waitFor('the bootstrapped node to sync the collection', () => c.node.replication.follows()[0]?.transactions === expected, { timeoutMs: 90_000, detail: () => `C holds ${c.node.replication.follows()[0]?.transactions ?? 'nothing'} of ${expected ?? '?'}` })
      await c.node.lineage.settled()
      expect(heads(c)).toEqual(heads(a))
    } finally {
      await c.stop()
    }
  }, 120_000)
})
