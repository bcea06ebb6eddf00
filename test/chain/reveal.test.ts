import { CarReader } from '@ipld/car'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { main } from '../../src-main/cli/index.js'
import { createBitswapService } from '../../src-main/ipfs/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { createP2pHost, dialTarget } from '../../src-main/p2p/index.js'
import { createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { testLog, testLogger } from '../helpers/logger.js'
import { exchange, parseResponse } from '../helpers/raw-http.js'
import { callRpc } from '../helpers/rpc.js'
import { evmSigner } from '../helpers/signers.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { tempDir } from '../helpers/temp-dir.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'
import { caughtUp } from './helpers.js'
import { keptDocuments } from '../helpers/kept-documents.js'

type Answer = { result?: unknown, error?: { code: number, message: string, data?: unknown } }

const PLACEHOLDER = { name: 'Unrevealed', image: 'ipfs://bafkreiplaceholder' }
const secret = (id: string): string => `SECRET-${id}`

/**
 * Reveal on mint on a real node with a real chain (anvil, OpenZeppelin ERC-721): every public path
 * to a token's content, one by one, before and after its mint, and after a reorg undoes a mint.
 */
describe('reveal on mint: hidden until minted on every public path', () => {
  const chainId = 31337
  const binder = evmSigner()
  let anvil: Anvil
  let t: TestNode
  let token: string
  let nft: TestContract
  let address: string
  let alice: string
  /** Head CIDs (newest version) and first versions of each token's slot. */
  const heads = new Map<string, string>()
  const firsts = new Map<string, string>()

  const call = async (method: string, params?: unknown, owner = true): Promise<Answer> => await callRpc(`${t.base}/rpc`, method, params, owner ? token : undefined) as Answer
  const get = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number, body: string, etag: string | null }> => {
    const response = await fetch(t.base + path, { headers })
    return { status: response.status, body: await response.text(), etag: response.headers.get('etag') }
  }
  /** The four tokenURI paths; the escaped id goes past the listener's fast path to the app's routes. */
  const paths = (id: string): string[] => {
    const escaped = [...id].map(c => `%${c.charCodeAt(0).toString(16)}`).join('')
    return [`/metadata/${chainId}/${address}/${id}`, `/ta/${chainId}/${address}/${id}`, `/tk/${t.node.lineage.tokenKey(String(chainId), address)}/${id}`, `/metadata/${chainId}/${address}/${escaped}`]
  }

  async function publish (id: string, data: object, method: 'metadata' | 'contract' = 'metadata'): Promise<string[]> {
    const request = await binder.sign({ method, chain_id: String(chainId), token_address: address, token_id: method === 'contract' ? '' : id, meta_contract_id: 'open', alias: '', version: 'v1', data: JSON.stringify(data), mcdata: '' })
    const { hash } = t.node.lineage.publish(request)
    await t.node.lineage.settled()
    const receipt = t.node.lineage.receipt(hash)
    if (receipt?.status !== 'applied') throw new Error(`not applied: ${receipt?.reason ?? 'no receipt'}`)
    return receipt.heads
  }

  /** Mints `id`, buries it under the confirmation depth (1) and waits for the watcher to apply it. */
  async function mint (id: string): Promise<number> {
    const { blockNumber } = await anvil.mined(nft.mint(alice, BigInt(id)) as Promise<{ hash: string }>)
    await anvil.mine(1)
    await caughtUp(t.node.chain, address, blockNumber)
    return blockNumber
  }

  beforeAll(async () => {
    anvil = await startAnvil({ chainId })
    t = await startTestNode({})
    token = readApiToken(t.node.config.dataDir) ?? ''
    alice = (await (await anvil.signer(0)).getAddress()).toLowerCase()
    ;({ contract: nft, address } = await deploy('TestNft', await anvil.signer(0)))
    expect((await call('chain_set', [chainId, { http_url: anvil.url, confirmations: 1, poll_interval_ms: 50 }])).error).toBeUndefined()
    expect((await call('chain_watch', [chainId, address])).error).toBeUndefined()
    await publish('', {}, 'contract')
    for (const id of ['1', '2', '3', '4']) {
      const [first] = await publish(id, { name: `#${id}`, description: 'first version' })
      const [head] = await publish(id, { name: `#${id}`, description: secret(id) })
      firsts.set(id, first ?? '')
      heads.set(id, head ?? '')
    }
  }, 120_000)
  afterAll(async () => {
    await t?.stop()
    await anvil?.stop()
  })

  it('only the owner hides a collection; bad input names the field and changes nothing', async () => {
    for (const [method, params] of [['chain_reveal_set', [chainId, address, PLACEHOLDER]], ['chain_reveal_clear', [chainId, address]], ['chain_reveal_ls', []], ['chain_reveal_tokens', [chainId, address, ['1']]]] as const) {
      expect(await call(method, params, false)).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    }
    expect(await call('chain_reveal_set', [chainId, address, [1, 2]])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams } })
    expect(await call('chain_reveal_set', [chainId, address, { blob: 'x'.repeat(17_000) }])).toMatchObject({ error: { code: RPC_ERROR_CODES.InvalidParams, message: expect.stringContaining('placeholder is 17011 bytes as JSON, more than the 16384 allowed'), data: { field: 'placeholder' } } })
    expect(await call('chain_reveal_set', [chainId, '0x00000000000000000000000000000000000000aa', PLACEHOLDER])).toMatchObject({ error: { code: RPC_ERROR_CODES.WatchNotFoundError } })
    expect(await call('chain_reveal_clear', [chainId, address])).toMatchObject({ error: { code: RPC_ERROR_CODES.RevealNotFoundError } })
    expect((await call('chain_reveal_ls')).result).toEqual([])
    // Not hidden yet: the real document is public.
    expect(JSON.parse((await get(paths('2')[0] ?? '')).body)).toMatchObject({ description: secret('2') })
  })

  it('the CLI hides with a placeholder file, lists, and refuses a file that is not JSON', async () => {
    const files = tempDir()
    try {
      const file = `${files.dir}/placeholder.json`
      const bad = `${files.dir}/bad.json`
      await import('node:fs').then(fs => { fs.writeFileSync(file, JSON.stringify(PLACEHOLDER)); fs.writeFileSync(bad, '{ nope') })
      const cli = async (...argv: string[]): Promise<{ code: number, out: string[], err: string[] }> => {
        const out: string[] = []
        const err: string[] = []
        const code = await main([...argv, '--data-dir', t.node.config.dataDir], { out: line => out.push(line), err: line => err.push(line) })
        return { code, out, err }
      }
      expect(await cli('chain', 'hide', String(chainId), address)).toMatchObject({ code: 2, err: ['Error: Give --placeholder <file.json> or --not-found (one of them).'] })
      expect((await cli('chain', 'hide', String(chainId), address, '--placeholder', bad)).err[0]).toMatch(/^Error: --placeholder: .*bad\.json is not JSON/)
      expect((await call('chain_reveal_ls')).result).toEqual([])
      expect(await cli('chain', 'hide', String(chainId), address, '--placeholder', file)).toEqual({ code: 0, out: [`${address} on chain ${chainId}: each token is hidden until its mint is confirmed (the placeholder before then).`], err: [] })
      expect((await cli('chain', 'hidden')).out).toEqual([`${chainId}\t${address}\thidden until minted\tplaceholder ${JSON.stringify(PLACEHOLDER)}`])
      expect((await call('chain_reveal_ls')).result).toMatchObject([{ chain_id: chainId, address, placeholder: PLACEHOLDER }])
    } finally {
      files.cleanup()
    }
  })

  it('gateway tokenURI paths (listener fast path and routes): the placeholder until the mint is confirmed, then the real document', async () => {
    for (const path of paths('1')) {
      const answer = await get(path)
      expect({ path, status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({ path, status: 200, body: PLACEHOLDER })
    }
    // The mint is mined but not yet under the confirmation depth: still the placeholder.
    const { blockNumber } = await anvil.mined(nft.mint(alice, 1n) as Promise<{ hash: string }>)
    expect(JSON.parse((await get(paths('1')[0] ?? '')).body)).toEqual(PLACEHOLDER)
    const placeholderTag = (await get(paths('1')[0] ?? '')).etag ?? ''
    await anvil.mine(1)
    await caughtUp(t.node.chain, address, blockNumber)
    for (const path of paths('1')) {
      const answer = await get(path, { 'if-none-match': placeholderTag })
      expect({ path, status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({ path, status: 200, body: { name: '#1', description: secret('1') } })
    }
    // Token 2 is not minted: still the placeholder; the owner's view says which is which.
    expect(JSON.parse((await get(paths('2')[1] ?? '')).body)).toEqual(PLACEHOLDER)
    expect((await call('chain_reveal_tokens', [chainId, address, ['1', '2', '0x1']])).result).toEqual([
      { token_id: '1', minted: true, revealed: true }, { token_id: '2', minted: false, revealed: false }, { token_id: '1', minted: true, revealed: true },
    ])
    // 404 instead of a placeholder: the same words as a token with no metadata at all.
    expect((await call('chain_reveal_set', [chainId, address, null])).result).toMatchObject({ placeholder: null })
    for (const path of paths('2')) {
      const answer = await get(path)
      expect({ path, status: answer.status, body: answer.body }).toEqual({ path, status: 404, body: JSON.stringify({ error: `This node has no metadata for token 2 of ${address} on chain ${chainId}.` }) })
    }
    expect((await get(paths('1')[0] ?? '')).status).toBe(200)
    await call('chain_reveal_set', [chainId, address, PLACEHOLDER])
  }, 60_000)

  it('while the node starts, its listener sends the placeholder, not the kept document', async () => {
    // The listener's own reads (KeptDocuments) are the same gate: read it the way the listener does.
    const port = Number(new URL(t.base).port)
    const raw = parseResponse(await exchange(port, `GET ${paths('2')[0] ?? ''} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), 'GET')
    expect(JSON.parse(raw.body.toString('utf8'))).toEqual(PLACEHOLDER)
    const { KeptDocuments } = await import('../../src-main/api/starting/index.js')
    const { createRevealGate } = await import('../../src-main/chain/index.js')
    const { db } = t.node.store
    // The gateway keeps the documents it made (tokens 1 and 2 were read above) in batches: wait for them.
    const keptKeys = ['1', '2'].map(id => t.node.lineage.dataKey(String(chainId), address, id))
    const formatterId = await waitFor('tokens 1 and 2 kept', () => {
      const rows = keptDocuments(db).filter(d => keptKeys.includes(d.dataKey))
      return rows.length === 2 ? rows[0]?.formatter : undefined
    }, { intervalMs: 20, timeoutMs: 20_000 })
    const kept = new KeptDocuments(db, formatterId, createRevealGate(db))
    expect(kept.read(paths('2')[0] ?? '')?.json).toBe(JSON.stringify(PLACEHOLDER))
    expect(JSON.parse(kept.read(paths('1')[0] ?? '')?.json ?? '{}')).toMatchObject({ description: secret('1') })
    expect(JSON.parse(new KeptDocuments(db, formatterId).read(paths('2')[0] ?? '')?.json ?? '{}')).toMatchObject({ description: secret('2') })
  })

  it('/ipfs/<cid> of a hidden token\'s versions is a 404 in every format and along paths; a minted token\'s are served', async () => {
    for (const cid of [heads.get('2'), firsts.get('2')]) {
      for (const suffix of ['', '?format=raw', '?format=car', '/content', '/content/description']) {
        const answer = await get(`/ipfs/${cid ?? ''}${suffix}`)
        expect({ suffix, status: answer.status, leaked: answer.body.includes(secret('2')) || answer.body.includes('first version') }).toEqual({ suffix, status: 404, leaked: false })
      }
    }
    // The newest version's `previous` leads to the first: each block on the path is checked.
    expect((await get(`/ipfs/${heads.get('2') ?? ''}/previous/content`)).status).toBe(404)
    expect(JSON.parse((await get(`/ipfs/${heads.get('1') ?? ''}/content`)).body)).toEqual({ name: '#1', description: secret('1') })
    expect((await get(`/ipfs/${firsts.get('1') ?? ''}?format=raw`)).status).toBe(200)
    // A minted token's CAR walks its versions (each asked of the gate) and holds both.
    const car = await CarReader.fromBytes(new Uint8Array(await (await fetch(`${t.base}/ipfs/${heads.get('1') ?? ''}?format=car`)).arrayBuffer()))
    const cids: string[] = []
    for await (const block of car.blocks()) cids.push(block.cid.toString())
    expect(cids).toEqual([heads.get('1'), firsts.get('1')])
  })

  it('public JSON-RPC reads leave hidden tokens out or refuse them; the owner reads everything', async () => {
    const dataKey = t.node.lineage.dataKey(String(chainId), address, '2')
    const tokenKey = t.node.lineage.tokenKey(String(chainId), address)
    const slot = [dataKey, 'open', binder.publicKey.toLowerCase(), '', 'v1']
    const tx = (await call('get_transactions', [{ query: [{ column: 'data_key', op: '=', query: dataKey }] }])).result as Array<{ hash: string }>
    expect(tx.length).toBe(2)
    const reads: Array<[string, unknown[], 'refused' | 'listed']> = [
      ['get_metadata', slot, 'refused'],
      ['get_metadata_with_history', slot, 'refused'],
      ['get_history', slot, 'refused'],
      ['get_metadatas', [dataKey, 'v1'], 'refused'],
      ['get_metadatas_all_version', [dataKey], 'refused'],
      ['get_metadatas_by_tokenkey', [tokenKey, '2', 'v1'], 'refused'],
      ['get_token', [{ chain_id: String(chainId), token_address: address, token_id: '2' }], 'refused'],
      ['get_token', [{ data_key: dataKey }], 'refused'],
      ['get_transaction', [tx[0]?.hash], 'refused'],
      ['diff_versions', [heads.get('2')], 'refused'],
      ['ipfs_get', [heads.get('2')], 'refused'],
      ['list_tokens', [{ token_key: tokenKey }], 'listed'],
      ['get_transactions', [{}], 'listed'],
      ['get_complete_transactions', [0, Date.now() + 60_000], 'listed'],
      ['search_metadatas', [{}], 'listed'],
      ['browse_tokens', [{ token_key: tokenKey }], 'listed'],
    ]
    for (const [method, params, kind] of reads) {
      const open = await call(method, params, false)
      if (kind === 'refused') expect({ method, open }).toMatchObject({ method, open: { error: { code: RPC_ERROR_CODES.TokenHiddenError, message: 'This token is hidden until it is minted: its metadata is not public yet.' } } })
      else expect({ method, error: open.error, leaked: JSON.stringify(open.result).includes(dataKey) || JSON.stringify(open.result).includes(secret('2')) }).toEqual({ method, error: undefined, leaked: false })
      const owner = await call(method, params)
      expect({ method, error: owner.error }).toEqual({ method, error: undefined })
    }
    // What a list still shows: the minted token, with its content.
    const page = (await call('list_tokens', [{ token_key: tokenKey }], false)).result as { items: Array<{ token_id: string }> }
    expect(page.items.map(i => i.token_id)).toEqual(['1'])
    const browse = (await call('browse_tokens', [{ token_key: tokenKey }, { facets: true }], false)).result as { items: Array<{ token_id: string, description: string }>, facets: unknown[] }
    expect({ items: browse.items.map(i => [i.token_id, i.description]), facets: browse.facets }).toEqual({ items: [['1', secret('1')]], facets: [] })
    // A search or a trait filter over a hidden collection would count what unminted tokens hold.
    expect(await call('browse_tokens', [{ token_key: tokenKey }, { text: 'SECRET' }], false)).toMatchObject({ error: { code: RPC_ERROR_CODES.TokenHiddenError } })
    expect(((await call('browse_tokens', [{ token_key: tokenKey }, { text: 'SECRET' }])).result as { total: number }).total).toBe(4)
    expect(JSON.stringify((await call('get_metadata', slot)).result)).toContain(secret('2'))
  })

  it('a snapshot (an ipfs:// folder of every document) of a hidden collection is refused, even for the owner', async () => {
    expect(await call('snapshot_create', [String(chainId), address])).toMatchObject({ error: { code: RPC_ERROR_CODES.SnapshotHiddenCollectionError, message: expect.stringContaining('is hidden until minted: a snapshot would publish the metadata of tokens not minted yet') } })
    expect((await call('snapshot_ls', [String(chainId), address])).result).toEqual([])
  })

  it('bitswap does not send a hidden token\'s blocks to a peer until the mint reveals them', async () => {
    const dir = tempDir()
    const store = createStore({ log: testLog }, { dataDir: dir.dir })
    store.start()
    const host = createP2pHost({ privateKey: await generateKeyPair('Ed25519'), logger: testLogger }, { host: '127.0.0.1', port: 0 })
    await host.start()
    const bitswap = createBitswapService({ libp2p: host.libp2p, blockstore: createBlockstore(store, { transactionRows: ledgerReads }), logger: testLogger }, { fetchTimeoutMs: 1_500 })
    await bitswap.start()
    try {
      const target = t.node.p2p?.listenAddresses().find(a => !a.toString().includes('/ws')) ?? ''
      await host.libp2p.dial(dialTarget(multiaddr(target.toString())))
      const hidden = CID.parse(heads.get('3') ?? '')
      await expect(bitswap.want(hidden)).rejects.toMatchObject({ name: 'BlockUnavailableError' })
      const revealed = CID.parse(heads.get('1') ?? '')
      expect(Buffer.from(await bitswap.want(revealed)).includes(secret('1'))).toBe(true)
      await mint('3')
      expect(Buffer.from(await bitswap.want(hidden)).includes(secret('3'))).toBe(true)
    } finally {
      await bitswap.stop()
      await host.stop()
      store.stop()
      dir.cleanup()
    }
  }, 60_000)

  it('Aqua: another node\'s peer_get_metadata, history and list get nothing of a hidden token', async () => {
    const b = await startTestNode({})
    try {
      const bToken = readApiToken(b.node.config.dataDir) ?? ''
      const info = (await call('node_info', [])).result as { p2p: { listen_addresses: string[] } }
      const aAddress = info.p2p.listen_addresses.find(x => !x.includes('/ws')) ?? ''
      const ask = async (method: string, params: unknown[]): Promise<Answer> => await callRpc(`${b.base}/rpc`, method, params, bToken) as Answer
      const hidden = await ask('peer_get_metadata', [aAddress, String(chainId), address, '4'])
      expect(hidden.error).toBeUndefined()
      expect(hidden.result).toMatchObject({ found: false })
      const history = await ask('peer_get_history', [aAddress, String(chainId), address, '4'])
      expect({ found: (history.result as { found: boolean }).found, leaked: JSON.stringify(history).includes(secret('4')) }).toEqual({ found: false, leaked: false })
      const list = await ask('peer_list_collection', [aAddress, String(chainId), address])
      expect((list.result as { items: Array<{ token_id: string }> }).items.map(i => i.token_id)).toEqual(['1', '3'])
      expect((await ask('peer_get_metadata', [aAddress, String(chainId), address, '1'])).result).toMatchObject({ found: true, metadata: { description: secret('1') } })
    } finally {
      await b.stop()
    }
  }, 90_000)

  it('a reorg that removes a mint hides the token again at once, though its document was cached', async () => {
    const snapshot = await anvil.snapshot()
    await mint('4')
    for (let i = 0; i < 3; i++) expect(JSON.parse((await get(paths('4')[0] ?? '')).body)).toMatchObject({ description: secret('4') })
    expect((await get(`/ipfs/${heads.get('4') ?? ''}`)).status).toBe(200)
    await anvil.revert(snapshot)
    await anvil.mine(4)
    await waitFor('the watcher to undo the mint of 4', () => !t.node.chain.isMinted(chainId, address, '4'), { intervalMs: 20, timeoutMs: 20_000 })
    for (const path of paths('4')) expect({ path, body: JSON.parse((await get(path)).body) as unknown }).toEqual({ path, body: PLACEHOLDER })
    expect((await get(`/ipfs/${heads.get('4') ?? ''}`)).status).toBe(404)
    expect(await call('get_metadata', [t.node.lineage.dataKey(String(chainId), address, '4'), 'open', binder.publicKey.toLowerCase(), '', 'v1'], false)).toMatchObject({ error: { code: RPC_ERROR_CODES.TokenHiddenError } })
  }, 60_000)

  it('a burn does not hide a revealed token again: its content was public from its mint', async () => {
    const { blockNumber } = await anvil.mined(nft.burn(1n) as Promise<{ hash: string }>)
    await anvil.mine(1)
    await caughtUp(t.node.chain, address, blockNumber)
    expect(t.node.chain.token(chainId, address, '1')).toMatchObject({ minted: false, burned: true })
    expect(JSON.parse((await get(paths('1')[0] ?? '')).body)).toMatchObject({ description: secret('1') })
    expect((await call('chain_reveal_tokens', [chainId, address, ['1']])).result).toEqual([{ token_id: '1', minted: false, revealed: true }])
  })

  it('unhiding makes every token public again', async () => {
    expect((await call('chain_reveal_clear', [chainId, address])).result).toMatchObject({ chain_id: chainId, address })
    expect(JSON.parse((await get(paths('2')[0] ?? '')).body)).toMatchObject({ description: secret('2') })
    expect((await get(`/ipfs/${heads.get('2') ?? ''}`)).status).toBe(200)
  })
})
