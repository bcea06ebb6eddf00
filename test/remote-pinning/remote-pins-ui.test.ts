import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PinInfo } from '../../src-main/api/rpc-types.js'
import { readApiToken } from '../../src-main/node/index.js'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { repoRoot } from '../helpers/processes.js'
import { startHarness } from '../helpers/harness.js'
import { postRpc } from '../helpers/rpc.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { rawBlock } from '../lineage/pins/helpers.js'
import { startPinningService } from './pinning-service-server.js'
import type { PinningServiceServer } from './pinning-service-server.js'

// The "Remote pinning" part of the Pins screen in Debian's Chromium: Vite compiles the component as
// the app build does, it talks to a real node over WebSocket, and the node to a real pinning service.
const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
const HARNESS = path.join(repoRoot, 'test', 'remote-pinning', 'fixtures', 'harness')
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const TOKEN = 'ui-service-token-0123456789ABCDEF'

async function axeViolations (page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  return await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then(result => result.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => JSON.stringify(n.target)).join(', ') + ')'))`) as string[]
}

describe('Remote pinning in the Pins screen, in Chromium', () => {
  let vite: ViteDevServer
  let browser: Browser
  let running: TestNode
  let service: PinningServiceServer
  let pin: PinInfo
  let page: Page

  beforeAll(async () => {
    service = await startPinningService({ token: TOKEN })
    // The harness's Vite server first: the node trusts its origin as the UI's (devUiOrigins).
    ;({ vite } = await startHarness(HARNESS))
    const harness = vite.resolvedUrls?.local[0] ?? ''
    running = await startTestNode({ offline: true, devUiOrigins: [new URL(harness).origin] })
    const block = await rawBlock('kept by a service, shown in the UI')
    createBlockstore(running.node.store, { transactionRows: ledgerReads }).putSync(block.cid, block.bytes)
    const apiToken = readApiToken(running.node.config.dataDir) ?? ''
    const answer = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pin_add', params: [block.cid.toString(), true, 'Genesis'] }), { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` })
    pin = (answer.json as { result: PinInfo }).result
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', err => { errors.push(err.message) })
    const ws = `${running.base.replace('http:', 'ws:')}/rpc/ws`
    await page.goto(`${harness}?props=${encodeURIComponent(JSON.stringify({ ws, token: apiToken, localPins: [pin] }))}`)
    await page.waitForSelector('body[data-mounted="true"]', { timeout: 60_000 })
    expect(errors).toEqual([])
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await vite?.close()
    await running?.stop()
    await service?.close()
  })

  it('adds a service through labelled inputs, shows its token masked, and refuses a non-http endpoint', async () => {
    expect(await axeViolations(page)).toEqual([])
    await page.getByLabel('Service name').fill('ftp-service')
    await page.getByLabel('API address').fill('ftp://pins.example.com')
    await page.getByLabel('Access token').fill(TOKEN)
    await page.getByRole('button', { name: 'Add service' }).click()
    await expect.poll(async () => await page.getByRole('alert').textContent(), { timeout: 15_000 }).toBe('API address: must be an http:// or https:// URL, not ftp:.')
    expect(await page.getByLabel('API address').getAttribute('aria-invalid')).toBe('true')

    await page.getByLabel('Service name').fill('psa')
    await page.getByLabel('API address').fill(service.url)
    await page.getByRole('button', { name: 'Add service' }).click()
    await expect.poll(async () => await page.getByTestId('pinning-services').locator('tbody tr').evaluateAll(trs => trs.map(tr => [...tr.children].map(c => c.textContent?.trim()))), { timeout: 15_000 })
      .toEqual([['psa', service.url, '********CDEF', '0 kept, 0 in progress, 0 failed', 'Remove']])
    expect(await page.getByLabel('Access token').inputValue()).toBe('')
    expect(await page.content()).not.toContain(TOKEN)
  })

  it('sends a pin to the service and shows its status until the service keeps it', async () => {
    expect(await page.getByLabel('Pin', { exact: true }).inputValue()).toBe(pin.cid)
    await page.getByRole('button', { name: 'Send to service' }).click()
    await expect.poll(async () => await page.getByTestId('remote-pins').locator('tbody tr').first().locator('td').nth(2).textContent(), { timeout: 30_000, interval: 200 })
      .toBe('Kept by the service')
    expect(await page.getByTestId('remote-pins').locator('tbody tr td').first().textContent()).toBe('Genesis')
    expect(service.posted.map(p => p.cid)).toEqual([pin.cid])
    expect(await axeViolations(page)).toEqual([])
  })
})
