import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, SCREENS_DIR, VIEWPORTS } from '../helpers/chromium.js'
import { closeUi, importCollection, openUi, startUiNode, until } from '../helpers/e2e-ui.js'
import type { RpcCall } from '../helpers/e2e-ui.js'
import { makePng, writeRawBlockCar } from '../helpers/png-car.js'
import type { StartedNode } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'

const ADDRESS = '0x5180db8F5c931aaE63c74266b211F580155ecac8'
const PASSPHRASE = 'correct horse battery'
const ITEMS = 60
/** Images this node does not hold: a CID that is nowhere here. */
const ABSENT = 'ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
/** Elements whose right edge passes the window's, named by tag, class and test id: the page would scroll sideways. */
const WIDER_THAN_WINDOW = `[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.closest('.scroll')).map(e => e.tagName + '.' + e.className + (e.dataset.testid ? '#' + e.dataset.testid : '')).slice(0, 8)`

// The collection browser (issue 18 §1) in Chromium against a real headless node: thumbnails from
// the node's own blocks, search, trait filters with counts, sort, grid and table, page N of M, a
// collection's display name and image, and the image gateway setting that is off by default.
describe('the collection browser in Chromium, against a real headless node (browser mode)', () => {
  let node: StartedNode
  let browser: Browser
  let page: Page
  let cleanup: () => void
  let artwork: string
  const problems: string[] = []
  const checked: Record<string, string[]> = {}
  let call: RpcCall

  async function shot (name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENS_DIR, `browse-${name}.png`), fullPage: true })
    checked[name] = await axeViolations(page)
  }
  const count = async (): Promise<string> => await page.getByTestId('token-count').textContent() ?? ''

  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    ;({ node, call } = await startUiNode(t.dir, ['--offline']))
    // A real PNG held by the node as a block: the artwork of every other token, and the collection's image.
    const cid = await writeRawBlockCar(path.join(t.dir, 'artwork.car'), makePng(24, 24))
    artwork = `ipfs://${cid.toString()}`
    const car = await call('import_car', path.join(t.dir, 'artwork.car')) as { job: string }
    await until(async () => (await call('import_status', car.job) as { state: string }).state, 'done', 30_000)
    await call('pin_add', cid.toString(), true, 'artwork')
    const documents = new Map<number, unknown>()
    for (let id = 1; id <= ITEMS; id++) {
      documents.set(id, {
        name: id % 5 === 0 ? `Amber lantern ${id}` : `Harbour lantern ${id}`,
        description: id % 7 === 0 ? 'Lit for the winter festival.' : 'A lantern from the harbour series.',
        image: id % 2 === 0 ? artwork : ABSENT,
        attributes: [{ trait_type: 'Glow', value: id % 3 === 0 ? 'Amber' : 'Blue' }, { trait_type: 'Size', value: id % 4 === 0 ? 'Large' : 'Small' }],
      })
    }
    await importCollection(call, { key: 'studio', passphrase: PASSPHRASE, chainId: '1', address: ADDRESS, folder: path.join(t.dir, 'lanterns'), documents })
    // Thumbnails of images this node does not hold answer 404 from its /ipfs path, as expected.
    ;({ browser, page } = await openUi(node, problems, { localOnly: true }))
  }, 180_000)
  afterAll(async () => {
    await closeUi(browser, node)
    cleanup?.()
  })

  it('names the collection and gives it an image; the name replaces the address, which stays in a tooltip', async () => {
    await page.evaluate('location.hash = "#/collections"')
    await page.getByRole('button', { name: 'Name and image…' }).click()
    await page.getByLabel('Display name').fill('Harbour Lanterns')
    await page.getByLabel('Image address').fill(artwork)
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => await page.getByTestId('collections').locator('strong').first().textContent()).toBe('Harbour Lanterns')
    expect(await page.getByTestId('collections').locator('strong').first().getAttribute('title')).toBe(`${ADDRESS} on Ethereum (1)`)
    await shot('01-collections-named')
  })

  it('shows the collection as a grid: names, thumbnails from the node\'s own blocks, key traits, page 1 of 3', async () => {
    await page.evaluate('location.hash = "#/tokens"')
    await expect.poll(count, { timeout: 15_000 }).toContain(`${ITEMS} tokens, showing 1–24`)
    expect(await page.getByTestId('collection-header').getByRole('heading').textContent()).toBe('Harbour Lanterns')
    expect(await page.getByTestId('page-of').textContent()).toBe('Page 1 of 3')
    const grid = page.getByTestId('token-grid')
    expect(await grid.getByRole('link', { name: 'Harbour lantern 2', exact: true }).count()).toBe(1)
    expect(await grid.locator('> li').first().textContent()).toMatch(/Glow\s*Blue.*Size\s*Small/)
    // Token 2's artwork is a block of this node: decoded at its own size. Token 1's is not here, and says so.
    const size = "(img => img && img.complete ? [img.naturalWidth, img.naturalHeight] : null)(document.querySelectorAll('[data-testid=token-grid] > li')[1].querySelector('img'))"
    await expect.poll(async () => await page.evaluate(size), { timeout: 15_000 }).toEqual([24, 24])
    await expect.poll(async () => await grid.locator('> li').first().textContent()).toContain('Not on this node')
    await shot('02-grid')
  })

  it('searches names and descriptions, filters by trait with counts, sorts and pages', async () => {
    await page.getByLabel('Search names and descriptions').fill('amber')
    await expect.poll(count).toContain('12 tokens match')
    await page.getByLabel('Search names and descriptions').fill('winter')
    await expect.poll(count).toContain('8 tokens match')
    await page.getByLabel('Search names and descriptions').fill('')
    await expect.poll(count).toContain(`${ITEMS} tokens`)
    // Counts beside each value: 20 of 60 glow amber.
    const amber = page.getByRole('group', { name: 'Glow' }).getByRole('checkbox', { name: /Amber/ })
    expect(await page.getByRole('group', { name: 'Glow' }).textContent()).toMatch(/Blue\s*40.*Amber\s*20/)
    await amber.check()
    await expect.poll(count).toContain('20 tokens match')
    await expect.poll(async () => await page.getByRole('group', { name: 'Size' }).textContent()).toMatch(/Small\s*15.*Large\s*5/)
    await page.getByRole('group', { name: 'Size' }).getByRole('checkbox', { name: /Large/ }).check()
    await expect.poll(count).toContain('5 tokens match')
    await shot('03-filtered')
    await page.getByRole('button', { name: 'Clear search and filters' }).click()
    await expect.poll(count).toContain(`${ITEMS} tokens, showing 1–24`)
    await page.getByLabel('Sort by').selectOption('name_desc')
    await expect.poll(async () => await page.getByTestId('token-grid').getByRole('link').first().getAttribute('href')).toBe(`#/token/1/${ADDRESS.toLowerCase()}/9`)
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await expect.poll(async () => await page.getByTestId('page-of').textContent()).toBe('Page 2 of 3')
    await page.getByRole('button', { name: 'Last page' }).click()
    await expect.poll(count).toContain('showing 49–60')
  })

  it('shows the same page as a table, and remembers the choice', async () => {
    await page.getByLabel('Table').check()
    await page.getByTestId('token-table').waitFor()
    expect(await page.getByTestId('token-table').locator('tbody tr').count()).toBe(12)
    expect(await page.getByTestId('token-table').locator('tbody tr').first().textContent()).toMatch(/lantern.*#\d+.*Glow: (Blue|Amber), Size: (Small|Large)/)
    await shot('04-table')
    await page.reload()
    await page.getByTestId('token-table').waitFor({ timeout: 15_000 })
    await page.getByLabel('Grid').check()
  })

  it('loads no image from elsewhere until the creator allows a gateway, and the page\'s CSP follows', async () => {
    await page.evaluate('location.hash = "#/settings"')
    const form = page.getByTestId('image-gateway')
    await form.waitFor()
    expect(await form.textContent()).toContain('An image it does not hold is not loaded unless you allow an IPFS gateway here')
    expect(await form.getByRole('checkbox').isChecked()).toBe(false)
    await shot('05-settings-images-off')
    const csp = async (): Promise<string> => (await fetch(`${node.url}/app/`)).headers.get('content-security-policy') ?? ''
    expect(await csp()).toContain("img-src 'self' data: blob:;")
    await form.getByRole('checkbox').check()
    await page.getByLabel('Gateway address').fill('http://gateway.example')
    await form.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => await form.getByRole('alert').textContent()).toContain('must start with https://')
    await page.getByLabel('Gateway address').fill('https://ipfs.example/ipfs/')
    await form.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => await form.getByRole('status').textContent()).toContain('now load from https://ipfs.example')
    expect(await csp()).toContain("img-src 'self' data: blob: https://ipfs.example;")
    await form.getByRole('checkbox').uncheck()
    await form.getByRole('button', { name: 'Save' }).click()
    await expect.poll(async () => await form.getByRole('status').textContent()).toContain('images come from this node only')
    expect(await csp()).toContain("img-src 'self' data: blob:;")
  })

  it('fits a narrow window (390 px) without sideways scrolling', async () => {
    await page.setViewportSize(VIEWPORTS.narrow)
    for (const [hash, name] of [['#/tokens', '06-narrow-grid'], ['#/collections', '07-narrow-collections']] as const) {
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`)
      await page.getByRole('heading', { level: 1 }).first().waitFor()
      if (hash === '#/tokens') await expect.poll(count, { timeout: 15_000 }).toContain(`${ITEMS} tokens`)
      await shot(name)
      // What sticks out past the window, if anything (empty when nothing does).
      expect(await page.evaluate(WIDER_THAN_WINDOW)).toEqual([])
    }
    await page.evaluate('location.hash = "#/tokens"')
    await page.getByLabel('Table').check()
    await page.getByTestId('token-table').waitFor()
    await shot('08-narrow-table')
    expect(await page.evaluate(WIDER_THAN_WINDOW)).toEqual([])
    await page.getByLabel('Grid').check()
  })

  it('on a 390 px window puts the tokens first, the filters folded into a "Filters" line that the keyboard opens', async () => {
    await page.evaluate('location.hash = "#/tokens"')
    await expect.poll(count, { timeout: 15_000 }).toContain(`${ITEMS} tokens`)
    const filters = page.getByTestId('trait-filters')
    const summary = filters.locator('summary')
    expect(await summary.textContent()).toBe('Filters')
    expect(await filters.evaluate(e => (e as unknown as { open: boolean }).open)).toBe(false)
    const amber = page.getByRole('group', { name: 'Glow' }).getByRole('checkbox', { name: /Amber/ })
    expect(await amber.isVisible()).toBe(false)
    // The first token is on the first screen, right below the folded filters.
    const firstCard = page.getByTestId('token-grid').getByRole('link').first()
    const [cardBox, summaryBox] = [await firstCard.boundingBox(), await summary.boundingBox()]
    expect(cardBox !== null && summaryBox !== null && cardBox.y > summaryBox.y && cardBox.y < VIEWPORTS.narrow.height).toBe(true)
    // Keyboard: the summary takes focus and Enter opens it; a value is chosen with Space.
    await summary.focus()
    await page.keyboard.press('Enter')
    expect(await filters.evaluate(e => (e as unknown as { open: boolean }).open)).toBe(true)
    await amber.focus()
    await page.keyboard.press('Space')
    await expect.poll(count).toContain('20 tokens match')
    expect(await summary.textContent()).toBe('Filters (1 chosen)')
    await shot('09-narrow-filters-open')
    expect(await page.evaluate(WIDER_THAN_WINDOW)).toEqual([])
    await page.getByRole('button', { name: 'Clear search and filters' }).click()
    await expect.poll(count).toContain(`${ITEMS} tokens`)
    await summary.focus()
    await page.keyboard.press('Enter')
    expect(await filters.evaluate(e => (e as unknown as { open: boolean }).open)).toBe(false)
    // Back to a wide window: the filters are open beside the tokens again.
    await page.setViewportSize(VIEWPORTS.wide)
    await expect.poll(async () => await filters.evaluate(e => (e as unknown as { open: boolean }).open)).toBe(true)
    expect(await summary.textContent()).toBe('Filter by trait')
  })

  it('had no accessibility violations, no console errors and no request beyond the node', () => {
    expect(Object.keys(checked).length).toBe(9)
    expect(Object.fromEntries(Object.entries(checked).filter(([, v]) => v.length > 0))).toEqual({})
    expect(problems).toEqual([])
  })
})
