import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeInfo } from '../../src-main/api/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { evmSigner } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const SCRIPT = path.join(repoRoot, 'test', 'fluence', 'fixtures', 'stock-client.mjs')
const COLLECTION = { chain_id: '1', token_address: '0x00000000000000000000000000000000005e0c4c' }

/** Runs the stock client script; resolves with its first JSON line and a way to stop it. */
async function stockClient (args: string[]): Promise<{ line: Record<string, unknown>, stop(): void }> {
  const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', l => { resolve(JSON.parse(l) as Record<string, unknown>) })
    child.once('exit', code => { reject(new Error(`stock client exited with ${String(code)}: ${stderr}`)) })
  })
  return { line, stop: () => { child.kill('SIGTERM') } }
}

async function rpc<T> (node: StartedNode, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(`${node.url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const json = await response.json() as { result: T }
  return json.result
}

describe('stock js-client processes use a Lineage node as their relay', () => {
  const dir = tempDir()
  let a: StartedNode
  let ws: string

  beforeAll(async () => {
    a = await startNodeProcess([...TEST_NODE_ARGS, '--data-dir', dir.dir], 60_000)
    ws = (await rpc<NodeInfo>(a, 'node_info', [])).p2p?.listen_addresses.find(x => x.includes('/ws/')) ?? ''
    const writer = evmSigner()
    for (const [tokenId, method, data] of [['', 'contract', '{}'], ['7', 'metadata', JSON.stringify({ name: 'Seven', image: 'ipfs://7' })]] as const) {
      const request = await writer.sign({ method, ...COLLECTION, token_id: tokenId, meta_contract_id: 'erc721', alias: '', version: 'v1', data, mcdata: '' })
      const { hash } = await rpc<{ hash: string }>(a, 'publish', [request])
      await waitFor(`the node to apply ${hash}`, async () => (await rpc<{ status: string } | null>(a, 'get_transaction_receipt', [hash]))?.status === 'applied', { intervalMs: 100 })
    }
  }, 90_000)

  afterAll(async () => {
    a.child.kill('SIGTERM')
    await a.exited
    dir.cleanup()
  })

  it('createClient(<our ws multiaddr>) calls the node\'s Aqua functions; an unknown function is an error and the node keeps serving', async () => {
    const { line } = await stockClient(['call', ws, JSON.stringify(COLLECTION)])
    expect(line.node).toBe(a.peerId)
    expect(line.node_info).toMatchObject({ peer_id: a.peerId, state: 'running' })
    const served = await (await fetch(`${a.url}/metadata/1/${COLLECTION.token_address}/7`)).json() as unknown
    const metadata = line.metadata as { found: boolean, json: string }
    expect(metadata.found).toBe(true)
    expect(JSON.parse(metadata.json)).toEqual(served)
    expect((line.collection as { items: Array<{ token_id: string }> }).items.map(t => t.token_id)).toEqual(['7'])
    expect(line.unknown_function).toMatch(/No service found for service call: serviceId='lineage', fnName='no_such_function'/)
    expect(line.after_error).toMatchObject({ peer_id: a.peerId })
    expect(typeof line.ping_ms).toBe('number')
  }, 60_000)

  it('two stock clients reach each other through the node', async () => {
    const server = await stockClient(['serve', ws])
    try {
      const { line } = await stockClient(['reach', ws, server.line.client as string])
      expect(line.error).toBeUndefined()
      expect(line.info).toMatchObject({ peer_id: server.line.client, version: 'stock-client' })
      const info = await rpc<NodeInfo>(a, 'node_info', [])
      expect(info.fluence?.connected_peers).toContain(server.line.client)
      // Particles A relays to a stock client are closed or reset, not left half-open.
      expect(info.fluence?.particles.sendFailures).toBe(0)
    } finally {
      server.stop()
    }
  }, 60_000)
})
