import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { makePng, writeRawBlockCar } from '../helpers/png-car.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'

const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const ADDRESS = '0x5180db8F5c931aaE63c74266b211F580155ecac8'
const PASSPHRASE = 'correct horse battery'
const WIDTH = 6
const HEIGHT = 4

// The token editor's image preview reads the artwork from this node's own blocks: a real PNG is
// imported as a raw block (a CAR), a token names it as ipfs://<cid>, and the editor shows it.
describe('image preview from local blocks, in Chromium against a real headless node', () => {
  let node: StartedNode
  let browser: Browser
  let page: Page
  let cleanup: () => void
  let dir: string
  let call: (method: string, ...params: unknown[]) => Promise<unknown>

  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    dir = t.dir
    node = await startNodeProcess(['--data-dir', path.join(dir, 'node'), ...TEST_NODE_ARGS, '--offline'], 90_000)
    const token = readApiToken(path.join(dir, 'node')) ?? ''
    call = async (method, ...params) => {
      const { json } = await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
      const reply = json as { result?: unknown, error?: { message: string } }
      if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`)
      return reply.result
    }
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  })
  afterAll(async () => {
    await browser?.close()
    node?.child.kill('SIGTERM')
    await node?.exited
    cleanup?.()
  })

  it('shows a token\'s ipfs:// image from the node\'s /ipfs/<cid>', async () => {
    const image = makePng(WIDTH, HEIGHT)
    const cid = await writeRawBlockCar(path.join(dir, 'artwork.car'), image)
    const job = await call('import_car', path.join(dir, 'artwork.car')) as { job: string }
    await expect.poll(async () => (await call('import_status', job.job) as { state: string }).state, { timeout: 30_000 }).toBe('done')
    await call('pin_add', cid.toString(), true, 'artwork')
    // The node serves the very bytes.
    const served = await fetch(`${node.url}/ipfs/${cid.toString()}`)
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(image))).toBe(true)

    await call('keys_new', 'studio', 'secp256k1', PASSPHRASE)
    const bind = { method: 'contract', chain_id: '1', token_address: ADDRESS, token_id: '', meta_contract_id: 'erc721' }
    await call('sign_and_publish', 'studio', PASSPHRASE, bind)
    const document = { name: 'Harbour lantern', image: `ipfs://${cid.toString()}` }
    const { hash } = await call('sign_and_publish', 'studio', PASSPHRASE, { ...bind, method: 'metadata', token_id: '7', data: JSON.stringify(document) }) as { hash: string }
    await expect.poll(async () => (await call('get_transaction_receipt', hash) as { status: string } | null)?.status, { timeout: 30_000 }).toBe('applied')

    await page.goto(node.uiUrl)
    await page.evaluate(`location.hash = '#/token/1/${ADDRESS}/7'`)
    await page.getByTestId('image-preview').waitFor({ timeout: 30_000 })
    await expect.poll(async () => await page.getByLabel('Name').inputValue(), { timeout: 30_000 }).toBe('Harbour lantern')
    const img = page.getByTestId('image-preview').locator('img')
    expect(await img.getAttribute('src')).toBe(`${node.url}/ipfs/${cid.toString()}`)
    // Decoded, at the PNG's own size: the browser really loaded the block as an image.
    // A string, not a function: this file is compiled for Node, without the DOM's types.
    const size = "(img => img.complete ? [img.naturalWidth, img.naturalHeight] : null)(document.querySelector('[data-testid=image-preview] img'))"
    await expect.poll(async () => await page.evaluate(size), { timeout: 15_000 }).toEqual([WIDTH, HEIGHT])
    await page.getByTestId('image-preview').screenshot({ path: path.join(repoRoot, 'test-results', 'image-preview', 'editor-preview.png') })
  })
})
