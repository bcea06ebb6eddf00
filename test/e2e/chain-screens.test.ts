import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANVIL_KEYS, startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { axeViolations, SCREENS_DIR, VIEWPORTS } from '../helpers/chromium.js'
import { closeUi, importCollection, openUi, startUiNode } from '../helpers/e2e-ui.js'
import type { RpcCall } from '../helpers/e2e-ui.js'
import { startHostileRpc } from '../helpers/hostile-rpc.js'
import type { HostileRpc } from '../helpers/hostile-rpc.js'
import type { StartedNode } from '../helpers/processes.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { tempDir } from '../helpers/temp-dir.js'

// anvil's first development account (its default mnemonic): the collection contract's deployer and owner.
const OWNER_KEY = ANVIL_KEYS[0]
const PASSPHRASE = 'correct horse battery'
const BASE_URI = 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/'
const TOKENS = 6
const MINTED = 3

// The chain screens (issue 19 §3) in Chromium against a real headless node and a real anvil:
// the network settings with their status, a collection watched on chain, minted and unminted
// tokens in the token list, and the baseURI writer from estimate to confirmed.
describe('the Chain screen in Chromium: networks, a watched collection, minted badges, baseURI on chain', () => {
  let anvil: Anvil
  let rpc: HostileRpc
  let node: StartedNode
  let browser: Browser
  let page: Page
  let cleanup: () => void
  let collection: TestContract
  let address: string
  const problems: string[] = []
  const checked: Record<string, string[]> = {}
  let call: RpcCall

  /** A screenshot at both window sizes, with axe's findings for each. */
  async function shots (name: string): Promise<void> {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport)
      await page.screenshot({ path: path.join(SCREENS_DIR, `chain-${name}-${size}.png`), fullPage: true })
      checked[`${name}-${size}`] = await axeViolations(page)
    }
    await page.setViewportSize(VIEWPORTS.wide)
  }

  beforeAll(async () => {
    const t = tempDir()
    cleanup = t.cleanup
    anvil = await startAnvil()
    rpc = await startHostileRpc(anvil.url)
    ;({ contract: collection, address } = await deploy('TestCollection', await anvil.signer(0)))
    const holder = await (await anvil.signer(2)).getAddress()
    for (let id = 1; id <= MINTED; id++) await anvil.mined(collection.mint(holder, BigInt(id)))
    ;({ node, call } = await startUiNode(t.dir, ['--no-mdns']))
    const documents = new Map<number, unknown>()
    for (let id = 1; id <= TOKENS; id++) documents.set(id, { name: `Tide ${id}`, description: 'From the tide drop.', image: 'ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', attributes: [{ trait_type: 'Tide', value: id % 2 === 0 ? 'High' : 'Low' }] })
    await importCollection(call, { key: 'studio', passphrase: PASSPHRASE, privateKey: OWNER_KEY, chainId: String(anvil.chainId), address, folder: path.join(t.dir, 'drop'), documents })
    ;({ browser, page } = await openUi(node, problems, { localOnly: true }))
  }, 180_000)
  afterAll(async () => {
    await closeUi(browser, node)
    await rpc?.close()
    await anvil?.stop()
    cleanup?.()
  })

  it('adds a network by name (id beside it); a wrong one is refused in words and nothing is kept', async () => {
    await page.getByRole('link', { name: 'Chain' }).click()
    await expect.poll(async () => await page.getByTestId('no-endpoints').textContent(), { timeout: 10_000 }).toContain('No network is set up yet')
    // The anvil endpoint offered as Ethereum: it answers chain 31337, so it is refused.
    await page.getByLabel('Endpoint URL').fill(rpc.url)
    await page.getByRole('button', { name: 'Add network' }).click()
    await expect.poll(async () => await page.getByRole('alert').first().textContent(), { timeout: 10_000 }).toBe('The endpoint for chain 1 answers eth_chainId 0x7a69: it serves another chain. Check its URL.')
    expect(await call('chain_ls')).toEqual([])
    await page.getByLabel('Network (chain id)').selectOption(String(anvil.chainId))
    await page.getByLabel('Confirmations').fill('0')
    await page.getByRole('button', { name: 'Add network' }).click()
    await expect.poll(async () => await page.getByTestId('endpoints').textContent(), { timeout: 10_000 }).toContain('Local test network (31337, test network)')
    expect(await page.getByTestId('endpoints').textContent()).toContain(`${rpc.url}`.replace(/\/$/, ''))
    expect(await page.getByTestId('endpoint-status').textContent()).toBe('Answers (checked when added); no collection watched on it yet.')
    await shots('01-settings')
  })

  it('watches the collection: status, last block and minted count; the token list marks minted and unminted tokens', async () => {
    await page.getByRole('button', { name: 'Watch on chain' }).click()
    await expect.poll(async () => await page.getByTestId('watch-state').textContent(), { timeout: 20_000 }).toBe('Up to date, following new blocks')
    await expect.poll(async () => await page.getByTestId('watch-tokens').textContent(), { timeout: 10_000 }).toBe(String(MINTED))
    expect(await page.getByTestId('endpoint-status').textContent()).toBe('Answering; 1 collection watched.')
    await shots('02-watched')

    await page.getByRole('link', { name: 'Tokens', exact: true }).click()
    await expect.poll(async () => await page.getByTestId('mint-badge').count(), { timeout: 10_000 }).toBe(TOKENS)
    const badges = await page.getByTestId('mint-badge').allTextContents()
    expect(badges).toEqual([...Array(MINTED).fill('Minted'), ...Array(TOKENS - MINTED).fill('Not minted')])
    await shots('03-tokens-minted')

    // Hidden until minted (reveal on mint): the owner's list says which tokens are revealed.
    await call('chain_reveal_set', anvil.chainId, address, { name: 'Tide (not minted yet)' })
    await page.getByRole('link', { name: 'Chain' }).click()
    await page.getByRole('link', { name: 'Tokens', exact: true }).click()
    await expect.poll(async () => await page.getByTestId('mint-badge').allTextContents(), { timeout: 10_000 })
      .toEqual([...Array(MINTED).fill('Minted · revealed'), ...Array(TOKENS - MINTED).fill('Not minted · hidden')])
    await shots('03b-tokens-hidden')
    await call('chain_reveal_clear', anvil.chainId, address)
  })

  it('sets baseURI: estimate, a confirmation step with the passphrase, then progress until confirmed on chain', async () => {
    await page.getByRole('link', { name: 'Chain' }).click()
    await page.getByLabel('New baseURI', { exact: true }).fill(BASE_URI)
    await page.getByRole('button', { name: 'Estimate gas' }).click()
    await expect.poll(async () => await page.getByTestId('estimate').textContent(), { timeout: 10_000 }).toContain('Calls setBaseURI(string)')
    expect(await page.getByTestId('estimate').textContent()).toMatch(/costs at most \d+\.\d+ in the network's coin/)
    expect(await collection.baseURI()).toBe('')
    await shots('04-estimate')

    await page.getByRole('button', { name: 'Send transaction…' }).click()
    await page.getByLabel('Passphrase of studio').fill('not the passphrase')
    await page.getByRole('button', { name: 'Sign and send' }).click()
    await expect.poll(async () => await page.getByRole('dialog').getByRole('alert').textContent(), { timeout: 20_000 }).toBe('That passphrase does not unlock this key. Check it (capital letters count) and try again.')
    expect(await call('chain_txs')).toEqual([])
    await page.getByLabel('Passphrase of studio').fill(PASSPHRASE)
    await shots('05-confirm')
    await page.getByRole('button', { name: 'Sign and send' }).click()
    await expect.poll(async () => await page.getByRole('status').filter({ hasText: 'Confirmed' }).count(), { timeout: 30_000 }).toBe(1)
    expect(await page.getByRole('status').filter({ hasText: 'Confirmed' }).textContent()).toBe(`Confirmed: setBaseURI(string) with ${BASE_URI}.`)
    expect(await collection.baseURI()).toBe(BASE_URI)
    expect(await collection.tokenURI(1n)).toBe(`${BASE_URI}1`)
    await expect.poll(async () => await page.getByTestId('metadata-updates').textContent(), { timeout: 10_000 }).toMatch(/^Metadata update announced on chain at block \d+: every token$/)
    await shots('06-confirmed')

    // The watcher reads the same announcement from the chain: each token in the list says so.
    await expect.poll(async () => ((await call('chain_tokens', anvil.chainId, address, ['1'])) as Array<{ metadata_update_block: number | null }>)[0]?.metadata_update_block, { timeout: 15_000 }).toBeGreaterThan(0)
    await page.getByRole('link', { name: 'Tokens', exact: true }).click()
    await expect.poll(async () => await page.getByTestId('metadata-update-badge').count(), { timeout: 10_000 }).toBe(TOKENS)
    expect(await page.getByTestId('metadata-update-badge').first().textContent()).toMatch(/^Metadata update announced on chain at block \d+$/)
    await shots('06b-tokens-updated')
    await page.getByRole('link', { name: 'Chain' }).click()
  })

  it('an endpoint that stops answering shows its last error in plain words', async () => {
    rpc.mode = { kind: 'down' }
    try {
      await expect.poll(async () => await page.getByTestId('endpoint-status').textContent(), { timeout: 20_000 }).toMatch(/^The endpoint does not answer \(down, too slow, or limiting this node's requests\)\. \(/)
      expect(await page.getByTestId('watch-state').textContent()).toBe('Cannot reach the network, trying again')
      await shots('07-endpoint-down')
    } finally {
      rpc.mode = { kind: 'proxy' }
    }
  })

  it('a network with a watched collection cannot be removed until the watch stops; then it goes', async () => {
    await page.getByRole('button', { name: 'Remove the endpoint of Local test network (31337, test network)' }).click()
    await expect.poll(async () => await page.getByRole('alert').first().textContent(), { timeout: 10_000 }).toBe('Collections on Local test network (31337, test network) are still watched. Stop watching them first (Watch on chain › Stop watching…), then remove the network.')
    expect(await call('chain_ls')).toHaveLength(1)
    await page.getByRole('button', { name: 'Stop watching…' }).click()
    await shots('08-stop-watching')
    await page.getByRole('dialog').getByRole('button', { name: 'Stop watching' }).click()
    await expect.poll(async () => await page.getByRole('button', { name: 'Watch on chain' }).count(), { timeout: 10_000 }).toBe(1)
    expect(await call('chain_status')).toEqual([])
    await page.getByRole('button', { name: 'Remove the endpoint of Local test network (31337, test network)' }).click()
    await expect.poll(async () => await page.getByTestId('no-endpoints').textContent(), { timeout: 10_000 }).toContain('No network is set up yet')
    expect(await call('chain_ls')).toEqual([])
  })

  it('every screen shown has no accessibility violation, and nothing failed in the page', () => {
    expect(Object.keys(checked)).toHaveLength(20)
    expect(checked).toEqual(Object.fromEntries(Object.keys(checked).map(k => [k, []])))
    expect(problems).toEqual([])
  })
})
