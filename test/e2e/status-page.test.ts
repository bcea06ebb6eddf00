import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'

// Set by scripts/test.mjs, which finds or installs Debian's Chromium; never a downloaded build.
const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

describe('status page in Chromium, served by a real headless node', () => {
  let node: StartedNode
  let browser: Browser
  let cleanup: () => void
  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    node = await startNodeProcess(['--data-dir', t.dir, ...TEST_NODE_ARGS], 90_000)
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
  })
  afterAll(async () => {
    await browser.close()
    node.child.kill('SIGTERM')
    await node.exited
    cleanup()
  })

  it('shows the node\'s peer id, state and data dir, with no console errors', async () => {
    const page = await browser.newPage()
    const problems: string[] = []
    page.on('console', msg => { if (msg.type() === 'error') problems.push(msg.text()) })
    page.on('pageerror', err => { problems.push(err.message) })

    await page.goto(`${node.url}/`)
    expect(page.url()).toBe(`${node.url}/app/`)
    // Browser mode asks for the API token first; the address the node printed carries it.
    await expect.poll(async () => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 60_000 }).toBe('Sign in to your Lineage node')
    await page.goto(node.uiUrl)
    await page.waitForFunction('!location.hash.includes("token=")')
    await page.goto(`${node.url}/app/#/network`)
    await expect.poll(async () => page.getByTestId('peer-id').textContent(), { timeout: 60_000 }).toBe(node.peerId)
    expect(await page.getByTestId('state').textContent()).toContain('running')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Peers & sync')
    expect(await page.getByRole('heading', { level: 2, name: 'This node' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Copy peer id' }).count()).toBe(1)
    const addresses = await page.getByTestId('listen-addresses').locator('code').allTextContents()
    expect(addresses).toHaveLength(2)
    for (const address of addresses) expect(address).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+(/ws)?/p2p/${node.peerId}$`))
    expect(await page.getByTestId('network').textContent()).toBe('Online, 0 peer connections')
    // On loopback: only private addresses and no relay, and the DHT off unless asked for.
    expect(await page.getByTestId('status-reachability').textContent()).toMatch(/^Not reachable from the internet\./)
    expect(await page.getByTestId('status-dht').textContent()).toMatch(/^Off: /)
    // The embedded Fluence peer: its relay, peers, hosted services and particle counts.
    expect(await page.getByTestId('relay').textContent()).toMatch(/^None: this node is its own relay/)
    expect(await page.getByTestId('connected-peers').textContent()).toBe('None yet')
    expect(await page.getByTestId('services').textContent()).toMatch(/Marine: collab, erc721, formatter, holders, keys, open\s+Engine \(Aqua API\): lineage-node, lineage, lineage-copy/)
    expect(await page.getByTestId('particles').textContent()).toBe('0 in · 0 out · 0 rejected')
    expect(await page.getByTestId('storage').textContent()).toMatch(/^0 tokens in 0 collections · 0 signed writes · [\d.]+ KiB on disk$/)
    await page.screenshot({ path: 'test-results/status-page.png', fullPage: true })
    expect(problems).toEqual([])
  }, 240_000)

  it('tells the user in words when the node goes away', async () => {
    const page = await browser.newPage()
    await page.goto(node.uiUrl)
    await page.waitForFunction('!location.hash.includes("token=")')
    await page.goto(`${node.url}/app/#/network`)
    await expect.poll(async () => page.getByTestId('peer-id').textContent(), { timeout: 60_000 }).toBe(node.peerId)
    node.child.kill('SIGTERM')
    await node.exited
    await expect.poll(async () => page.getByRole('alert').first().textContent(), { timeout: 30_000 }).toContain('The node stopped answering')
  }, 180_000)
})
