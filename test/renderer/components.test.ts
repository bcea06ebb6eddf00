import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContentChangeInfo } from '../../src-main/api/rpc-types.js'
import { readApiToken } from '../../src-main/node/index.js'
import { startHarness } from '../helpers/harness.js'
import { postRpc } from '../helpers/rpc.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

// Component tests in a real browser: Vite compiles the Svelte components as the app build does,
// Debian's Chromium renders them, and the editor talks to a real node. Nothing is simulated.
const executablePath = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
const COLLECTION = { chain_id: '1', token_address: '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23' }
const PASSPHRASE = 'correct horse battery'

describe('UI components in Chromium', () => {
  let vite: ViteDevServer
  let browser: Browser
  let running: TestNode
  let base: string

  let token = ''

  beforeAll(async () => {
    ;({ vite, base } = await startHarness())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    running = await startTestNode({ offline: true, devUiOrigins: [new URL(base).origin] })
    // A collection bound to erc721 by a node key, and one token written, through the real API.
    token = readApiToken(running.node.config.dataDir) ?? ''
    const call = async (method: string, params: unknown[]): Promise<{ result?: { hash?: string } }> =>
      (await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json as { result?: { hash?: string } }
    await call('keys_new', ['studio', 'secp256k1', PASSPHRASE])
    await call('sign_and_publish', ['studio', PASSPHRASE, { method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'erc721' }])
    await running.node.lineage.settled()
    await call('sign_and_publish', ['studio', PASSPHRASE, { method: 'metadata', ...COLLECTION, token_id: '5', meta_contract_id: 'erc721', data: JSON.stringify({ name: 'Five', attributes: [{ trait_type: 'Level', value: 3, display_type: 'number' }] }) }])
    await running.node.lineage.settled()
  })
  afterAll(async () => {
    await browser?.close()
    await vite?.close()
    await running?.stop()
  })

  async function open (component: string, props: unknown): Promise<Page> {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', err => { errors.push(err.message) })
    await page.goto(`${base}?component=${component}&props=${encodeURIComponent(JSON.stringify(props))}`)
    await page.waitForSelector('body[data-mounted="true"]', { timeout: 60_000 })
    expect(errors).toEqual([])
    return page
  }

  describe('DiffView', () => {
    const changes: ContentChangeInfo[] = [
      { path: '/name', op: 'replace', before: 'Ape #42', after: 'Golden Ape #42' },
      { path: '/attributes/0/value', op: 'replace', before: 'Red', after: 'Gold' },
      { path: '/attributes/2', op: 'add', after: { trait_type: 'Season', value: 'Winter' } },
      { path: '/external_url', op: 'remove', before: 'https://example.com/42' },
      { path: '/a~1b', op: 'add', after: 3 },
    ]

    it('reads each change in words: field, kind, before and after', async () => {
      const page = await open('diff', { changes, fromLabel: 'version 1', toLabel: 'version 2' })
      expect(await page.getByTestId('diff-summary').textContent()).toBe('5 changes: 2 added, 1 removed, 2 changed')
      const rows = await page.getByTestId('diff-row').evaluateAll(trs => trs.map(tr => [...tr.children].map(c => c.textContent?.trim())))
      expect(rows).toEqual([
        ['Name', 'Changed', 'Ape #42', 'Golden Ape #42'],
        ['Trait 1 › value', 'Changed', 'Red', 'Gold'],
        ['Trait 3', 'Added', '—', 'Season: Winter'],
        ['External link', 'Removed', 'https://example.com/42', '—'],
        ['a/b', 'Added', '—', '3'],
      ])
      // Removed text is struck through, added text marked as inserted, for readers and screen readers alike.
      expect(await page.locator('del').count()).toBe(3)
      expect(await page.locator('ins').count()).toBe(4)
      expect(await page.locator('caption').textContent()).toBe('Changes from version 1 to version 2')
      await page.close()
    })

    it('says plainly when two versions are the same', async () => {
      const page = await open('diff', { changes: [], fromLabel: 'version 2', toLabel: 'version 2' })
      expect(await page.getByTestId('diff-summary').textContent()).toBe('No changes: the two versions have the same content.')
      expect(await page.locator('table').count()).toBe(0)
      await page.close()
    })
  })

  describe('the token editor\'s validation', () => {
    async function openEditor (tokenId: string): Promise<Page> {
      const ws = `${running.base.replace('http:', 'ws:')}/rpc/ws`
      // The contract's verdict comes from validate_metadata, which runs a contract: it needs the token.
      const page = await open('editor', { ws, token, at: { chainId: COLLECTION.chain_id, address: COLLECTION.token_address, tokenId } })
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 })
      return page
    }

    it('loads the token\'s document into the form and the raw JSON view, and the contract accepts it', async () => {
      const page = await openEditor('5')
      expect(await page.getByLabel('Name').inputValue()).toBe('Five')
      expect(await page.getByLabel('Trait 1 shown as').inputValue()).toBe('number')
      expect(JSON.parse(await page.getByLabel('Raw JSON').inputValue())).toEqual({ name: 'Five', attributes: [{ trait_type: 'Level', value: 3, display_type: 'number' }] })
      expect(await page.getByTestId('local-ok').count()).toBe(1)
      await expect.poll(async () => await page.getByTestId('contract-verdict').textContent()).toBe('✓ The collection\'s rules accept it (ERC-721 metadata, checked as OpenSea expects).')
      await page.close()
    })

    it('shows each local problem beside its field, and the contract\'s own reason', async () => {
      const page = await openEditor('5')
      await page.getByLabel('Background color').fill('#12345')
      expect(await page.getByTestId('field-error-background_color').textContent()).toBe('The background color must be 6 hexadecimal digits without #, for example 1a2b3c.')
      expect(await page.getByLabel('Background color').getAttribute('aria-invalid')).toBe('true')
      await expect.poll(async () => await page.getByTestId('contract-verdict').textContent())
        .toBe('The collection\'s rules would refuse it: Background color must be 6 hexadecimal digits without #.')
      await page.getByLabel('Image address').fill('lantern.png')
      expect(await page.getByTestId('field-error-image').textContent()).toContain('must be a full address starting with ipfs://')
      await page.getByLabel('Name').fill('')
      expect(await page.getByTestId('local-problems').locator('li').allTextContents()).toEqual([
        'Give the token a name; it must not be empty.',
        'Image address must be a full address starting with ipfs://, https:// or similar.',
        'The background color must be 6 hexadecimal digits without #, for example 1a2b3c.',
      ])
      // Fixing every field clears the local list and the contract agrees.
      await page.getByLabel('Name').fill('Five')
      await page.getByLabel('Image address').fill('ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
      await page.getByLabel('Background color').fill('12345a')
      expect(await page.getByTestId('local-ok').count()).toBe(1)
      await expect.poll(async () => await page.getByTestId('contract-verdict').textContent()).toContain('accept it')
      await page.close()
    })

    it('checks traits: a numeric display needs a number; text typed in a number trait is flagged', async () => {
      const page = await openEditor('5')
      await page.getByLabel('Trait 1 value').fill('high')
      expect(await page.getByTestId('local-problems').textContent()).toContain('Trait 1: a "number" trait needs a number as its value.')
      await expect.poll(async () => await page.getByTestId('contract-verdict').textContent()).toContain('Trait 1 value must be a number, since the trait is shown as "number".')
      await page.getByLabel('Trait 1 shown as').selectOption('')
      expect(await page.getByTestId('local-ok').count()).toBe(1)
      expect(JSON.parse(await page.getByLabel('Raw JSON').inputValue()).attributes).toEqual([{ trait_type: 'Level', value: 'high' }])
      await page.getByRole('button', { name: 'Add a trait' }).click()
      await page.getByLabel('Trait 2 type').fill('Mood')
      await page.getByLabel('Trait 2 value').fill('Calm')
      await page.getByRole('button', { name: 'Remove trait 1' }).click()
      expect(JSON.parse(await page.getByLabel('Raw JSON').inputValue()).attributes).toEqual([{ trait_type: 'Mood', value: 'Calm' }])
      await page.close()
    })

    it('keeps the form and the raw JSON in step, and says when the JSON is broken', async () => {
      const page = await openEditor('5')
      await page.getByLabel('Raw JSON').fill('{"name": "Raw", "description": "typed as JSON", "mood": 1}')
      expect(await page.getByLabel('Name').inputValue()).toBe('Raw')
      expect(await page.getByLabel('Description').inputValue()).toBe('typed as JSON')
      expect(await page.getByTestId('local-problems').textContent()).toContain('"mood" is not an ERC-721 field.')
      await expect.poll(async () => await page.getByTestId('contract-verdict').textContent()).toContain('"mood" is not an ERC-721 field')
      await page.getByLabel('Raw JSON').fill('{"name": "Raw",')
      expect(await page.getByRole('alert').textContent()).toContain('This is not valid JSON yet')
      expect(await page.getByLabel('Name').inputValue()).toBe('Raw')
      await page.getByLabel('Description').fill('from the form')
      expect(JSON.parse(await page.getByLabel('Raw JSON').inputValue())).toEqual({ name: 'Raw', description: 'from the form', mood: 1 })
      await page.close()
    })

    it('a token with nothing written yet starts from an empty document that asks for a name', async () => {
      const page = await openEditor('77')
      expect(await page.getByLabel('Name').inputValue()).toBe('')
      expect(await page.getByTestId('field-error-name').textContent()).toBe('Give the token a name; it must not be empty.')
      await page.getByLabel('Name').fill('Seventy-seven')
      await expect.poll(async () => await page.getByTestId('contract-verdict').textContent()).toContain('accept it')
      await page.close()
    })
  })
})
