import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lineage } from '../../src-main/lineage/engine/index.js'
import { createLineageNode } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { evmSigner } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'

// The gateway serves documents from memory and drops them when the engine applies a change. These
// tests read right after each kind of change and expect the new document, never the cached one.
const CHAIN = '1'
const ADDRESS = '0x1111111111111111111111111111111111111111'

describe('gateway documents follow every applied change', () => {
  let dir: { dir: string, cleanup: () => void }
  let node: LineageNode
  let base: string
  const owner = evmSigner()

  const startNode = async (): Promise<void> => {
    node = createLineageNode(testNodeConfig(dir.dir), { logger: testLogger })
    await node.start()
    base = node.status().apiUrl ?? ''
  }

  async function publish (signer: TestSigner, fields: Record<string, string>): Promise<void> {
    const request = await signer.sign({ method: 'metadata', chain_id: CHAIN, token_address: ADDRESS, token_id: '1', meta_contract_id: 'open', alias: '', version: 'v1', data: '', mcdata: '', ...fields } as never)
    const { hash } = node.lineage.publish(request)
    await node.lineage.settled()
    const receipt = node.lineage.receipt(hash)
    if (receipt?.status !== 'applied') throw new Error(`not applied: ${receipt?.reason ?? 'no receipt'}`)
  }

  const read = async (path: string, etag?: string): Promise<{ status: number, etag: string | null, body: Record<string, unknown> | null }> => {
    const response = await fetch(base + path, { headers: etag === undefined ? {} : { 'if-none-match': etag } })
    const text = await response.text()
    return { status: response.status, etag: response.headers.get('etag'), body: text === '' ? null : JSON.parse(text) as Record<string, unknown> }
  }
  const token = (id: string): string => `/metadata/${CHAIN}/${ADDRESS}/${id}`

  beforeAll(async () => {
    dir = tempDir()
    await startNode()
  })
  afterAll(async () => {
    await node.stop()
    dir.cleanup()
  })

  it('an unbound collection, then an unknown token, then a published one: each read sees the change', async () => {
    expect((await read(token('1'))).body?.error).toMatch(/no metadata for collection/)
    await publish(owner, { method: 'contract', token_id: '', data: '{}' })
    expect((await read(token('1'))).body?.error).toMatch(/no metadata for token 1 /)
    await publish(owner, { data: JSON.stringify({ name: 'One', story: 'first' }) })
    const first = await read(token('1'))
    expect(first).toMatchObject({ status: 200, body: { name: 'One', story: 'first' } })
  })

  it('a new version replaces the document and its ETag on every path at once', async () => {
    const before = await read(token('1'))
    expect(before.etag).toMatch(/^"[0-9a-f]{32}"$/)
    // Unchanged content keeps its ETag, so clients revalidate for free.
    expect(await read(token('1'), before.etag ?? '')).toMatchObject({ status: 304, etag: before.etag, body: null })

    await publish(owner, { data: JSON.stringify({ name: 'One', story: 'second' }) })
    const paths = [token('1'), token(`${'0'.repeat(63)}1`), `/ta/${CHAIN}/${ADDRESS}/1`, `/tk/${node.lineage.tokenKey(CHAIN, ADDRESS)}/1`]
    for (const path of paths) {
      const after = await read(path, before.etag ?? '')
      expect(after.status, path).toBe(200)
      expect(after.body, path).toEqual({ name: 'One', story: 'second' })
      expect(after.etag, path).not.toBe(before.etag)
    }
  })

  it('another writer\'s slot joins the document as soon as it applies', async () => {
    const fan = evmSigner()
    const before = await read(token('1'))
    await publish(fan, { alias: 'lore', data: JSON.stringify({ chapter: 1 }) })
    const after = await read(token('1'))
    expect(after.body).toEqual({ name: 'One', story: 'second', lore: { chapter: 1 } })
    expect(after.etag).not.toBe(before.etag)
  })

  it('rebinding the collection serves the new contract\'s document, and binding back the old one', async () => {
    const underOpen = await read(token('1'))
    await publish(owner, { method: 'contract', token_id: '', meta_contract_id: 'erc721', data: '{}' })
    expect((await read(token('1'))).body?.error).toMatch(/no metadata for token 1 /)
    await publish(owner, { meta_contract_id: 'erc721', data: JSON.stringify({ name: 'One (ERC-721)', image: 'ipfs://one' }) })
    const underErc721 = await read(token('1'))
    expect(underErc721).toMatchObject({ status: 200, body: { name: 'One (ERC-721)', image: 'ipfs://one' } })
    expect(underErc721.etag).not.toBe(underOpen.etag)

    await publish(owner, { method: 'contract', token_id: '', meta_contract_id: 'open', data: '{}' })
    expect(await read(token('1'))).toEqual(underOpen)
  })

  it('answers the same document and ETag after a restart (made and kept by the first start)', async () => {
    for (let id = 2; id <= 5; id++) await publish(owner, { token_id: String(id), data: JSON.stringify({ name: `Token ${id}` }) })
    const before = await Promise.all(['1', '2', '3', '4', '5'].map(async id => await read(token(id))))
    await node.stop()
    await startNode()
    const after = await Promise.all(['1', '2', '3', '4', '5'].map(async id => await read(token(id))))
    expect(after).toEqual(before)
  })

  it('stops following the engine when the API stops', async () => {
    const lineage: Lineage = node.lineage
    expect(lineage.listenerCount('applied')).toBeGreaterThan(0)
    await node.stop()
    expect(lineage.listenerCount('applied')).toBe(0)
    await startNode()
  })
})
