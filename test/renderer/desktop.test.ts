import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createKeychain, createSettingsStore, rendererUrl } from '../../src-main/electron/index.js'
import type { DesktopSettingsStore, Keychain } from '../../src-main/electron/index.js'
import { setupDataDirIpc } from '../../src-main/electron/data-dir-ipc.js'
import { setupFilesIpc } from '../../src-main/electron/files-ipc.js'
import { setupIpfsIpc } from '../../src-main/electron/ipfs-ipc.js'
import { setupKeychainIpc } from '../../src-main/electron/keychain-ipc.js'
import { setupSettingsIpc } from '../../src-main/electron/settings-ipc.js'
import { readApiToken } from '../../src-main/node/index.js'
import { dialog, ipcMain } from '../electron/fake-electron.js'
import { FakeSafeStorage } from '../electron/fake-safe-storage.js'
import { makePng, writeRawBlockCar } from '../helpers/png-car.js'
import { repoRoot } from '../helpers/processes.js'
import { startHarness } from '../helpers/harness.js'
import { postRpc } from '../helpers/rpc.js'
import { tempDir } from '../helpers/temp-dir.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'

// The desktop-only parts of the UI in a real browser, against the real main-process IPC handlers:
// the page's `window.lineage` is the preload's bridge, and its calls reach the handlers through
// Playwright (where Electron would use IPC), with the same sender check. Electron's runtime cannot
// start here, so only ipcMain, dialog and safeStorage are stood in for, at Electron's API boundary.
vi.mock('electron', async () => await import('../electron/fake-electron.js'))

const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
const PASSPHRASE = 'correct horse battery'
const trusted = rendererUrl('/app/dist/renderer/index.html')
/** Screenshots of the desktop-only parts, to look at (the journey runs in browser mode). */
const SHOTS = path.join(repoRoot, 'test-results', 'desktop')

