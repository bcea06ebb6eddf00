/**
 * Files dropped on the window in browser mode, end to end in Chromium against a real node: a
 * synthetic drop (a DataTransfer holding File objects made in the page, dispatched as
 * dragenter/dragover/drop) goes through the app's own drop handler, the files stream to the node's
 * upload folder byte for byte, and the import reads them into tokens. A file an import cannot read
 * is refused in words, with nothing sent. What this cannot reach: an OS drag of a real folder
 * (the File and Directory Entries walk) and the desktop app's path of a dropped file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, VIEWPORTS } from '../helpers/chromium.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { ownerCaller } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'

const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const SCREENS_DIR = path.join(repoRoot, 'test-results', 'screens')
const ADDRESS = '0x3a2b8f4c5d6e7f8091a2b3c4d5e6f708192a3b4c'
const PASSPHRASE = 'correct horse battery'
const ITEMS = 15

/** Drops these files on the page as a person's drag would arrive: dragenter, dragover, drop, each carrying the same DataTransfer. */
const DROP = `(files) => {
  const transfer = new DataTransfer()
  for (const f of files) transfer.items.add(new File([f.text], f.name, { type: f.type }))
  for (const type of ['dragenter', 'dragover', 'drop']) document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }))
}`

describe('a drop of files on the window (browser mode, real node)', () => {
  let node: StartedNode
  let browser: Browser
  let page: Page
  let dir: string
  let cleanup: () => void
  const problems: string[] = []
  const checked: Record<string, string[]> = {}
  const call = ownerCaller(() => node)
  const documents = Array.from({ length: ITEMS }, (_, i) => ({ name: `${i + 1}.json`, type: 'application/json', text: JSON.stringify({ name: `Dropped lantern ${i + 1}`, attributes: [{ trait_type: 'Glow', value: i % 2 === 0 ? 'Blue' : 'Amber' }] }) }))
  const drop = async (files: Array<{ name: string, type: string, text: string }>): Promise<void> => { await page.evaluate(`(${DROP})(${JSON.stringify(files)})`) }
  async function shot (name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENS_DIR, `drop-${name}.png`), fullPage: true })
    checked[name] = await axeViolations(page)
  }

  beforeAll(async () => {
    ;({ dir, cleanup } = tempDir())
    fs.mkdirSync(SCREENS_DIR, { recursive: true })
    node = await startNodeProcess(['--data-dir', path.join(dir, 'node'), ...TEST_NODE_ARGS, '--offline'], 90_000)
    await call('keys_new', 'studio', 'ed25519', PASSPHRASE)
    await call('sign_and_publish', 'studio', PASSPHRASE, { method: 'contract', chain_id: '1', token_address: ADDRESS, token_id: '', meta_contract_id: 'open' })
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await (await browser.newContext({ viewport: VIEWPORTS.wide })).newPage()
    page.on('console', msg => { if (msg.type() === 'error') problems.push(`${msg.text()} ${msg.location().url}`) })
    page.on('pageerror', err => { problems.push(err.message) })
    await page.goto(node.uiUrl)
    for (const end = Date.now() + 15_000; page.url().includes('token=') && Date.now() < end;) await new Promise(resolve => setTimeout(resolve, 100))
    await page.evaluate('location.hash = "#/dashboard"')
    await page.getByRole('heading', { level: 1 }).first().waitFor()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    node?.child.kill('SIGTERM')
    await node?.exited
    cleanup?.()
  })

  it('refuses a dropped file an import cannot read, in words, and sends nothing', async () => {
    await drop([{ name: 'cover.png', type: 'image/png', text: 'not really a png' }])
    await expect.poll(async () => await page.getByRole('heading', { level: 1 }).first().textContent()).toBe('Import and export')
    await expect.poll(async () => await page.getByText('cover.png is not something an import reads.').count()).toBe(1)
    expect(fs.readdirSync(path.join(dir, 'node', 'uploads'))).toEqual([])
    await shot('01-refused')
  })

  it('sends the dropped files to the node byte for byte, and the import makes them tokens', async () => {
    await page.evaluate('location.hash = "#/dashboard"')
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await drop(documents)
    await expect.poll(async () => await page.getByRole('heading', { level: 1 }).first().textContent()).toBe('Import and export')
    await expect.poll(async () => await page.getByTestId('import-source').textContent(), { timeout: 30_000 }).toContain(`dropped files (${ITEMS} files`)
    const uploads = path.join(dir, 'node', 'uploads')
    const [upload] = fs.readdirSync(uploads)
    const sent = path.join(uploads, upload ?? '', 'dropped files')
    expect(fs.readdirSync(sent).sort()).toEqual(documents.map(d => d.name).sort())
    for (const d of documents) expect(fs.readFileSync(path.join(sent, d.name), 'utf8')).toBe(d.text)
    await shot('02-dropped')
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Start import' }).click()
    await expect.poll(async () => await page.getByTestId('import-progress').textContent(), { timeout: 60_000 }).toContain(`${ITEMS} written, 0 already there, 0 refused`)
    const page1 = await call<{ total: number, items: Array<{ name: string }> }>('browse_tokens', { chain_id: '1', token_address: ADDRESS }, { facets: false, page_size: 50 })
    expect(page1.total).toBe(ITEMS)
    expect(page1.items.map(i => i.name).sort()).toEqual(documents.map((_, i) => `Dropped lantern ${i + 1}`).sort())
    await shot('03-imported')
    // The uploaded copies go once the import has read them.
    await expect.poll(() => fs.readdirSync(uploads), { timeout: 15_000 }).toEqual([])
  })

  it('had no accessibility violations and no console errors', () => {
    expect(Object.keys(checked)).toEqual(['01-refused', '02-dropped', '03-imported'])
    expect(Object.fromEntries(Object.entries(checked).filter(([, v]) => v.length > 0))).toEqual({})
    expect(problems).toEqual([])
  })
})
