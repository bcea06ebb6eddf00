import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FollowInfo, NodeInfo, SlotInfo, SlotVersionInfo } from '../../src-main/api/index.js'
import { transactionHash } from '../../src-main/lineage/signing/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { ed25519Signer } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const COLLECTION = { chain_id: '137', token_address: '0x0000000000000000000000000000000000001ee7' }

interface Node { dir: string, process: StartedNode, token: string, address: string }
type Answer<T> = { result?: T, error?: { code: number, message: string } }

async function rpc<T> (node: Node, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(`${node.process.url}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const answer = await response.json() as Answer<T>
  if (answer.error !== undefined) throw new Error(`${method}: ${answer.error.message}`)
  return answer.result as T
}

/** Node processes answer over HTTP: poll them gently, and give a slow shared machine a minute. */
const POLL = { timeoutMs: 60_000, intervalMs: 200 }

async function start (dir: string): Promise<Node> {
  const process = await startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dir], 60_000)
  const token = process.token
  const info = await (await fetch(`${process.url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info', params: [] }) })).json() as Answer<NodeInfo>
  return { dir, process, token, address: info.result?.p2p?.listen_addresses.find(x => !x.includes('/ws')) ?? '' }
}

async function stop (node: Node, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  node.process.child.kill(signal)
  await node.process.exited
}

const transactions = async (node: Node): Promise<number> => (await rpc<FollowInfo[]>(node, 'follow_ls')).find(f => f.token_address === COLLECTION.token_address)?.transactions ?? -1

/** Every slot head the node holds, in one comparable list (pages of the search API). */
async function heads (node: Node): Promise<string[]> {
  const out: string[] = []
  for (let from = 0; ; from += 1000) {
    const page = await rpc<SlotInfo[]>(node, 'search_metadatas', [{ from, to: 1000, ordering: [{ column: 'data_key', sort: 'asc' }, { column: 'public_key', sort: 'asc' }, { column: 'alias', sort: 'asc' }] }])
    out.push(...page.map(s => `${s.data_key}/${s.public_key}/${s.alias}/${s.version}=${s.cid}`))
    if (page.length < 1000) return out
  }
}

describe('replication between three node processes on 127.0.0.1', () => {
  const dirs = [tempDir(), tempDir(), tempDir()]
  const nodes: Node[] = []
  const writer = ed25519Signer()
  const sign = async (tokenId: string, data: object, extra: { method?: 'metadata' | 'contract', timestamp?: number } = {}) =>
    await writer.sign({ method: extra.method ?? 'metadata', ...COLLECTION, token_id: tokenId, meta_contract_id: 'open', alias: 'main', version: 'v1', data: JSON.stringify(data), mcdata: '', ...(extra.timestamp === undefined ? {} : { timestamp: extra.timestamp }) })
  const publish = async (node: Node, requests: unknown[]): Promise<void> => {
    // publish_batch takes at most 100 requests.
    for (let i = 0; i < requests.length; i += 100) {
      const results = await rpc<Array<{ hash?: string, error?: { message: string } }>>(node, 'publish_batch', [requests.slice(i, i + 100)])
      const refused = results.filter(r => r.error !== undefined)
      if (refused.length > 0) throw new Error(`refused: ${refused[0]?.error?.message ?? ''}`)
    }
  }
  const at = (i: number) => (): Node => nodes[i] as Node
  const [a, b, c] = [at(0), at(1), at(2)]

  beforeAll(async () => {
    nodes.push(...await Promise.all(dirs.map(async d => await start(d.dir))))
    await publish(a(), [await sign('', {}, { method: 'contract' })])
    for (const n of [b(), c()]) await rpc(n, 'follow_add', [COLLECTION.chain_id, COLLECTION.token_address])
    await rpc(b(), 'peer_connect', [a().address])
    await rpc(c(), 'peer_connect', [a().address])
    await rpc(c(), 'peer_connect', [b().address])
    await waitFor('the binding to reach B and C', async () => (await transactions(b())) === 1 && (await transactions(c())) === 1, POLL)
  }, 180_000)

  afterAll(async () => {
    await Promise.all(nodes.map(async n => { await stop(n) }))
    for (const d of dirs) d.cleanup()
  })

  it('writes made on each node reach the other two', async () => {
    await publish(a(), [await sign('1', { name: 'from A' })])
    await publish(b(), [await sign('2', { name: 'from B' })])
    await publish(c(), [await sign('3', { name: 'from C' })])
    for (const n of nodes) await waitFor('all writes everywhere', async () => (await transactions(n)) === 4, POLL)
    await waitFor('identical heads', async () => { const [x, y, z] = await Promise.all(nodes.map(heads)); return x?.length === 3 && JSON.stringify(x) === JSON.stringify(y) && JSON.stringify(y) === JSON.stringify(z) }, POLL)
  }, 120_000)

  it('a node stopped during 1,000 writes catches up when it starts again', async () => {
    const before = await transactions(a())
    const slotsBefore = (await heads(a())).length
    const requests = await Promise.all(Array.from({ length: 1000 }, async (_, i) => await sign(String(100 + i), { name: `bulk ${i}` })))
    await publish(a(), requests.slice(0, 300))
    await stop(c(), 'SIGKILL')
    await publish(a(), requests.slice(300))
    nodes[2] = await start(dirs[2]?.dir ?? '')
    // C dials the peers it remembers, meets A and B again, and syncs what it missed.
    for (const n of nodes) await waitFor('1,000 writes everywhere', async () => (await transactions(n)) === before + 1000, { ...POLL, timeoutMs: 120_000 })
    await waitFor('identical heads', async () => { const [x, y, z] = await Promise.all(nodes.map(heads)); return x?.length === slotsBefore + 1000 && JSON.stringify(x) === JSON.stringify(y) && JSON.stringify(y) === JSON.stringify(z) }, POLL)
  }, 300_000)

  it('after a partition, conflicting offline edits end with the same heads on all three and both edits in history', async () => {
    // C goes offline from A and B (both ways).
    const peerOf = async (n: Node): Promise<string> => (await rpc<NodeInfo>(n, 'node_info')).peer_id
    const cId = await peerOf(c())
    await rpc(c(), 'peer_disconnect', [await peerOf(a())])
    await rpc(c(), 'peer_disconnect', [await peerOf(b())])
    await rpc(a(), 'peer_disconnect', [cId]).catch(() => {})
    await rpc(b(), 'peer_disconnect', [cId]).catch(() => {})
    const now = Date.now()
    const held = await transactions(a())
    // The same slot edited on both sides of the partition: A's edit is older than C's, but C
    // publishes first. Once A's later edit has reached B (gossip between connected peers ran),
    // C's earlier edits would have reached A and B by now had the partition leaked, so it holds.
    await publish(c(), [await sign('1', { name: 'edited on C' }, { timestamp: now + 5 })])
    await publish(c(), [await sign('3', { name: 'C again' }, { timestamp: now + 6 })])
    const onA = await sign('1', { name: 'edited on A' }, { timestamp: now })
    await publish(a(), [onA])
    await waitFor('A\'s edit to reach B, on its side of the partition', async () => await rpc<unknown>(b(), 'get_transaction_receipt', [transactionHash(onA)]) !== null, POLL)
    expect(await Promise.all(nodes.map(transactions))).toEqual([held + 1, held + 1, held + 2])
    expect(JSON.stringify(await heads(a()))).not.toBe(JSON.stringify(await heads(c())))

    // Heal: C meets A and B again. A and B lack C's two edits; C lacks A's one.
    const total = await transactions(a()) + 2
    await rpc(c(), 'peer_connect', [a().address])
    await rpc(c(), 'peer_connect', [b().address])
    for (const n of nodes) await waitFor('every edit everywhere', async () => (await transactions(n)) === total, POLL)
    await waitFor('identical heads', async () => { const [x, y, z] = await Promise.all(nodes.map(heads)); return JSON.stringify(x) === JSON.stringify(y) && JSON.stringify(y) === JSON.stringify(z) }, POLL)

    for (const n of nodes) {
      const dataKey = await rpc<string>(n, 'generate_data_key', [COLLECTION.chain_id, COLLECTION.token_address, '1'])
      const slot = await rpc<SlotInfo & { history: SlotVersionInfo[] }>(n, 'get_metadata_with_history', [dataKey, 'open', writer.publicKey, 'main', 'v1'])
      // The later signed edit (C's) wins; A's stays in the history right under it.
      const names = slot.history.map(v => (v.content as { name?: string }).name)
      expect(names.slice(0, 3)).toEqual(['edited on C', 'edited on A', 'from A'])
    }
  }, 240_000)
})
