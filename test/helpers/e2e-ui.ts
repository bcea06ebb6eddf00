// The set-up the Chromium end-to-end tests share: a real headless node with a JSON-RPC caller,
// a collection bound and imported from a folder of JSON files, and a Chromium page on the
// node's UI that collects console errors, page errors and (if asked) requests leaving the node.
import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH, SCREENS_DIR, VIEWPORTS } from './chromium.js'
import { TEST_NODE_ARGS } from './node-config.js'
import { startNodeProcess } from './processes.js'
import type { StartedNode } from './processes.js'
import { postRpc } from './rpc.js'

/** Calls a JSON-RPC method of the node; an error answer throws, naming the method. */
export type RpcCall = (method: string, ...params: unknown[]) => Promise<unknown>

const POLL_MS = 200

/** Asks until the answer is the one wanted, for at most `timeoutMs` (beforeAll cannot use expect.poll). */
export async function until<T> (ask: () => Promise<T>, wanted: T, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const got = await ask()
    if (got === wanted) return
    if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${String(wanted)}, last ${String(got)}`)
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

/** `lineage-node start` on a data dir under `dir`, with the test node's arguments and `args`, and a caller of its API. */
export async function startUiNode (dir: string, args: string[]): Promise<{ node: StartedNode, call: RpcCall }> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true })
  const node = await startNodeProcess(['--data-dir', path.join(dir, 'node'), ...TEST_NODE_ARGS, ...args], 90_000)
  const call: RpcCall = async (method, ...params) => {
    const { json } = await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${node.token}` })
    const reply = json as { result?: unknown, error?: { message: string } }
    if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`)
    return reply.result
  }
  return { node, call }
}

export interface ImportedCollection {
  /** The node key that signs, made with `keys_new` unless `privateKey` is given (`keys_import`). */
  key: string
  passphrase: string
  privateKey?: string
  chainId: string
  address: string
  /** The folder written under the temporary dir, one `<id>.json` a document. */
  folder: string
  documents: ReadonlyMap<number, unknown>
}

/** Makes (or imports) the key, binds the collection to erc721 and imports the documents as a folder, each step waited for. */
export async function importCollection (call: RpcCall, c: ImportedCollection): Promise<void> {
  if (c.privateKey === undefined) await call('keys_new', c.key, 'secp256k1', c.passphrase)
  else await call('keys_import', c.key, 'secp256k1', c.privateKey, c.passphrase)
  const bind = await call('sign_and_publish', c.key, c.passphrase, { method: 'contract', chain_id: c.chainId, token_address: c.address, token_id: '', meta_contract_id: 'erc721' }) as { hash: string }
  await until(async () => (await call('get_transaction_receipt', bind.hash) as { status: string } | null)?.status, 'applied', 30_000)
  fs.mkdirSync(c.folder)
  for (const [id, document] of c.documents) fs.writeFileSync(path.join(c.folder, `${id}.json`), JSON.stringify(document))
  const job = await call('import_folder', c.folder, { chain_id: c.chainId, token_address: c.address, meta_contract_id: 'erc721', key: c.key, passphrase: c.passphrase }) as { job: string }
  await until(async () => (await call('import_status', job.job) as { state: string }).state, 'done', 60_000)
}

/**
 * Chromium on the node's UI, signed in by the token in the address (the page drops it from the
 * address once read). Console errors (other than /ipfs/ 404s of images the node lacks) and page
 * errors go to `problems`; with `localOnly`, so does every request to anything but the node.
 */
export async function openUi (node: StartedNode, problems: string[], { localOnly = false } = {}): Promise<{ browser: Browser, page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  const page = await (await browser.newContext({ viewport: VIEWPORTS.wide })).newPage()
  page.on('console', msg => { if (msg.type() === 'error' && !msg.location().url.includes('/ipfs/')) problems.push(`${msg.text()} ${msg.location().url}`) })
  page.on('pageerror', err => { problems.push(err.message) })
  if (localOnly) page.on('request', request => { if (!request.url().startsWith(node.url)) problems.push(`a request left the node: ${request.url()}`) })
  await page.goto(node.uiUrl)
  await until(async () => page.url().includes('token='), false, 15_000)
  return { browser, page }
}

/** Closes the browser and stops the node (SIGTERM, waited for); either may be missing after a failed set-up. */
export async function closeUi (browser: Browser | undefined, node: StartedNode | undefined): Promise<void> {
  await browser?.close()
  node?.child.kill('SIGTERM')
  await node?.exited
}
