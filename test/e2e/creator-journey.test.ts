import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, VIEWPORTS } from '../helpers/chromium.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'

// Set by scripts/test.mjs, which finds or installs Debian's Chromium; never a downloaded build.
const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const SCREENS_DIR = path.join(repoRoot, 'test-results', 'screens')

const ADDRESS = '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D'
const PASSPHRASE = 'correct horse battery'
// Enough that the import outlasts several progress events (JOB_PROGRESS_INTERVAL_MS) even on a fast, quiet machine.
const ITEMS = 2_000
/** The one item the erc721 contract refuses: a color with "#". */
const BAD_ITEM = 137

function writeCollection (dir: string): void {
  fs.mkdirSync(dir)
  for (let id = 1; id <= ITEMS; id++) {
    const doc = {
      name: `Lantern #${id}`,
      description: 'A lantern from the harbour series.',
      image: 'ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      ...(id === BAD_ITEM ? { background_color: '#ff8800' } : { background_color: 'ff8800' }),
      attributes: [{ trait_type: 'Glow', value: id % 3 === 0 ? 'Amber' : 'Blue' }, { trait_type: 'Height', value: id % 50, display_type: 'number' }],
    }
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(doc))
  }
}

describe('the creator journey in Chromium, against a real headless node (browser mode)', () => {
  let node: StartedNode
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let dir: string
  let cleanup: () => void
  const problems: string[] = []
  const checked: Record<string, string[]> = {}

  /** Waits for a screen's heading, then screenshots it and runs axe on it. */
  async function screen (name: string, heading: string | RegExp): Promise<void> {
    await expect.poll(async () => await page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 15_000 }).toMatch(heading)
    await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true })
    checked[name] = await axeViolations(page)
  }

  async function go (hash: string, heading: string | RegExp, name: string): Promise<void> {
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`)
    await screen(name, heading)
  }

  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    dir = t.dir
    writeCollection(path.join(dir, 'lanterns'))
    // Only this journey's own (numbered) screenshots: other files write theirs here too.
    fs.mkdirSync(SCREENS_DIR, { recursive: true })
    for (const file of fs.readdirSync(SCREENS_DIR)) if (/^(\d\d[a-z]?|tour)-/.test(file)) fs.rmSync(path.join(SCREENS_DIR, file))
    node = await startNodeProcess(['--data-dir', path.join(dir, 'node'), ...TEST_NODE_ARGS], 90_000)
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: node.url })
    page = await context.newPage()
    // The documents' image CID is not held by the node: the preview's 404 for it is expected (and said in words).
    page.on('console', msg => { if (msg.type() === 'error' && !msg.location().url.includes('/ipfs/')) problems.push(`${msg.text()} ${msg.location().url}`) })
    page.on('pageerror', err => { problems.push(err.message) })
  })
  afterAll(async () => {
    await browser?.close()
    node?.child.kill('SIGTERM')
    await node?.exited
    cleanup?.()
  })

  it('asks for the token, refuses a wrong one, and signs in from the URL the node printed', async () => {
    await page.goto(`${node.url}/app/`)
    await screen('01-login', 'Sign in to your Lineage node')
    await page.getByLabel('Access token').fill('0'.repeat(64))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(async () => await page.getByRole('alert').textContent()).toContain('not this node\'s access token')
    expect(node.uiUrl).toMatch(/\/app\/#token=[0-9a-f]{64}$/)
    await page.goto(node.uiUrl)
    await expect.poll(() => page.url()).not.toContain('token=')
  })

  it('first run: shows the data folder, creates a key with a passphrase', async () => {
    await screen('02-welcome-data-folder', 'Welcome to Lineage')
    expect(await page.getByTestId('wizard-data-dir').textContent()).toBe(path.join(dir, 'node'))
    expect(await page.getByText('cannot be changed from a browser').count()).toBe(1)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByLabel('Key name').fill('studio')
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
    await page.getByLabel('Passphrase again').fill('not the same')
    expect(await page.getByText('The two passphrases differ.').count()).toBe(1)
    await page.getByLabel('Passphrase again').fill(PASSPHRASE)
    await page.screenshot({ path: path.join(SCREENS_DIR, '03-welcome-key.png'), fullPage: true })
    checked['03-welcome-key'] = await axeViolations(page)
    await page.getByRole('button', { name: 'Create key' }).click()
    await expect.poll(async () => await page.getByTestId('wizard-public-key').textContent(), { timeout: 20_000 }).toMatch(/^0x[0-9a-f]{40}$/)
    await page.screenshot({ path: path.join(SCREENS_DIR, '04-welcome-done.png'), fullPage: true })
  })

  it('keyboard: the first Tab reaches "Skip to content", and the sidebar is a list of links', async () => {
    await go('#/dashboard', 'Dashboard', '05-dashboard')
    // Moving to another screen puts focus on its heading; a fresh load starts at the top.
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('H1')
    await page.reload()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content')
    await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Dashboard')
    expect(await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').count()).toBe(13)
  })

  it('binds the erc721 contract to the collection', async () => {
    await go('#/collections', 'Collections', '06-collections-empty')
    // Until bindings are checked against the chain, the first signer wins: the form says so before anyone binds.
    const form = page.getByRole('form', { name: 'Choose the rules for a collection' })
    const risk = form.getByTestId('binding-risk')
    expect(await risk.isVisible()).toBe(true)
    expect(await risk.textContent()).toMatch(/Until this node checks the chain, whoever first chooses the rules of a collection\s+decides them, whether or not they own the NFT contract/)
    await page.getByLabel('NFT contract address').fill(ADDRESS)
    await page.getByLabel('Rules', { exact: true }).selectOption('erc721')
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Sign and set the rules' }).click()
    await expect.poll(async () => await form.getByRole('status').textContent(), { timeout: 20_000 }).toContain('now follows these rules: ERC-721 metadata')
    await expect.poll(async () => await page.getByTestId('collections').textContent()).toContain(ADDRESS)
  })

  it(`uploads a ${ITEMS}-file folder from the browser, then imports it with a moving progress bar, and reports the refused item with its reason`, async () => {
    await go('#/transfer', 'Import and export', '07-import-form')
    // The browser's own folder picker (a webkitdirectory input): its files stream to the node.
    const uploads = path.join(dir, 'node', 'uploads')
    await page.getByTestId('folder-input').setInputFiles(path.join(dir, 'lanterns'))
    await expect.poll(async () => await page.getByTestId('import-source').textContent(), { timeout: 60_000 }).toContain(`lanterns (${ITEMS.toLocaleString('en-US')} files`)
    const [uploadId] = fs.readdirSync(uploads)
    // In a folder named as the creator's: the import's history shows …/lanterns.
    expect(fs.readdirSync(path.join(uploads, uploadId ?? '', 'lanterns')).length).toBe(ITEMS)
    expect(fs.readFileSync(path.join(uploads, uploadId ?? '', 'lanterns', '42.json'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'lanterns', '42.json'), 'utf8'))
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    // Every value the bar shows, recorded in the page as it changes.
    await page.evaluate(`
      window.seen = []
      new MutationObserver(() => {
        const value = document.querySelector('[data-testid="import-progress"] [role="progressbar"]')?.getAttribute('aria-valuenow')
        if (value != null && window.seen.at(-1) !== value) window.seen.push(value)
      }).observe(document.body, { subtree: true, childList: true, attributes: true })
    `)
    await page.getByRole('button', { name: 'Start import' }).click()
    await page.getByTestId('import-progress').waitFor()
    await page.screenshot({ path: path.join(SCREENS_DIR, '08-import-running.png'), fullPage: true })
    await page.getByTestId('rejected-items').waitFor({ timeout: 60_000 })
    const seen = (await page.evaluate('window.seen') as string[]).map(Number)
    expect(seen.at(-1)).toBe(100)
    expect(seen.some(v => v > 0 && v < 100), `progress values seen: ${seen.join(', ')}`).toBe(true)
    const rows = page.getByTestId('rejected-items').locator('tbody tr')
    expect(await rows.count()).toBe(1)
    expect(await rows.first().textContent()).toMatch(new RegExp(`${BAD_ITEM}\\.json.*[Bb]ackground color must be 6 hexadecimal digits without #`))
    expect(await page.getByTestId('import-progress').textContent()).toContain(`${ITEMS - 1} written, 0 already there, 1 refused`)
    await screen('09-import-report', 'Import and export')
    // Read once: the uploaded files are deleted on the node when the import ends.
    await expect.poll(() => fs.readdirSync(uploads), { timeout: 15_000 }).toEqual([])
  }, 240_000)

  it('cancels an upload, and the node keeps none of its files', async () => {
    await go('#/transfer', 'Import and export', '09b-import-again')
    // Ten files reach the node, then the rest are held in flight: the cancel comes mid-upload.
    let passed = 0
    const held: Route[] = []
    await page.route(/\/uploads\/[0-9a-f]{32}\/[^/]+$/, async route => { if (passed++ < 10) await route.continue(); else held.push(route) })
    await page.getByTestId('folder-input').setInputFiles(path.join(dir, 'lanterns'))
    await page.getByTestId('upload-progress').waitFor()
    await expect.poll(() => held.length, { timeout: 15_000 }).toBeGreaterThan(0)
    const [uploadId] = fs.readdirSync(path.join(dir, 'node', 'uploads'))
    await expect.poll(() => fs.readdirSync(path.join(dir, 'node', 'uploads', uploadId ?? '', 'lanterns')).length, { timeout: 15_000 }).toBe(10)
    await page.screenshot({ path: path.join(SCREENS_DIR, '09c-upload-running.png'), fullPage: true })
    await page.getByRole('button', { name: 'Cancel upload' }).click()
    await expect.poll(async () => await page.getByText('Upload cancelled; nothing was kept.').count()).toBe(1)
    await expect.poll(() => fs.readdirSync(path.join(dir, 'node', 'uploads')), { timeout: 15_000 }).toEqual([])
    await page.unroute(/\/uploads\/[0-9a-f]{32}\/[^/]+$/)
    for (const route of held) await route.abort().catch(() => {})
    expect(await page.getByRole('button', { name: 'Choose a folder…' }).count()).toBe(1)
  })

  it('fixes the refused item in the editor: local check, the contract\'s own reason, publish', async () => {
    await page.getByRole('link', { name: `Fix in the editor: token ${BAD_ITEM}` }).click()
    // The screenshot shows the refusal, not "Loading the token…".
    await page.getByTestId('refused').waitFor({ timeout: 15_000 })
    await screen('10-editor-refused', `Token #${BAD_ITEM}`)
    expect(await page.getByTestId('refused').textContent()).toContain('Background color must be 6 hexadecimal digits without #')
    await page.getByRole('button', { name: 'Start from the refused document to fix it' }).click()
    await expect.poll(async () => await page.getByTestId('field-error-background_color').textContent()).toContain('6 hexadecimal digits without #')
    await expect.poll(async () => await page.getByTestId('contract-verdict').textContent()).toContain('would refuse it: Background color must be 6 hexadecimal digits without #')
    await page.screenshot({ path: path.join(SCREENS_DIR, '11-editor-invalid.png'), fullPage: true })
    await page.getByLabel('Background color').fill('ff8800')
    await expect.poll(async () => await page.getByTestId('contract-verdict').textContent()).toContain('accept it')
    expect(await page.getByTestId('local-ok').count()).toBe(1)
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Sign and publish' }).click()
    await expect.poll(async () => await page.getByTestId('published').textContent(), { timeout: 20_000 }).toMatch(/new version is bafyrei/)
  })

  it(`finds a token among ${ITEMS} by its name, edits it (raw JSON and form in step), and publishes`, async () => {
    await go('#/tokens', 'Tokens', '12-tokens')
    await expect.poll(async () => await page.getByTestId('token-count').textContent()).toContain(`${ITEMS.toLocaleString('en-US')} tokens`)
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await expect.poll(async () => await page.getByTestId('token-count').textContent()).toContain('showing 25–48')
    expect(await page.getByTestId('page-of').textContent()).toBe(`Page 2 of ${Math.ceil(ITEMS / 24).toLocaleString('en-US')}`)
    // Names are searchable: "Lantern #42" is the token, with the ids that begin with 42 (420–429, 4200…).
    await page.getByLabel('Search names and descriptions').fill('lantern 42')
    await expect.poll(async () => await page.getByTestId('token-count').textContent()).toContain('tokens match')
    await page.getByRole('link', { name: 'Lantern #42', exact: true }).click()
    await page.getByLabel('Raw JSON').waitFor({ timeout: 15_000 })
    await screen('13-editor', 'Token #42')
    await page.getByLabel('Name').fill('Lantern #42, relit')
    await expect.poll(async () => await page.getByLabel('Raw JSON').inputValue()).toContain('"name": "Lantern #42, relit"')
    const raw = JSON.parse(await page.getByLabel('Raw JSON').inputValue()) as { attributes: Array<{ trait_type: string, value: unknown }> }
    raw.attributes[0]!.value = 'Gold'
    await page.getByLabel('Raw JSON').fill(JSON.stringify(raw, null, 2))
    await expect.poll(async () => await page.getByLabel('Trait 1 value').inputValue()).toBe('Gold')
    await page.getByRole('button', { name: 'Add a trait' }).click()
    await page.getByLabel('Trait 3 type').fill('Season')
    await page.getByLabel('Trait 3 value').fill('Winter')
    await expect.poll(async () => await page.getByTestId('contract-verdict').textContent()).toContain('accept it')
    await page.getByLabel('Passphrase of that key').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Sign and publish' }).click()
    await expect.poll(async () => await page.getByTestId('published').textContent(), { timeout: 20_000 }).toMatch(/new version is bafyrei/)
    await page.screenshot({ path: path.join(SCREENS_DIR, '14-editor-published.png'), fullPage: true })
  })

  it('shows the history and a readable diff between two versions', async () => {
    await page.getByRole('link', { name: 'See its history' }).click()
    await screen('15-history', 'History of token #42')
    expect(await page.getByTestId('versions').locator('tbody tr').count()).toBe(2)
    await expect.poll(async () => await page.getByTestId('diff-summary').textContent()).toBe('3 changes: 1 added, 2 changed')
    const rows = await page.getByTestId('diff-row').allTextContents()
    expect(rows.some(r => r.includes('Name') && r.includes('Lantern #42') && r.includes('Lantern #42, relit'))).toBe(true)
    expect(rows.some(r => r.includes('Trait 1 › value') && r.includes('Amber') && r.includes('Gold'))).toBe(true)
    expect(rows.some(r => r.startsWith('Trait 3') && r.includes('Added') && r.includes('Winter'))).toBe(true)
    // Compared with nothing, the first version is all additions.
    await page.getByLabel('Compare to version 1').check()
    await page.getByLabel('Compare from version 1').check()
    await expect.poll(async () => await page.getByTestId('diff-summary').textContent()).toMatch(/^No changes/)
  })

  it('pins the token, then shows pins with sizes and what GC would free', async () => {
    await go('#/token/1/' + ADDRESS + '/42', 'Token #42', '16-editor-before-pin')
    await page.getByRole('button', { name: 'Pin this version' }).click()
    await expect.poll(async () => await page.getByTestId('pinned').textContent()).toContain('Pinned')
    await go('#/pins', 'Pins and storage', '17-pins')
    expect(await page.getByTestId('pins').textContent()).toContain('token 42')
    await page.getByRole('button', { name: 'Free up space…' }).click()
    // Either it asks before deleting what it found, or it says at once that nothing can be freed.
    await expect.poll(async () => (await page.locator('[data-testid="gc-plan"], [data-testid="gc-result"]').allTextContents()).join(' '), { timeout: 15_000 })
      .toMatch(/nothing to free|This deletes /)
    await page.screenshot({ path: path.join(SCREENS_DIR, '18-gc-confirm.png'), fullPage: true })
    checked['18-gc-confirm'] = await axeViolations(page)
    if (await page.getByRole('dialog').count() > 0) await page.getByRole('button', { name: 'Cancel' }).click()
  })

  it('gives the baseURI to copy, and fetches a tokenURI live', async () => {
    await go('#/serve', 'Serve your metadata', '19-serve')
    const base = `${node.url}/metadata/1/${ADDRESS.toLowerCase()}/`
    expect(await page.getByTestId('base-uri').textContent()).toBe(base)
    await page.getByRole('button', { name: 'Copy the baseURI' }).click()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(base)
    await page.getByLabel('Token id').fill('42')
    await page.getByRole('button', { name: 'Fetch it now' }).click()
    await expect.poll(async () => await page.getByTestId('fetch-status').textContent()).toContain('HTTP 200')
    expect(JSON.parse(await page.getByTestId('fetch-body').textContent() ?? '')).toMatchObject({ name: 'Lantern #42, relit' })
    await page.screenshot({ path: path.join(SCREENS_DIR, '20-serve-fetched.png'), fullPage: true })
  })

  it('exports a CAR backup of the collection', async () => {
    await go('#/transfer', 'Import and export', '21-export-form')
    const car = path.join(dir, 'lanterns.car')
    // Browser mode: no path to type; the browser saves the CAR as a normal download.
    expect(await page.getByLabel('Save as').count()).toBe(0)
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByRole('button', { name: 'Download backup' }).click()])
    expect(download.suggestedFilename()).toBe(`lineage-1-${ADDRESS}.car`)
    await download.saveAs(car)
    await expect.poll(async () => await page.getByTestId('export-downloading').textContent(), { timeout: 30_000 }).toMatch(/\d+ signed writes/)
    // The binding, the import's items (its refused one included) and the two edits.
    expect(Number(/: ([\d,]+) signed writes/.exec(await page.getByTestId('export-downloading').textContent() ?? '')?.[1]?.replaceAll(',', ''))).toBeGreaterThanOrEqual(ITEMS + 2)
    expect(fs.statSync(car).size).toBeGreaterThan(100_000)
    await page.screenshot({ path: path.join(SCREENS_DIR, '22-export-done.png'), fullPage: true })
  })

  it('shows every other screen, each passing axe', async () => {
    await go('#/dashboard', 'Dashboard', '23-dashboard-activity')
    expect(await page.getByTestId('activity').textContent()).toMatch(/Backup written|Token metadata was published/)
    await go('#/collections', 'Collections', '24-collections')
    expect(await page.getByTestId('collections').textContent()).toContain(ITEMS.toLocaleString('en-US'))
    await go('#/network', 'Peers & sync', '25-network')
    // The collection this node wrote to is followed for it; another can be followed and dropped by hand.
    await expect.poll(async () => await page.getByTestId('follow-list').textContent()).toContain(ADDRESS)
    expect(await page.getByTestId('follow-auto').count()).toBe(1)
    const other = '0x5180db8F5c931aaE63c74266b211F580155ecac8'
    await page.getByLabel('NFT contract address').fill(other)
    await page.getByRole('button', { name: 'Follow this collection' }).click()
    await expect.poll(async () => await page.getByTestId('follow-list').locator('tbody tr').count()).toBe(2)
    expect(await page.getByTestId('follow-auto').count()).toBe(1)
    await page.getByRole('button', { name: `Stop following ${other}` }).click()
    await expect.poll(async () => await page.getByTestId('follow-list').locator('tbody tr').count()).toBe(1)
    // No peer yet: a wrong address is refused in words.
    expect(await page.getByTestId('peer-list-empty').count()).toBe(1)
    await page.getByLabel('Add a peer by its address').fill('/ip4/127.0.0.1/tcp/1')
    await page.getByRole('button', { name: 'Connect' }).click()
    await expect.poll(async () => await page.getByRole('alert').first().textContent()).toContain('That is not a peer address')
    await page.screenshot({ path: path.join(SCREENS_DIR, '25-network.png'), fullPage: true })
    await go('#/services', 'Contracts and services', '26-services')
    await go('#/keys', 'Keys', '27-keys')
    await go('#/logs', 'Logs', '28-logs')
    await expect.poll(async () => await page.getByTestId('log-lines').textContent()).toContain('lineage:')
    await go('#/settings', 'Settings', '29-settings')
    expect(await page.getByTestId('settings-data-dir').textContent()).toBe(path.join(dir, 'node'))
  })

  it('keys: copies a public key in one click, backs a new key up as a download, deletes it only when its name is typed, and takes the backup back through a masked field', async () => {
    await go('#/keys', 'Keys', '30-keys')
    const studio = (await page.getByTestId('keys').locator('tbody tr').first().locator('code').textContent()) ?? ''
    await page.getByRole('button', { name: 'Copy the public key of studio' }).click()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(studio)

    const form = page.getByRole('form', { name: 'Create a key' })
    await form.getByLabel('Key name').fill('spare')
    await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
    await form.getByLabel('Passphrase again').fill(PASSPHRASE)
    await form.getByRole('button', { name: 'Create key' }).click()
    // Right after creating: a clear prompt to back it up.
    await page.getByTestId('backup-prompt').waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('backup-prompt').textContent()).toContain('Back up spare now.')
    await page.screenshot({ path: path.join(SCREENS_DIR, '31-keys-backup-prompt.png'), fullPage: true })
    checked['31-keys-backup-prompt'] = await axeViolations(page)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Back up spare…' }).click()])
    expect(download.suggestedFilename()).toBe('spare.json')
    const backupFile = path.join(dir, 'spare-backup.json')
    await download.saveAs(backupFile)
    const keystore = JSON.parse(fs.readFileSync(backupFile, 'utf8')) as { address: string, crypto: { ciphertext: string } }
    const spare = (await page.getByTestId('keys').locator('tr', { hasText: 'spare' }).locator('code').textContent()) ?? ''
    expect(`0x${keystore.address}`).toBe(spare)
    expect(keystore.crypto.ciphertext).toMatch(/^[0-9a-f]{64}$/)
    expect(await page.getByTestId('backup-saved').textContent()).toContain('in your browser\'s downloads as spare.json')
    // Done: the prompt goes.
    expect(await page.getByTestId('backup-prompt').count()).toBe(0)

    // Deleting asks first, and only the key's typed name deletes it.
    await page.getByRole('button', { name: 'Delete spare' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete the key spare?' })
    await dialog.getByLabel('Type the key\'s name, spare, to confirm').fill('studio')
    await dialog.getByRole('button', { name: 'Delete this key' }).click()
    expect(await dialog.getByRole('alert').textContent()).toBe('Type spare exactly to delete it.')
    await page.screenshot({ path: path.join(SCREENS_DIR, '32-keys-delete-confirm.png'), fullPage: true })
    checked['32-keys-delete-confirm'] = await axeViolations(page)
    expect(await page.getByTestId('keys').locator('tbody tr').count()).toBe(2)
    await dialog.getByLabel('Type the key\'s name, spare, to confirm').fill('spare')
    await dialog.getByRole('button', { name: 'Delete this key' }).click()
    await expect.poll(async () => await page.getByTestId('keys').locator('tbody tr').count()).toBe(1)

    // The backup comes back: pasted or opened, the key material sits in a masked field.
    await page.getByRole('button', { name: 'Import a key' }).click()
    const importing = page.getByRole('form', { name: 'Import a key' })
    const material = importing.getByLabel('Private key or wallet keystore file')
    expect(await material.getAttribute('type')).toBe('password')
    await importing.getByTestId('keystore-input').setInputFiles(backupFile)
    await expect.poll(async () => await material.inputValue()).toContain('"ciphertext"')
    await importing.getByLabel('Key name').fill('spare-again')
    await importing.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
    await importing.getByLabel('Passphrase again').fill(PASSPHRASE)
    await importing.getByRole('button', { name: 'Import key' }).click()
    await expect.poll(async () => await page.getByTestId('keys').locator('tr', { hasText: 'spare-again' }).locator('code').textContent(), { timeout: 20_000 }).toBe(spare)
  })

  const TOUR: Array<[string, string, string | RegExp, string]> = [
    ['dashboard', '#/dashboard', 'Dashboard', 'Dashboard · Lineage'],
    ['collections', '#/collections', 'Collections', 'Collections · Lineage'],
    ['tokens', '#/tokens', 'Tokens', 'Tokens · Lineage'],
    ['token', `#/token/1/${ADDRESS}/42`, 'Token #42', 'Token #42 · Lineage'],
    ['history', `#/history/1/${ADDRESS}/42`, 'History of token #42', 'History of token #42 · Lineage'],
    ['transfer', '#/transfer', 'Import and export', 'Import & export · Lineage'],
    ['serve', '#/serve', 'Serve your metadata', 'Serve your metadata · Lineage'],
    ['go-live', '#/go-live', /Go live/, 'Go live · Lineage'],
    ['keys', '#/keys', 'Keys', 'Keys · Lineage'],
    ['settings', '#/settings', 'Settings', 'Settings · Lineage'],
    ['pins', '#/pins', 'Pins and storage', 'Pins & storage · Lineage'],
    ['network', '#/network', 'Peers & sync', 'Peers & sync · Lineage'],
    ['services', '#/services', 'Contracts and services', 'Contracts · Lineage'],
    ['logs', '#/logs', 'Logs', 'Logs · Lineage'],
    ['welcome', '#/welcome', 'Welcome to Lineage', 'Welcome · Lineage'],
  ]
  /** Elements that can scroll sideways (overflow-x auto or scroll) and do: tag.class, scrollWidth > clientWidth. */
  const sidewaysScrollers = async (): Promise<string[]> => await page.evaluate(`[...document.querySelectorAll('body *')]
    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.tagName.toLowerCase() + (e.className === '' ? '' : '.' + String(e.className).trim().replace(/\\s+/g, '.')) + ' ' + e.scrollWidth + ' > ' + e.clientWidth)`) as string[]
  const background = async (): Promise<string> => await page.evaluate('getComputedStyle(document.documentElement).backgroundColor') as string
  const BACKGROUND = { light: 'rgb(247, 247, 248)', dark: 'rgb(20, 20, 25)' }

  for (const theme of ['light', 'dark'] as const) {
    it(`every screen in ${theme}, chosen in Settings and kept across a reload: its own window title, no horizontal scrolling at 390 px, each passing axe`, async () => {
      await go('#/settings', 'Settings', `tour-${theme}-setting`)
      await page.getByLabel(theme === 'light' ? 'Light' : 'Dark', { exact: true }).check()
      await page.reload()
      await page.getByRole('heading', { name: 'Settings' }).waitFor()
      expect(await page.getByLabel(theme === 'light' ? 'Light' : 'Dark', { exact: true }).isChecked()).toBe(true)
      expect(await page.evaluate('document.documentElement.dataset.theme')).toBe(theme)
      expect(await background()).toBe(BACKGROUND[theme])
      const overflow: string[] = []
      const titles: Record<string, string> = {}
      for (const [size, viewport] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(viewport)
        for (const [i, [name, hash, heading]] of TOUR.entries()) {
          const shot = `tour-${theme}-${size}-${String(i + 1).padStart(2, '0')}-${name}`
          await page.evaluate(`location.hash = ${JSON.stringify(hash)}`)
          await expect.poll(async () => await page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 15_000 }).toMatch(heading)
          titles[name] = await page.title()
          const [scroll, client] = await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]') as [number, number]
          // Said with what sticks out, so a failure names the element to fix.
          if (scroll > client) overflow.push(`${shot}: ${scroll} > ${client} (${String(await page.evaluate(`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > ${client}).slice(-3).map(e => e.tagName + '.' + e.className).join(', ')`))})`)
          // At 390 px nothing scrolls sideways inside the page either (a table that scrolls by
          // itself hides its buttons past the edge): every element that may scroll sideways fits.
          if (size === 'narrow') for (const box of await sidewaysScrollers()) overflow.push(`${shot} (${name}): ${box}`)
          await page.screenshot({ path: path.join(SCREENS_DIR, `${shot}.png`), fullPage: true })
          checked[shot] = await axeViolations(page)
        }
      }
      await page.setViewportSize({ width: 1280, height: 900 })
      expect(overflow).toEqual([])
      expect(titles).toEqual(Object.fromEntries(TOUR.map(([name, , , title]) => [name, title])))
    }, 300_000)
  }

  it('"Same as the system" follows prefers-color-scheme as it changes; the sign-in page too, in dark at both sizes', async () => {
    await go('#/settings', 'Settings', 'tour-system-setting')
    await page.getByLabel('Same as the system').check()
    expect(await page.evaluate('document.documentElement.dataset.theme ?? null')).toBeNull()
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await background()).toBe(BACKGROUND.dark)
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await background()).toBe(BACKGROUND.light)
    await page.reload()
    await page.getByRole('heading', { name: 'Settings' }).waitFor()
    expect(await page.getByLabel('Same as the system').isChecked()).toBe(true)

    // A new tab holds no token: the sign-in page.
    const signIn = await context.newPage()
    await signIn.emulateMedia({ colorScheme: 'dark' })
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await signIn.setViewportSize(viewport)
      await signIn.goto(`${node.url}/app/`)
      await signIn.getByRole('heading', { name: 'Sign in to your Lineage node' }).waitFor()
      expect(await signIn.title()).toBe('Sign in · Lineage')
      const [scroll, client] = await signIn.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]') as [number, number]
      expect(scroll).toBeLessThanOrEqual(client)
      await signIn.screenshot({ path: path.join(SCREENS_DIR, `tour-dark-${size}-00-login.png`), fullPage: true })
      checked[`tour-dark-${size}-00-login`] = await axeViolations(signIn)
    }
    await signIn.close()
  })

  it('at 390 px a table is one card per row: each cell shows its column\'s name, a screen reader hears it once, and the row\'s button is in reach; at 1280 px it is a table again', async () => {
    await page.setViewportSize(VIEWPORTS.narrow)
    await go('#/pins', 'Pins and storage', 'tour-pins-cards')
    const row = page.getByTestId('pins').locator('tbody tr', { hasText: 'token 42' })
    const cells = row.locator('td')
    /** One computed style property of each of the row's cells (or of their ::before). */
    const cellStyles = async (property: string, pseudo = ''): Promise<string[]> => await page.evaluate(`[...[...document.querySelectorAll('[data-testid=pins] tbody tr')]
      .find(tr => tr.textContent.includes('token 42')).querySelectorAll('td')].map(td => getComputedStyle(td, ${JSON.stringify(pseudo)}).${property})`) as string[]
    // Labels come from the column headers; the actions column's header is for screen readers only.
    await expect.poll(async () => await cells.evaluateAll(tds => tds.map(td => td.getAttribute('data-label')))).toEqual(['Name', 'Version', 'Size', 'Pinned', null])
    expect(await cellStyles('display')).toEqual(Array(5).fill('block'))
    expect((await cellStyles('display', '::before'))[0]).toBe('block')
    // Chromium keeps the table's roles, so a screen reader announces the column itself: the
    // shown label has empty alternative text and is not in the cell's name (no "Name token 42").
    const tree = await row.ariaSnapshot()
    expect(tree).toContain('cell "token 42"')
    expect(tree).not.toMatch(/cell "(Name|Version|Size|Pinned) /)
    const unpin = row.getByRole('button', { name: /^Unpin/ })
    const box = await unpin.boundingBox()
    expect(box).not.toBeNull()
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(VIEWPORTS.narrow.width)

    await page.setViewportSize({ width: 1280, height: 900 })
    expect(await cellStyles('display')).toEqual(Array(5).fill('table-cell'))
    expect((await cellStyles('content', '::before'))[0]).toBe('none')
    expect(await page.getByTestId('pins').getByRole('columnheader', { name: 'Size' }).isVisible()).toBe(true)
  })

  it('had no accessibility violations and no console errors on any screen', () => {
    expect(Object.keys(checked).length).toBeGreaterThanOrEqual(20)
    expect(Object.fromEntries(Object.entries(checked).filter(([, v]) => v.length > 0))).toEqual({})
    expect(problems).toEqual([])
  })
})
