import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CarReader } from '@ipld/car'
import { readApiToken } from '../../src-main/node/index.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, runCli, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'
import { startPinningService } from '../remote-pinning/pinning-service-server.js'
import type { PinningServiceServer } from '../remote-pinning/pinning-service-server.js'

const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const SCREENS_DIR = path.join(repoRoot, 'test-results', 'screens')
const ADDRESS = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'
const PASSPHRASE = 'correct horse battery'
const TOKENS = 3

type Call = (method: string, ...params: unknown[]) => Promise<unknown>

/** JSON-RPC to a node with its token; an error answer rejects with its code. */
function caller (node: StartedNode, dataDir: string): Call {
  const token = readApiToken(dataDir) ?? ''
  return async (method, ...params) => {
    const { json } = await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    const reply = json as { result?: unknown, error?: { code: number, message: string } }
    if (reply.error !== undefined) throw Object.assign(new Error(`${method}: ${reply.error.message}`), { code: reply.error.code })
    return reply.result
  }
}

async function axeViolations (page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  return await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then(result => result.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => JSON.stringify(n.target)).join(', ') + ')'))`) as string[]
}

// The Go live screen in Chromium against real headless nodes on loopback: the creator's laptop
// node (the UI's) and a "server" node serving publicly (--gateway-host 127.0.0.1), which follows
// the collection with the exact command the screen shows and serves it to the check.
describe('Go live in Chromium, with a real server node serving publicly', () => {
  let laptop: StartedNode
  let server: StartedNode
  let serverDir: string
  let callLaptop: Call
  let callServer: Call
  let browser: Browser
  let page: Page
  let cleanup: () => void
  let workDir: string
  let pinning: PinningServiceServer
  const problems: string[] = []
  const checked: Record<string, string[]> = {}

  async function shot (name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true })
    checked[name] = await axeViolations(page)
  }

  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    workDir = t.dir
    pinning = await startPinningService({ token: 'go-live-pinning-token' })
    serverDir = path.join(t.dir, 'server')
    fs.mkdirSync(SCREENS_DIR, { recursive: true })
    const args = [...TEST_NODE_ARGS, '--no-mdns']
    ;[laptop, server] = await Promise.all([
      startNodeProcess(['--data-dir', path.join(t.dir, 'laptop'), ...args], 90_000),
      startNodeProcess(['--data-dir', serverDir, ...args, '--gateway-host', '127.0.0.1', '--gateway-port', '0'], 90_000),
    ])
    callLaptop = caller(laptop, path.join(t.dir, 'laptop'))
    callServer = caller(server, serverDir)
    await callLaptop('keys_new', 'artist', 'secp256k1', PASSPHRASE)
    await callLaptop('remote_pin_service_add', 'psa', pinning.url, 'go-live-pinning-token')
    const bind = { method: 'contract', chain_id: '1', token_address: ADDRESS, token_id: '', meta_contract_id: 'erc721' }
    await callLaptop('sign_and_publish', 'artist', PASSPHRASE, bind)
    for (let id = 1; id <= TOKENS; id++) {
      await callLaptop('sign_and_publish', 'artist', PASSPHRASE, { ...bind, method: 'metadata', token_id: String(id), data: JSON.stringify({ name: `Print #${id}`, image: `ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy/${id}.png` }) })
    }
    // The validator applies them in the background (expect.poll needs a test).
    await waitFor(`the laptop to list ${TOKENS} tokens`, async () => (await callLaptop('list_tokens', { chain_id: '1', token_address: ADDRESS }) as { total: number }).total >= TOKENS, { timeoutMs: 60_000, intervalMs: 100 })
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: laptop.url })
    page = await context.newPage()
    page.on('console', msg => { if (msg.type() === 'error') problems.push(msg.text()) })
    page.on('pageerror', err => { problems.push(err.message) })
    await page.goto(laptop.uiUrl)
    await page.waitForFunction('!location.hash.includes("token=")')
  })
  afterAll(async () => {
    await browser?.close()
    for (const node of [laptop, server]) node?.child.kill('SIGTERM')
    await Promise.all([laptop?.exited, server?.exited])
    await pinning?.close()
    cleanup?.()
  })

  it('points from the Serve screen to Go live, and says this node does not serve publicly', async () => {
    await page.evaluate("location.hash = '#/serve'")
    await expect.poll(async () => await page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 15_000 }).toBe('Serve your metadata')
    expect(await page.getByTestId('serve-go-live').textContent()).toContain('Go live shows each way')
    await expect.poll(async () => await page.getByTestId('public-gateway-url').textContent()).toContain('This node does not serve publicly')
    // A loopback node has only private addresses and no relay: the screen says so in words.
    expect(await page.getByTestId('serve-reachability').textContent()).toMatch(/^Not reachable/)
    await page.getByRole('link', { name: 'Go live' }).last().click()
    await expect.poll(async () => await page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 15_000 }).toBe('Go live')
  })

  it('"Use my own server": connects to the server, which follows the collection by the command shown, and the check reads a token from its public gateway', async () => {
    expect(await page.getByTestId('server-start-command').textContent()).toBe('lineage-node start --gateway-host 0.0.0.0')
    await page.getByRole('button', { name: 'Copy the start command' }).click()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('lineage-node start --gateway-host 0.0.0.0')

    const serverInfo = await callServer('node_info') as { peer_id: string, public_gateway_url: string, p2p: { listen_addresses: string[] } }
    const peerAddress = serverInfo.p2p.listen_addresses.find(a => a.includes('/tcp/') && !a.includes('/ws')) ?? ''
    await page.getByLabel('Server\'s peer address').fill(peerAddress)
    await page.getByRole('button', { name: 'Connect' }).click()
    await expect.poll(async () => await page.getByTestId('server-connected').textContent(), { timeout: 30_000 }).toContain(serverInfo.peer_id)

    // The command the screen gives, run as shown against the server (its data folder says which node).
    const follow = await page.getByTestId('server-follow-command').textContent() ?? ''
    expect(follow).toBe(`lineage-node follow add 1 ${ADDRESS.toLowerCase()}`)
    const ran = await runCli(follow.split(' ').slice(1), { LINEAGE_DATA_DIR: serverDir })
    expect(ran.code, ran.stderr).toBe(0)
    await expect.poll(async () => (await callServer('list_tokens', { chain_id: '1', token_address: ADDRESS }) as { total: number }).total, { timeout: 60_000 }).toBe(TOKENS)

    expect(serverInfo.public_gateway_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    await page.getByLabel('Your server\'s public address').fill(serverInfo.public_gateway_url)
    const base = `${serverInfo.public_gateway_url}/metadata/1/${ADDRESS.toLowerCase()}/`
    expect(await page.getByTestId('server-base-uri').textContent()).toBe(base)
    await page.getByRole('button', { name: 'Check it' }).click()
    await expect.poll(async () => await page.getByTestId('check-result-server').textContent(), { timeout: 30_000 }).toContain('A marketplace would show “Print #1” (HTTP 200')
    expect(await page.getByTestId('check-name-server').textContent()).toBe('Print #1')
    expect(await page.getByTestId('check-result-server').textContent()).toContain(`${base}1`)
    await shot('go-live-1-server')

    // A server address that answers nothing is said in words.
    const closed = net.createServer()
    await new Promise<void>(resolve => closed.listen({ host: '127.0.0.1', port: 0 }, resolve))
    const closedPort = (closed.address() as net.AddressInfo).port
    await new Promise(resolve => closed.close(resolve))
    await page.getByLabel('Your server\'s public address').fill(`http://127.0.0.1:${closedPort}`)
    await page.getByRole('button', { name: 'Check it' }).click()
    await expect.poll(async () => await page.getByTestId('check-result-server').textContent(), { timeout: 30_000 }).toContain(`nothing answered at 127.0.0.1:${closedPort} (connection refused)`)
  })

  it('"Publish an IPFS snapshot": makes one, lists its ipfs:// baseURI, pins it on a pinning service, saves it as a CAR, and checks ipfs://<cid>/<id> as a marketplace would', async () => {
    await page.getByLabel(/Publish an IPFS snapshot/).check()
    await expect.poll(async () => await page.getByTestId('snapshot-status').count() + await page.getByTestId('snapshot-list-empty').count() + await page.getByTestId('snapshot-list').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Make a snapshot' }).click()
    await expect.poll(async () => await page.getByTestId('snapshot-list').count(), { timeout: 60_000 }).toBe(1)
    const [snapshot] = await callLaptop('snapshot_ls', '1', ADDRESS) as Array<{ base_uri: string, root_cid: string }>
    expect(snapshot?.base_uri).toBe(`ipfs://${snapshot?.root_cid ?? ''}/`)
    expect(await page.getByTestId('snapshot-list').textContent()).toContain(snapshot?.base_uri)
    // Kept online by a pinning service: the node asks it to pin the root (Pinning Service API).
    await page.getByRole('button', { name: 'Pin on psa' }).click()
    await expect.poll(async () => await page.getByRole('status').filter({ hasText: 'Sent to psa' }).textContent(), { timeout: 15_000 }).toMatch(/^Sent to psa: (queued|pinning|pinned)\.$/)
    expect([...pinning.pins.values()].map(p => p.pin.cid)).toEqual([snapshot?.root_cid])
    // Saved as a CAR for any provider's upload: a CAR v1 whose one root is the snapshot.
    const car = path.join(workDir, 'snapshot.car')
    await page.getByLabel(/Save as CAR/).fill(car)
    await page.getByRole('button', { name: 'Save CAR' }).click()
    await expect.poll(async () => await page.getByRole('status').filter({ hasText: 'Saved as' }).textContent(), { timeout: 15_000 }).toBe(`Saved as ${car}.`)
    expect((await (await CarReader.fromBytes(fs.readFileSync(car))).getRoots()).map(String)).toEqual([snapshot?.root_cid])
    await page.getByRole('button', { name: 'Check it' }).click()
    await expect.poll(async () => await page.getByTestId('check-result-snapshot').textContent(), { timeout: 30_000 }).toContain('A marketplace would show “Print #1”')
    await shot('go-live-2-snapshot')
  })

  it('"Make this computer reachable": reachability and the DHT in words, and what to turn on before a check', async () => {
    await page.getByLabel(/Make this computer reachable/).check()
    const info = await callLaptop('node_info') as { reachability: { status: string }, dht: unknown }
    expect(info.reachability.status).toBe('unreachable')
    expect(await page.getByTestId('reachability').textContent()).toMatch(/^Not reachable/)
    // Tests run on loopback, where the DHT is off unless asked for.
    expect(info.dht).toBeNull()
    expect(await page.getByTestId('dht').textContent()).toMatch(/^Off/)
    // The laptop node serves nothing publicly: the screen says what to turn on.
    expect(await page.getByTestId('reachable-no-gateway').textContent()).toContain('"Serve publicly" is on in Settings')
    await shot('go-live-3-reachable')
  })

  it('on the server\'s own UI: Serve shows its public gateway, and "Make this computer reachable" checks a token there', async () => {
    const serverInfo = await callServer('node_info') as { public_gateway_url: string }
    await page.goto(server.uiUrl)
    await page.waitForFunction('!location.hash.includes("token=")')
    await page.evaluate("location.hash = '#/serve'")
    await expect.poll(async () => await page.getByTestId('public-gateway-url').textContent(), { timeout: 30_000 }).toBe(serverInfo.public_gateway_url)
    expect(await page.getByTestId('public-base-uri').textContent()).toBe(`${serverInfo.public_gateway_url}/metadata/1/${ADDRESS.toLowerCase()}/`)
    await page.evaluate("location.hash = '#/go-live'")
    await page.getByLabel(/Make this computer reachable/).check()
    // The step's whole text, not only the result: a refusal or a missing token shows in a failure.
    const step = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Check it' }) })
    await expect.poll(async () => await step.textContent(), { timeout: 30_000 }).toContain(`${serverInfo.public_gateway_url}/metadata/1/${ADDRESS.toLowerCase()}/1`)
    await step.getByRole('button', { name: 'Check it' }).click()
    await expect.poll(async () => await step.textContent(), { timeout: 30_000 }).toContain('A marketplace would show “Print #1” (HTTP 200')
    await shot('go-live-4-reachable-checked')
  })

  it('had no accessibility violations and no console errors', () => {
    expect(Object.keys(checked)).toEqual(['go-live-1-server', 'go-live-2-snapshot', 'go-live-3-reachable', 'go-live-4-reachable-checked'])
    expect(Object.fromEntries(Object.entries(checked).filter(([, v]) => v.length > 0))).toEqual({})
    expect(problems).toEqual([])
  })
})
