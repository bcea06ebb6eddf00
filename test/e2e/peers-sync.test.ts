import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'

const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const ADDRESS = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'
const PASSPHRASE = 'correct horse battery'
const TOKENS = 5

type Call = (method: string, ...params: unknown[]) => Promise<unknown>

function caller (node: StartedNode, dataDir: string): Call {
  const token = readApiToken(dataDir) ?? ''
  return async (method, ...params) => {
    const { json } = await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    const reply = json as { result?: unknown, error?: { message: string } }
    if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`)
    return reply.result
  }
}

// The Peers & sync screen against two real headless nodes on loopback: the UI's node connects to
// a peer by its address, follows the peer's collection, syncs it, and hangs up.
describe('Peers & sync in Chromium, between two real headless nodes', () => {
  let ours: StartedNode
  let theirs: StartedNode
  let callTheirs: Call
  let callOurs: Call
  let browser: Browser
  let page: Page
  let cleanup: () => void
  const problems: string[] = []

  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const args = [...TEST_NODE_ARGS, '--no-mdns']
    ;[ours, theirs] = await Promise.all([
      startNodeProcess(['--data-dir', path.join(t.dir, 'ours'), ...args], 90_000),
      startNodeProcess(['--data-dir', path.join(t.dir, 'theirs'), ...args], 90_000),
    ])
    callOurs = caller(ours, path.join(t.dir, 'ours'))
    callTheirs = caller(theirs, path.join(t.dir, 'theirs'))
    // Their collection: bound, and TOKENS tokens written.
    await callTheirs('keys_new', 'artist', 'secp256k1', PASSPHRASE)
    const bind = { method: 'contract', chain_id: '1', token_address: ADDRESS, token_id: '', meta_contract_id: 'erc721' }
    await callTheirs('sign_and_publish', 'artist', PASSPHRASE, bind)
    for (let id = 1; id <= TOKENS; id++) {
      await callTheirs('sign_and_publish', 'artist', PASSPHRASE, { ...bind, method: 'metadata', token_id: String(id), data: JSON.stringify({ name: `Print #${id}` }) })
    }
    await callOurs('keys_new', 'studio', 'secp256k1', PASSPHRASE)
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    page.on('console', msg => { if (msg.type() === 'error') problems.push(msg.text()) })
    page.on('pageerror', err => { problems.push(err.message) })
  })
  afterAll(async () => {
    await browser?.close()
    for (const node of [ours, theirs]) node?.child.kill('SIGTERM')
    await Promise.all([ours?.exited, theirs?.exited])
    cleanup?.()
  })

  it('connects to a peer by its address, follows its collection, syncs it, and disconnects', async () => {
    await expect.poll(async () => (await callTheirs('list_tokens', { chain_id: '1', token_address: ADDRESS }) as { total: number }).total, { timeout: 30_000 }).toBe(TOKENS)
    const info = await callTheirs('node_info') as { peer_id: string, p2p: { listen_addresses: string[] } }
    const address = info.p2p.listen_addresses.find(a => a.includes('/tcp/') && !a.includes('/ws')) ?? ''
    await page.goto(ours.uiUrl)
    await page.waitForFunction('!location.hash.includes("token=")')
    await page.evaluate("location.hash = '#/network'")
    await expect.poll(async () => await page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 15_000 }).toBe('Peers & sync')

    await page.getByLabel('Add a peer by its address').fill(address)
    await page.getByRole('button', { name: 'Connect' }).click()
    await expect.poll(async () => await page.getByTestId('peer-list').textContent(), { timeout: 30_000 }).toContain(info.peer_id)
    expect(await page.getByTestId('peer-list').textContent()).toContain('added by you')

    // Following syncs it from the connected peer by itself.
    await page.getByLabel('NFT contract address').fill(ADDRESS)
    await page.getByRole('button', { name: 'Follow this collection' }).click()
    await expect.poll(async () => (await callOurs('list_tokens', { chain_id: '1', token_address: ADDRESS }) as { total: number }).total, { timeout: 60_000 }).toBe(TOKENS)
    const row = page.getByTestId('follow-list').locator('tbody tr')
    await expect.poll(async () => await row.locator('td').nth(1).textContent(), { timeout: 15_000 }).toBe(String(TOKENS + 1))
    expect(await page.getByTestId('follow-auto').count()).toBe(0)

    // Syncing again finds nothing new.
    await page.getByRole('button', { name: 'Sync everything now' }).click()
    await expect.poll(async () => await page.getByTestId('sync-results').textContent(), { timeout: 30_000 }).toContain('already up to date')
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'peers-sync', 'peers-and-sync.png'), fullPage: true })

    await page.getByRole('button', { name: `Disconnect from ${info.peer_id}` }).click()
    await expect.poll(async () => await page.getByTestId('peer-list-empty').count(), { timeout: 15_000 }).toBe(1)
    expect((await callOurs('replication_status') as { remembered_peers: unknown[] }).remembered_peers).toEqual([])
    expect(problems).toEqual([])
  })
})
