import fs from 'node:fs'
import path from 'node:path'
import { exporter } from 'ipfs-unixfs-exporter'
import type { ReadableStorage } from 'ipfs-unixfs-exporter'
import { concat } from 'uint8arrays/concat'
import { expect } from 'vitest'
import WebSocket from 'ws'
import { createSigner } from '../../../src-main/lineage/keys/index.js'
import { readApiToken } from '../../../src-main/node/index.js'
import { postRpc } from '../../helpers/rpc.js'
import type { TestNode } from '../../helpers/test-node.js'

export interface RpcAnswer<T = unknown> { result?: T, error?: { code: number, message: string, data?: { name?: string, field?: string } } }

let id = 0
export async function rpc<T = unknown> (node: TestNode, method: string, params?: unknown): Promise<RpcAnswer<T>> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(node.node.config.dataDir) ?? ''}` }
  return (await postRpc(`${node.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, ...(params === undefined ? {} : { params }) }), headers)).json as RpcAnswer<T>
}

/** The bytes a marketplace gets for the token from the node's gateway. */
export async function gatewayBytes (node: TestNode, chainId: string, address: string, tokenId: string): Promise<Uint8Array> {
  const response = await fetch(`${node.base}/metadata/${chainId}/${address}/${tokenId}`)
  expect(response.status).toBe(200)
  return new Uint8Array(await response.arrayBuffer())
}

/** A file of a UnixFS folder, read with the stock exporter over any blockstore. */
export async function readEntry (blockstore: ReadableStorage, root: string, name: string): Promise<{ cid: string, bytes: Uint8Array }> {
  const entry = await exporter(`${root}/${name}`, blockstore)
  if (entry.type !== 'file' && entry.type !== 'raw') throw new Error(`${root}/${name} is a ${entry.type}, not a file`)
  const chunks: Uint8Array[] = []
  for await (const chunk of entry.content()) chunks.push(chunk)
  return { cid: entry.cid.toString(), bytes: concat(chunks) }
}

/** The names in a UnixFS folder (sharded or not), sorted as numbers then text. */
export async function entryNames (blockstore: ReadableStorage, root: string): Promise<string[]> {
  const dir = await exporter(root, blockstore)
  if (dir.type !== 'directory') throw new Error(`${root} is a ${dir.type}, not a directory`)
  const names: string[] = []
  for await (const entry of dir.entries()) names.push(entry.name)
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
}

/** Imports `count` tokens (1…count) into the node's collection through its importer, as `lineage-node import` does. */
export async function importTokens (node: TestNode, work: string, collection: { chain_id: string, token_address: string }, count: number, documentFor: (id: number) => unknown): Promise<void> {
  const folder = fs.mkdtempSync(path.join(work, 'folder-'))
  for (let i = 1; i <= count; i++) fs.writeFileSync(path.join(folder, `${i}.json`), JSON.stringify(documentFor(i)))
  const signer = createSigner('snapshot-test', 'ed25519', crypto.getRandomValues(new Uint8Array(32)))
  const { importer } = node.node
  const { job } = await importer.create({ source: folder, ...collection, meta_contract_id: 'open', public_key: signer.publicKey })
  const report = await importer.run(job, { signer })
  expect(report).toMatchObject({ state: 'done', rejected_count: 0 })
  fs.rmSync(folder, { recursive: true, force: true })
}

/** Every notification a token-holding WebSocket hears, in order, from when this resolves. */
export async function listen (node: TestNode): Promise<{ heard: Array<{ method: string, params: Record<string, unknown> }>, close: () => void }> {
  const ws = new WebSocket(`${node.base.replace('http:', 'ws:')}/rpc/ws`, ['lineage.jsonrpc', `lineage.token.${readApiToken(node.node.config.dataDir) ?? ''}`])
  const heard: Array<{ method: string, params: Record<string, unknown> }> = []
  let answered: () => void = () => {}
  ws.on('message', data => {
    const message = JSON.parse(String(data)) as { method?: string, params: Record<string, unknown> }
    if (message.method !== undefined) heard.push({ method: message.method, params: message.params })
    else answered()
  })
  await new Promise<void>((resolve, reject) => { ws.once('open', () => { resolve() }); ws.once('error', reject) })
  // One answered call: the server has run this socket's handler, so its listeners are in place.
  await new Promise<void>(resolve => { answered = resolve; ws.send('{"jsonrpc":"2.0","id":1,"method":"get_node_clock"}') })
  return { heard, close: () => { ws.close() } }
}
