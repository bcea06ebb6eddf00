import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ed25519Signer } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000000c0de1' }

async function waitFor (check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

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
    await waitFor(() => b.node.replication.follows()[0]?.transactions === 301)
    await b.node.lineage.settled()
    expect(heads(b)).toEqual(heads(a))
    expect(heads(b)).toHaveLength(300)

    // Now connected and both subscribed: a new write on A reaches B by gossip.
    await waitFor(() => a.node.p2p?.libp2p.services.pubsub.getSubscribers(`/lineage/tx/1/${a.node.replication.follows()[0]?.token_key ?? ''}`).length === 1)
    const update = await sign('7', { name: '#7 updated' })
    a.node.lineage.publish(update)
    await a.node.lineage.settled()
    await waitFor(() => b.node.replication.follows()[0]?.transactions === 302)
    await b.node.lineage.settled()
    expect(heads(b)).toEqual(heads(a))
  }, 120_000)
})