describe('desktop-only UI: keychain, data folder, image preview', () => {
  let vite: ViteDevServer
  let browser: Browser
  let running: TestNode
  let base: string
  let ws: string
  let token: string
  let t: { dir: string, cleanup: () => void }
  let safeStorage: FakeSafeStorage
  let keychain: Keychain
  let settings: DesktopSettingsStore
  let relaunched: number
  let imageCid: string

  beforeAll(async () => {
    ;({ vite, base } = await startHarness())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    running = await startTestNode({ offline: true, devUiOrigins: [new URL(base).origin] })
    token = readApiToken(running.node.config.dataDir) ?? ''
    ws = `${running.base.replace('http:', 'ws:')}/rpc/ws`
    await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'keys_new', params: ['studio', 'secp256k1', PASSPHRASE] }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    // A real PNG as a raw block on the node, for the preview.
    const art = tempDir()
    imageCid = (await writeRawBlockCar(path.join(art.dir, 'art.car'), makePng(7, 5))).toString()
    const dispatch = async (method: string, params: unknown[]): Promise<{ result?: { state?: string, job?: string } }> =>
      await running.node.api.dispatch({ jsonrpc: '2.0', id: 1, method, params }, { transport: 'ipc', authenticated: true }) as { result?: { state?: string, job?: string } }
    const job = (await dispatch('import_car', [path.join(art.dir, 'art.car')])).result?.job ?? ''
    await waitFor('the CAR import to end', async () => {
      const state = (await dispatch('import_status', [job])).result?.state ?? ''
      if (state === 'failed') throw new Error('the CAR import failed')
      return state === 'done'
    }, { intervalMs: 1 })
    art.cleanup()
  })
  afterAll(async () => {
    await browser?.close()
    await vite?.close()
    await running?.stop()
  })
  beforeEach(() => {
    t = tempDir()
    ipcMain.handlers.clear()
    safeStorage = new FakeSafeStorage()
    keychain = createKeychain({ safeStorage, platform: 'linux' }, { filePath: path.join(t.dir, 'keychain.json') })
    settings = createSettingsStore(path.join(t.dir, 'desktop-settings.json'))
    relaunched = 0
    setupKeychainIpc(keychain, trusted)
    setupSettingsIpc(settings, { launchAtLogin: () => {} }, trusted)
    setupIpfsIpc(() => running.base, trusted)
    setupDataDirIpc({ settings, running: running.node.config.dataDir, window: () => undefined, relaunch: () => { relaunched++ } }, trusted)
    setupFilesIpc({ window: () => undefined, saveFolder: t.dir }, trusted)
    dialog.opened.length = 0
    dialog.saving.length = 0
  })
  afterEach(() => { t.cleanup() })

  async function open (props: Record<string, unknown>): Promise<Page> {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', err => { errors.push(err.message) })
    // Electron's IPC clones bytes as a Uint8Array; Playwright's channel would make them an object, so they travel as base64.
    await page.exposeFunction('lineageIpc', async (channel: string, payload: unknown) => {
      const answer = await ipcMain.invoke(channel, payload, trusted) as { ok: boolean, value?: unknown }
      return answer.value instanceof Uint8Array ? { ...answer, value: { base64: Buffer.from(answer.value).toString('base64') } } : answer
    })
    await page.goto(`${base}?component=desktop&props=${encodeURIComponent(JSON.stringify({ ws, token, running: running.node.config.dataDir, ...props }))}`)
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 })
    expect(errors).toEqual([])
    return page
  }

  it('remembers a new key\'s passphrase when asked, fills it in for that key, and forgets it', async () => {
    const page = await open({ which: 'keys', mode: 'desktop' })
    const form = page.getByRole('form', { name: 'Create a key' })
    await form.getByLabel('Key name').fill('gallery')
    await form.getByLabel('Passphrase', { exact: true }).fill('another good passphrase')
    await form.getByLabel('Passphrase again').fill('another good passphrase')
    await form.getByLabel('Remember passphrase in the system keychain').check()
    await page.screenshot({ path: path.join(SHOTS, 'new-key-remember.png'), fullPage: true })
    await form.getByRole('button', { name: 'Create key' }).click()
    await expect.poll(async () => await page.getByTestId('created').textContent(), { timeout: 30_000 }).toBe('gallery')
    expect((await keychain.status()).remembered).toEqual(['gallery'])
    expect(await keychain.recall('gallery')).toBe('another good passphrase')
    // Only ciphertext reaches the disk.
    expect(fs.readFileSync(keychain.path, 'utf8')).not.toContain('another good passphrase')
    await page.close()

    // Both remembered now; the picker starts on 'gallery' (keys come by name) and fills it in.
    await keychain.remember('studio', PASSPHRASE)
    const picker = await open({ which: 'keys', mode: 'desktop' })
    const field = picker.getByLabel('Passphrase of that key')
    await expect.poll(async () => await field.inputValue()).toBe('another good passphrase')
    expect(await picker.getByTestId('passphrase-filled').textContent()).toContain('Filled in from the system keychain.')
    await picker.screenshot({ path: path.join(SHOTS, 'picker-filled.png'), fullPage: true })
    await picker.locator('#pick-key').selectOption('studio')
    await expect.poll(async () => await field.inputValue()).toBe(PASSPHRASE)
    await picker.getByRole('button', { name: 'Forget it' }).click()
    await expect.poll(async () => (await keychain.status()).remembered).toEqual(['gallery'])
    expect(await field.inputValue()).toBe('')
    // Forgotten: the offer to remember is back, and ticking it is what the screen keeps.
    expect(await picker.getByLabel('Remember passphrase in the system keychain').count()).toBe(2)
    await picker.getByLabel('Remember passphrase in the system keychain').last().check()
    expect(await picker.getByTestId('remember-value').textContent()).toBe('true')
    await picker.close()
  })

  it('shows the option off, with the reason, where the OS offers no real keychain; the browser shows none', async () => {
    safeStorage.backend = 'basic_text'
    const page = await open({ which: 'keys', mode: 'desktop' })
    const box = page.getByLabel('Remember passphrase in the system keychain').first()
    expect(await box.isDisabled()).toBe(true)
    expect(await page.locator('#key-create-remember-hint').textContent()).toContain('no secret service (GNOME Keyring or KWallet) is running')
    await page.close()

    const browserPage = await open({ which: 'keys', mode: 'browser' })
    expect(await browserPage.getByLabel('Remember passphrase in the system keychain').count()).toBe(0)
    expect(await browserPage.getByLabel('Passphrase of that key').count()).toBe(1)
    await browserPage.close()
  })

  it('chooses another data folder in the desktop app: saved for the next start, with a restart button', async () => {
    const chosen = path.join(t.dir, 'Lineage data')
    dialog.openResult = { canceled: false, filePaths: [chosen] }
    const page = await open({ which: 'data-folder', mode: 'desktop' })
    expect(await page.getByTestId('harness-data-dir').textContent()).toBe(running.node.config.dataDir)
    await page.getByRole('button', { name: 'Choose another folder…' }).click()
    await expect.poll(async () => await page.getByTestId('harness-data-dir-restart').textContent()).toContain(`From the next start Lineage keeps its data in ${chosen}.`)
    expect(settings.get().dataDir).toBe(chosen)
    await page.screenshot({ path: path.join(SHOTS, 'data-folder-restart.png'), fullPage: true })
    await page.getByRole('button', { name: 'Restart Lineage now' }).click()
    await expect.poll(() => relaunched).toBe(1)
    await page.close()

    // Still pending when the screen is opened again; "keep the folder in use" undoes it.
    const again = await open({ which: 'data-folder', mode: 'desktop' })
    await again.getByRole('button', { name: 'Keep the folder in use' }).click()
    await expect.poll(async () => await again.getByTestId('harness-data-dir-restart').count()).toBe(0)
    expect(settings.get().dataDir).toBeNull()

    // A file is refused in words, and nothing is saved.
    const file = path.join(t.dir, 'a-file')
    fs.writeFileSync(file, 'x')
    dialog.openResult = { canceled: false, filePaths: [file] }
    await again.getByRole('button', { name: 'Choose another folder…' }).click()
    await expect.poll(async () => await again.getByRole('alert').textContent()).toContain('it is a file, not a folder')
    expect(settings.get().dataDir).toBeNull()
    await again.close()
  })

  it('chooses an import\'s folder or CSV file with the system picker (the node reads it where it is; no upload)', async () => {
    const page = await open({ which: 'import-source', mode: 'desktop' })
    dialog.openResult = { canceled: false, filePaths: ['/home/me/lanterns'] }
    await page.getByRole('button', { name: 'Choose a folder…' }).click()
    await expect.poll(async () => await page.getByTestId('chosen').textContent()).toBe('folder /home/me/lanterns')
    expect(dialog.opened.at(-1)?.options).toMatchObject({ properties: ['openDirectory', 'dontAddToRecent'] })
    // No upload in the desktop app: the node reads the folder where it is.
    expect(await page.getByTestId('folder-input').count()).toBe(0)
    await page.getByRole('button', { name: 'Choose another' }).click()
    dialog.openResult = { canceled: false, filePaths: ['/home/me/sheet.csv'] }
    await page.getByRole('button', { name: 'Choose a CSV file…' }).click()
    await expect.poll(async () => await page.getByTestId('chosen').textContent()).toBe('csv /home/me/sheet.csv')
    expect(dialog.opened.at(-1)?.options).toMatchObject({ filters: [{ extensions: ['csv'] }] })
    await page.getByRole('button', { name: 'Choose another' }).click()
    // A cancelled picker chooses nothing.
    dialog.openResult = { canceled: true, filePaths: [] }
    await page.getByRole('button', { name: 'Choose a folder…' }).click()
    await expect.poll(() => dialog.opened.length).toBe(3)
    expect(await page.getByTestId('chosen').textContent()).toBe('')
    await page.screenshot({ path: path.join(SHOTS, 'import-source-picker.png'), fullPage: true })
    await page.close()
  })

  it('saves a key\'s backup where the save dialog says: its keystore file, still encrypted', async () => {
    const page = await open({ which: 'key-backup', mode: 'desktop' })
    const target = path.join(t.dir, 'studio-backup.json')
    dialog.saveResult = { canceled: false, filePath: target }
    await page.getByRole('button', { name: 'Back up studio…' }).click()
    await expect.poll(async () => await page.getByTestId('saved').textContent()).toBe(`The backup of studio is saved as ${target}. Keep a copy away from this computer, too.`)
    expect(dialog.saving[0]?.options).toMatchObject({ defaultPath: path.join(t.dir, 'studio.json') })
    const saved = JSON.parse(fs.readFileSync(target, 'utf8')) as { address: string, crypto: { ciphertext: string } }
    const studio = (await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'keys_export_public', params: ['studio'] }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json as { result: { public_key: string } }
    expect(`0x${saved.address}`).toBe(studio.result.public_key)
    expect(saved.crypto.ciphertext).toMatch(/^[0-9a-f]{64}$/)
    // Cancelled: nothing written, nothing said.
    dialog.saveResult = { canceled: true, filePath: '' }
    await page.getByRole('button', { name: 'Back up studio…' }).click()
    await expect.poll(() => dialog.saving.length).toBe(2)
    expect(await page.getByTestId('problem').textContent()).toBe('')
    await page.close()
  })

  it('explains --data-dir in browser mode, with no button', async () => {
    const page = await open({ which: 'data-folder', mode: 'browser' })
    expect(await page.getByTestId('harness-data-dir').textContent()).toBe(running.node.config.dataDir)
    expect(await page.getByRole('button', { name: 'Choose another folder…' }).count()).toBe(0)
    expect(await page.locator('main').textContent()).toContain('lineage-node start --data-dir')
    await page.close()
  })

  it('previews an ipfs:// image in the desktop app from bytes the main process read (a blob:, not http)', async () => {
    const size = "(img => img && img.complete ? [img.naturalWidth, img.naturalHeight, img.src.slice(0, 5)] : null)(document.querySelector('[data-testid=image-preview] img'))"
    const page = await open({ which: 'image', mode: 'desktop', image: `ipfs://${imageCid}` })
    await expect.poll(async () => await page.evaluate(size)).toEqual([7, 5, 'blob:'])
    await page.close()

    const missing = await open({ which: 'image', mode: 'desktop', image: 'ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' })
    await expect.poll(async () => await missing.getByTestId('image-preview').textContent()).toContain('This node does not hold that image. Import or pin it to see it here')
    await missing.close()

    // Browser mode loads the node's own /ipfs/ URL.
    const browserPage = await open({ which: 'image', mode: 'browser', image: `ipfs://${imageCid}`, gateway: running.base })
    await expect.poll(async () => await browserPage.evaluate(size)).toEqual([7, 5, 'http:'])
    await browserPage.close()
  })

  it('"Serve publicly": refuses a bad interface or port in words and saves nothing, then saves a good one for the next start', async () => {
    const page = await open({ which: 'serve-publicly', mode: 'desktop', publicUrl: null })
    expect(await page.getByTestId('serve-publicly-warning').textContent()).toContain('never served there')
    expect(await page.getByTestId('serve-publicly-now').textContent()).toBe('not serving publicly')
    await expect.poll(async () => await page.getByLabel('Interface').inputValue()).toBe('0.0.0.0')
    await page.getByLabel('Serve publicly').check()
    await page.getByLabel('Port').fill('99999')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => await page.getByRole('alert').textContent()).toContain('The port must be a whole number from 1 to 65535')
    await page.getByLabel('Port').fill('8089')
    await page.getByLabel('Interface').fill('my-laptop.local')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => await page.getByRole('alert').textContent()).toContain('must be an IP address of this computer')
    expect(settings.get().publicGateway).toEqual({ enabled: false, host: '0.0.0.0', port: 8080 })

    await page.getByLabel('Interface').fill('127.0.0.1')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => await page.getByTestId('serve-publicly-restart').count()).toBe(1)
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(settings.get().publicGateway).toEqual({ enabled: true, host: '127.0.0.1', port: 8089 })
    await page.screenshot({ path: path.join(SHOTS, 'serve-publicly-restart.png'), fullPage: true })
    await page.getByRole('button', { name: 'Restart Lineage now' }).click()
    await expect.poll(() => relaunched).toBe(1)
    await page.close()

    // Once the node runs with it, nothing waits for a restart; browser mode explains the flags.
    const running = await open({ which: 'serve-publicly', mode: 'desktop', publicUrl: 'http://127.0.0.1:8089' })
    await expect.poll(async () => await running.getByLabel('Port').inputValue()).toBe('8089')
    expect(await running.getByTestId('serve-publicly-restart').count()).toBe(0)
    expect(await running.getByTestId('serve-publicly-now').textContent()).toBe('serving publicly at http://127.0.0.1:8089')
    await running.close()
    const browserPage = await open({ which: 'serve-publicly', mode: 'browser', publicUrl: null })
    expect(await browserPage.getByRole('button', { name: 'Save' }).count()).toBe(0)
    expect(await browserPage.locator('main').textContent()).toContain('lineage-node start --gateway-host 0.0.0.0 --gateway-port 8080')
    await browserPage.close()
  })
})
