import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, SCREENS_DIR, VIEWPORTS } from '../helpers/chromium.js'
import { closeUi, importCollection, openUi, startUiNode } from '../helpers/e2e-ui.js'
import type { RpcCall } from '../helpers/e2e-ui.js'
import type { StartedNode } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'

const ADDRESS = '0x6a8c3f2b1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b'
const PASSPHRASE = 'correct horse battery'
const ITEMS = 30
/** Every tenth lantern shows its Level as a number: the ERC-721 rules refuse a word there. */
const numberShown = (id: number): boolean => id % 10 === 0
const WIDER_THAN_WINDOW = `[...document.querySelectorAll('main *, dialog *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.closest('.scroll')).map(e => e.tagName + '.' + e.className + (e.dataset.testid ? '#' + e.dataset.testid : '')).slice(0, 8)`

// Bulk edit (issue 18 §2) in Chromium against a real headless node: tick tokens or "all matching"
// the browser's filter, choose the change in plain words, see each token before → after, type the
// passphrase once, follow the progress, and read which tokens the collection's rules refused.
describe('bulk edit in Chromium, against a real headless node (browser mode)', () => {
  let node: StartedNode
  let browser: Browser
  let page: Page
  let cleanup: () => void
  const problems: string[] = []
  const checked: Record<string, string[]> = {}
  let call: RpcCall

  async function shot (name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENS_DIR, `bulk-edit-${name}.png`), fullPage: true })
    checked[name] = await axeViolations(page)
  }
  const dialog = (): ReturnType<Page['getByTestId']> => page.getByTestId('bulk-dialog')
  const count = async (): Promise<string> => await page.getByTestId('token-count').textContent() ?? ''
  const levelOf = async (id: number): Promise<unknown> => {
    const token = await call('get_token', { chain_id: '1', token_address: ADDRESS, token_id: String(id) }) as { slots: Array<{ alias: string, content: { attributes: Array<{ trait_type: string, value: unknown }> } }> }
    return token.slots.find(s => s.alias === '')?.content.attributes.find(a => a.trait_type === 'Level')?.value
  }

  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    ;({ node, call } = await startUiNode(t.dir, ['--offline']))
    const documents = new Map<number, unknown>()
    for (let id = 1; id <= ITEMS; id++) {
      documents.set(id, {
        name: `Harbour lantern ${id}`,
        attributes: [{ trait_type: 'Glow', value: id % 3 === 0 ? 'Amber' : 'Blue' }, { trait_type: 'Level', value: id, ...(numberShown(id) ? { display_type: 'number' } : {}) }],
      })
    }
    await importCollection(call, { key: 'studio', passphrase: PASSPHRASE, chainId: '1', address: ADDRESS, folder: path.join(t.dir, 'lanterns'), documents })
    ;({ browser, page } = await openUi(node, problems))
  }, 180_000)
  afterAll(async () => {
    await closeUi(browser, node)
    cleanup?.()
  })

  it('ticks tokens one by one in the grid and the table, then selects all matching a trait filter', async () => {
    await page.evaluate('location.hash = "#/tokens"')
    await expect.poll(count, { timeout: 15_000 }).toContain(`${ITEMS} tokens, showing 1–24`)
    await page.getByRole('checkbox', { name: 'Select Harbour lantern 2', exact: true }).check()
    await page.getByRole('checkbox', { name: 'Select Harbour lantern 5', exact: true }).check()
    expect(await page.getByTestId('bulk-count').textContent()).toBe('2 tokens selected.')
    await shot('01-ticked-grid')
    await page.getByLabel('Table').check()
    await page.getByTestId('token-table').waitFor()
    expect(await page.getByRole('checkbox', { name: 'Select Harbour lantern 5', exact: true }).isChecked()).toBe(true)
    await shot('02-ticked-table')
    await page.getByLabel('Grid').check()
    await page.getByRole('button', { name: 'Clear selection' }).click()
    await page.getByRole('group', { name: 'Glow' }).getByRole('checkbox', { name: /Amber/ }).check()
    await expect.poll(count).toContain('10 tokens match')
    await page.getByTestId('select-all-matching').click()
    expect(await page.getByTestId('bulk-count').textContent()).toBe('All 10 tokens matching this search selected.')
    expect(await page.getByRole('checkbox', { name: 'Select Harbour lantern 3', exact: true }).isChecked()).toBe(true)
  })

  it('checks the form before asking the node, and puts the node\'s refusal beside the label it concerns', async () => {
    await page.getByTestId('bulk-edit-open').click()
    await dialog().waitFor()
    await page.getByTestId('bulk-preview').click()
    expect(await page.getByTestId('bulk-name-error').textContent()).toBe('Type the name of the trait.')
    expect(await page.getByTestId('bulk-value-error').textContent()).toBe('Type the value to set (it may be a word or a number).')
    expect(await page.getByLabel('Trait name').getAttribute('aria-invalid')).toBe('true')
    await shot('03-form-problems')
    await dialog().getByLabel('Remove').check()
    await page.getByLabel('Trait name').fill('Hat')
    await page.getByTestId('bulk-preview').click()
    await expect.poll(async () => await page.getByTestId('bulk-name-error').textContent(), { timeout: 10_000 }).toBe('No token of this collection has the trait "Hat"; its traits are "Glow", "Level". Nothing was changed.')
  })

  it('previews each token before → after with counts, asks the passphrase once, shows progress and the refused tokens', async () => {
    await dialog().getByLabel('Set').check()
    await page.getByLabel('Trait name').fill('Level')
    await page.getByLabel('New value').fill('max')
    await page.getByTestId('bulk-preview').click()
    await page.getByTestId('bulk-diff').waitFor()
    expect(await page.getByTestId('bulk-summary').textContent()).toMatch(/Set trait "Level" to "max"\s+on 10 tokens:\s+10 tokens will change, 0 tokens are already that way \(unchanged\)\./)
    expect(await page.getByTestId('bulk-diff').locator('tbody tr').first().textContent()).toMatch(/Harbour lantern 3\s*#3\s*3\s*max/)
    await shot('04-preview')
    await page.getByTestId('bulk-passphrase').fill('not the passphrase')
    await page.getByTestId('bulk-apply').click()
    await expect.poll(async () => await page.getByTestId('bulk-passphrase-error').textContent(), { timeout: 20_000 }).toBe('That passphrase does not unlock this key. Check it (capital letters count) and try again.')
    expect(await levelOf(3)).toBe(3)
    await page.getByTestId('bulk-passphrase').fill(PASSPHRASE)
    await page.getByTestId('bulk-apply').click()
    await page.getByTestId('bulk-result').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('bulk-result').textContent()).toMatch(/9 tokens changed, 0 tokens already that way, 1 token refused\./)
    expect(await page.getByTestId('bulk-refused').textContent()).toMatch(/Token #30: The collection's rules refused it: Trait \d+ value must be a number, since the trait is shown as "number"\./)
    expect(await levelOf(3)).toBe('max')
    expect(await levelOf(30)).toBe(30)
    await shot('05-result')
    await page.setViewportSize(VIEWPORTS.narrow)
    expect(await page.evaluate(WIDER_THAN_WINDOW)).toEqual([])
    await shot('06-result-narrow')
    await page.setViewportSize(VIEWPORTS.wide)
    await page.getByTestId('bulk-close').click()
  })

  it('says "already that way" when the same edit runs again, and keeps the edit in the job history', async () => {
    await page.getByTestId('select-all-matching').click()
    await page.getByTestId('bulk-edit-open').click()
    await page.getByLabel('Trait name').fill('Level')
    await page.getByLabel('New value').fill('max')
    await page.getByTestId('bulk-preview').click()
    await page.getByTestId('bulk-diff').waitFor()
    expect(await page.getByTestId('bulk-summary').textContent()).toMatch(/1 token will change, 9 tokens are already that way \(unchanged\)/)
    expect(await page.getByTestId('bulk-diff').textContent()).toContain('Unchanged "Level" is already "max".')
    await page.setViewportSize(VIEWPORTS.narrow)
    expect(await page.evaluate(WIDER_THAN_WINDOW)).toEqual([])
    await shot('07-rerun-preview-narrow')
    await page.setViewportSize(VIEWPORTS.wide)
    await page.getByRole('button', { name: 'Back' }).click()
    await dialog().getByRole('button', { name: 'Cancel' }).click()
    await page.evaluate('location.hash = "#/transfer"')
    await expect.poll(async () => await page.getByTestId('job-history').locator('tbody tr').first().textContent(), { timeout: 15_000 }).toMatch(/Bulk edit\s*Set trait "Level" to "max"\s*Finished: 9 changed, 0 already that way, 1 refused/)
    await shot('08-job-history')
  })

  it('had no axe violation on any screen and state, and no console error', () => {
    expect(checked).toEqual(Object.fromEntries(Object.keys(checked).map(k => [k, []])))
    expect(Object.keys(checked).length).toBe(8)
    expect(problems).toEqual([])
  })
})
