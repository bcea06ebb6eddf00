/**
 * The creator's work is never lost, and the app speaks a creator's words (issue 18 §2, §3), in
 * Chromium against a real node process: unpublished edits survive a reload and leaving asks
 * first; "Discard my changes"; "Restore this version"; kept import and export reports (across a
 * node restart); an unchanged re-import says "already there"; skipped non-metadata files; every
 * problem of a refused file; a bad address caught before the passphrase; networks by name; the
 * sidebar's "Advanced"; "Free up space" feedback; and a stopped node said on every screen at
 * once, then reconnected by itself. Each step is screenshot at 1280×800 and 390×844 and checked
 * with axe; the text on screen is checked for developer words.
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, CHROMIUM_ARGS, CHROMIUM_PATH, SCREENS_DIR, VIEWPORTS, visibleText } from '../helpers/chromium.js'
import { startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'

const ADDRESS = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'
const PASSPHRASE = 'correct horse battery'
/** Words a creator should never have to read. */
const DEVELOPER_WORDS = /must NOT|must match pattern|uint256|token_address|meta_contract_id|background_color|on_execute|\bslots?\b|\bCID\b|Invalid params|chain id \d/

describe('never lose the creator\'s work; words a creator understands (Chromium, real node)', () => {
  let node: StartedNode
  let browser: Browser
  let page: Page
  let dir: string
  let cleanup: () => void
  let port = ''
  const problems: string[] = []
  const checked: Record<string, string[]> = {}
  const jargon: Record<string, string> = {}

  /** Screenshots the page wide and narrow, runs axe on both, and looks for developer words. */
  async function look (name: string): Promise<void> {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport)
      await page.screenshot({ path: path.join(SCREENS_DIR, `s${name}-${size}.png`), fullPage: true })
      checked[`${name}-${size}`] = await axeViolations(page)
    }
    await page.setViewportSize(VIEWPORTS.wide)
    const found = DEVELOPER_WORDS.exec(await visibleText(page))
    if (found !== null) jargon[name] = found[0]
  }
  async function heading (text: string | RegExp): Promise<void> {
    await expect.poll(async () => await page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 15_000 }).toMatch(text)
  }
  async function go (hash: string, text: string | RegExp): Promise<void> {
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`)
    await heading(text)
  }
  async function start (): Promise<void> {
    node = await startNodeProcess(['--data-dir', path.join(dir, 'node'), '--rpc-port', port, '--p2p-port', '0', '--p2p-host', '127.0.0.1'], 90_000)
    port = new URL(node.url).port
  }
  async function rpc (method: string, params: unknown[]): Promise<unknown> {
    const answer = (await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${node.token}` })).json as { result?: unknown, error?: { message: string } }
    if (answer.error !== undefined) throw new Error(answer.error.message)
    return answer.result
  }

  beforeAll(async () => {
    ;({ dir, cleanup } = tempDir())
    const art = path.join(dir, 'art')
    fs.mkdirSync(art)
    for (const id of [1, 2, 3, 4]) fs.writeFileSync(path.join(art, `${id}.json`), JSON.stringify({ name: `Kite #${id}`, description: 'A kite from the summer series.' }))
    // Two problems in one file: both must be reported, not only the first the rules name.
    fs.writeFileSync(path.join(art, '5.json'), JSON.stringify({ name: '', background_color: '#fff' }))
    fs.writeFileSync(path.join(art, 'cover.png'), 'an image beside the metadata')
    fs.writeFileSync(path.join(art, 'notes.txt'), 'the creator\'s notes')
    fs.mkdirSync(SCREENS_DIR, { recursive: true })
    for (const file of fs.readdirSync(SCREENS_DIR)) if (/^s\d\d-/.test(file)) fs.rmSync(path.join(SCREENS_DIR, file))
    port = '0'
    await start()
    await rpc('keys_new', ['studio', 'secp256k1', PASSPHRASE])
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
    page = await (await browser.newContext({ viewport: VIEWPORTS.wide })).newPage()
    page.on('console', msg => { if (msg.type() === 'error' && !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(msg.text())) problems.push(msg.text()) })
    page.on('pageerror', err => { problems.push(err.message) })
    // Reloading with unpublished edits asks (beforeunload); the test says yes.
    page.on('dialog', dialog => { void dialog.accept() })
    await page.goto(node.uiUrl)
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: 15_000 })
  })
  afterAll(async () => {
    await browser?.close()
    node?.child.kill('SIGTERM')
    await node?.exited
    cleanup?.()
  })

  it('keeps developer tools under "Advanced" in the sidebar', async () => {
    const advanced = page.getByRole('group', { name: 'Advanced' })
    expect(await advanced.getByRole('link').allTextContents()).toEqual(['Pins & storage', 'Peers & sync', 'Contracts', 'Chain', 'Logs'])
    expect(await page.getByTestId('node-state').textContent()).toContain('Node running')
    await look('01-dashboard')
  })

  it('catches a mistyped address before asking for the passphrase, and names networks', async () => {
    await go('#/collections', 'Collections')
    await page.getByLabel('NFT contract address').fill('0x2c7536E3605D9C16a7a3D7b1898e52939')
    await page.getByRole('button', { name: 'Sign and set the rules' }).click()
    expect(await page.getByTestId('address-error').textContent()).toContain('must be 0x followed by 40 digits')
    // One letter's case changed: the checksum shows the typo.
    await page.getByLabel('NFT contract address').fill(ADDRESS.replace('E3605', 'e3605'))
    await page.getByRole('button', { name: 'Sign and set the rules' }).click()
    expect(await page.getByTestId('address-error').textContent()).toContain('looks mistyped')
    await look('02-collections-address')
    expect(await page.getByLabel('Network (chain id)').locator('option:checked').textContent()).toBe('Ethereum (1)')
    await page.getByLabel('Network (chain id)').selectOption({ label: 'Base (8453)' })
    await page.getByLabel('NFT contract address').fill(ADDRESS)
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Sign and set the rules' }).click()
    await expect.poll(async () => await page.getByRole('form', { name: 'Choose the rules for a collection' }).getByRole('status').textContent(), { timeout: 20_000 }).toContain('now follows these rules: ERC-721 metadata')
    await expect.poll(async () => await page.getByTestId('collections').textContent()).toContain('Base (8453)')
    await look('03-collections-bound')
  })

  it('imports, skips the image and the notes once, and lists every problem of the refused file', async () => {
    await go('#/transfer', 'Import and export')
    // The typed path: the fallback beside the folder picker and the upload (creator-journey uses those).
    await page.getByText('Type a path on the node\'s computer instead').click()
    await page.getByLabel('Full path on the node\'s computer').fill(path.join(dir, 'art'))
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Start import' }).click()
    await page.getByTestId('rejected-items').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('import-progress').textContent()).toContain('4 written, 0 already there, 1 refused')
    expect(await page.getByTestId('import-ignored').textContent()).toMatch(/^Skipped 2 files that are not metadata \((cover\.png, notes\.txt|notes\.txt, cover\.png)\)\.$/)
    await expect.poll(async () => await page.getByTestId('refused-problems').locator('li').allTextContents(), { timeout: 15_000 })
      .toEqual(['Give the token a name; it must not be empty.', 'The background color must be 6 hexadecimal digits without #, for example 1a2b3c.'])
    await look('04-import-report')
  })

  it('says "already there" when the same folder is imported again, and keeps both reports', async () => {
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Start import' }).click()
    await expect.poll(async () => await page.getByTestId('import-progress').textContent(), { timeout: 60_000 }).toContain('0 written, 4 already there, 1 refused')
    await go('#/dashboard', 'Dashboard')
    await go('#/transfer', 'Import and export')
    await expect.poll(async () => await page.getByTestId('job-history').locator('tbody tr').count()).toBe(2)
    expect(await page.getByTestId('job-history').locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('Finished: 0 written, 4 already there, 1 refused'),
      expect.stringContaining('Finished: 4 written, 0 already there, 1 refused'),
    ])
    await page.getByRole('button', { name: /^Show report: import of / }).last().click()
    await expect.poll(async () => await page.getByTestId('rejected-items').locator('tbody tr').count()).toBe(1)
    await look('05-job-history')
  })

  it('keeps an edited form through a reload, asks before leaving, and discards on request', async () => {
    await go(`#/token/8453/${ADDRESS.toLowerCase()}/1`, 'Token #1')
    await page.getByLabel('Name').fill('Kite #1, blue')
    expect(await page.getByTestId('unsaved').count()).toBe(1)
    await page.getByRole('link', { name: 'Tokens', exact: true }).first().click()
    await expect.poll(async () => await page.getByRole('dialog').getByRole('heading').textContent()).toBe('Leave without publishing?')
    await look('06-leave-dialog')
    await page.getByRole('button', { name: 'Stay on this token' }).click()
    await heading('Token #1')
    expect(page.url()).toContain('#/token/8453/')
    await page.reload()
    await heading('Token #1')
    await expect.poll(async () => await page.getByLabel('Name').inputValue()).toBe('Kite #1, blue')
    expect(await page.getByTestId('draft-restored').textContent()).toContain('Your unpublished changes from')
    await look('07-draft-restored')
    await page.getByRole('button', { name: 'Discard my changes' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Discard my changes' }).click()
    await expect.poll(async () => await page.getByLabel('Name').inputValue()).toBe('Kite #1')
    expect(await page.getByTestId('unsaved').count()).toBe(0)
    await page.reload()
    await heading('Token #1')
    await expect.poll(async () => await page.getByLabel('Name').inputValue()).toBe('Kite #1')
    expect(await page.getByTestId('draft-restored').count()).toBe(0)
  })

  it('restores an old version from History as a new signed version', async () => {
    await page.getByLabel('Name').fill('Kite #1, renamed')
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Sign and publish' }).click()
    await expect.poll(async () => await page.getByTestId('published').textContent(), { timeout: 20_000 }).toMatch(/new version is bafyrei/)
    await page.getByRole('link', { name: 'See its history' }).click()
    await heading('History of token #1')
    await page.getByRole('button', { name: 'Restore this version (version 1)' }).click()
    await page.getByTestId('restore-panel').getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await look('08-restore-panel')
    await page.getByRole('button', { name: 'Sign and restore version 1' }).click()
    await expect.poll(async () => await page.getByTestId('restored').textContent(), { timeout: 20_000 }).toBe('Version 1 is restored: it is now version 3, the current one.')
    await expect.poll(async () => await page.getByTestId('versions').locator('tbody tr').count()).toBe(3)
    expect(await page.getByTestId('versions').locator('tbody tr').first().textContent()).toContain('Kite #1')
    expect(await page.getByTestId('versions').locator('tbody tr').first().textContent()).not.toContain('renamed')
    await look('09-history-restored')
  })

  it('"Free up space" says what it deletes and what it did, also when nothing can be freed', async () => {
    await go('#/pins', 'Pins and storage')
    expect(await page.getByTestId('gc-explain').textContent()).toContain('never deletes a token\'s versions or their history')
    await page.getByRole('button', { name: 'Free up space…' }).click()
    // Nothing to free is said at once beside the button; something to free is asked about first.
    await expect.poll(async () => await page.getByTestId('gc-result').count() + await page.getByRole('dialog').count()).toBe(1)
    await look('10-free-space-plan')
    if (await page.getByTestId('gc-result').count() === 1) {
      expect(await page.getByTestId('gc-result').textContent()).toMatch(/^Checked at .*: nothing to free\. Everything stored is in use by a token, a pin or a contract\.$/)
    } else {
      expect(await page.getByTestId('gc-plan').textContent()).toMatch(/^This deletes /)
      await page.getByRole('button', { name: 'Delete them' }).click()
      await expect.poll(async () => await page.getByTestId('gc-result').textContent()).toMatch(/^Freed .* deleted\)\. Tokens, their history and pins are untouched\.$/)
    }
    await look('11-free-space-done')
  })

  it('says the node stopped on every screen at once, then reconnects by itself', async () => {
    await go('#/dashboard', 'Dashboard')
    node.child.kill('SIGTERM')
    await node.exited
    await page.getByTestId('node-lost').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('node-state').textContent()).toBe('Node stopped · reconnecting…')
    expect(await page.getByTestId('dashboard-state').textContent()).toContain('Not answering')
    expect(await page.getByTestId('dashboard-storage').textContent()).toMatch(/^Last known: /)
    await look('12-node-stopped')
    // Another screen says it too, without waiting.
    await page.evaluate('location.hash = "#/transfer"')
    await heading('Import and export')
    expect(await page.getByTestId('node-lost').isVisible()).toBe(true)
    await start()
    await expect.poll(async () => await page.getByTestId('node-state').textContent(), { timeout: 20_000 }).toBe('Node running')
    expect(await page.getByTestId('node-lost').count()).toBe(0)
    // The kept reports are still there after the restart.
    await go('#/dashboard', 'Dashboard')
    await go('#/transfer', 'Import and export')
    await expect.poll(async () => await page.getByTestId('job-history').locator('tbody tr').count()).toBe(2)
    await look('13-reconnected')
  })

  it('had no accessibility violations, no developer words and no console errors', () => {
    expect(Object.keys(checked).length).toBeGreaterThanOrEqual(26)
    expect(Object.fromEntries(Object.entries(checked).filter(([, v]) => v.length > 0))).toEqual({})
    expect(jargon).toEqual({})
    expect(problems).toEqual([])
  })
})
