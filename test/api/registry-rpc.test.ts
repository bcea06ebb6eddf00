import { createHash } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { Wallet } from 'ethers'
import type { HDNodeWallet } from 'ethers'
import { base58btc } from 'multiformats/bases/base58'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { RegistryEntryInfo, RegistrySetResultInfo, RegistryWriteRequest } from '../../src-main/api/index.js'
import { registryMessage } from '../../src-main/lineage/registry/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { postRpc } from '../helpers/rpc.js'
import { freshNonce } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

type Write = Omit<RegistryWriteRequest, 'signature' | 'public_key' | 'nonce'> & { nonce?: string }
type Answer<T> = { result?: T, error?: { code: number, message: string, data?: { name?: string, field?: string } } }

const unsignedOf = ({ registry_id, registry_name, meta_contract_id, public_key, nonce }: RegistryWriteRequest): Omit<RegistryWriteRequest, 'signature'> =>
  ({ registry_id, registry_name, meta_contract_id, public_key, nonce })

/** The signed text as docs/PROTOCOL.md documents it, built here independently of the node's code. */
const signedText = (w: Omit<RegistryWriteRequest, 'signature'>): string => [
  'Lineage registry v1',
  `registry_id: ${w.registry_id}`,
  `registry_name: ${w.registry_name}`,
  `meta_contract_id: ${w.meta_contract_id}`,
  `public_key: ${w.public_key.startsWith('0x') ? w.public_key.toLowerCase() : w.public_key}`,
  `nonce: ${w.nonce}`,
].join('\n')

/** An ed25519 key signing registry writes with @noble/curves. */
function ed25519Writer (): { publicKey: string, sign(w: Write): RegistryWriteRequest } {
  const secret = ed25519.utils.randomSecretKey()
  const publicKey = base58btc.baseEncode(ed25519.getPublicKey(secret))
  return {
    publicKey,
    sign (w) {
      const unsigned = { ...w, public_key: publicKey, nonce: w.nonce ?? freshNonce() }
      return { ...unsigned, signature: base58btc.baseEncode(ed25519.sign(new TextEncoder().encode(signedText(unsigned)), secret)) }
    },
  }
}

/** An EVM wallet signing registry writes with ethers (EIP-191 personal_sign). */
function evmWriter (): { publicKey: string, wallet: HDNodeWallet, sign(w: Write): Promise<RegistryWriteRequest> } {
  const wallet = Wallet.createRandom()
  return {
    publicKey: wallet.address,
    wallet,
    async sign (w) {
      const unsigned = { ...w, public_key: wallet.address, nonce: w.nonce ?? freshNonce() }
      return { ...unsigned, signature: await wallet.signMessage(signedText(unsigned)) }
    },
  }
}

describe('registry_set, registry_get, registry_list over HTTP on a real node', () => {
  let running: TestNode
  let node: LineageNode
  let url: string
  let id = 0
  const owner = ed25519Writer()
  const stranger = evmWriter()
  let created: RegistryWriteRequest

  async function call<T> (method: string, ...params: unknown[]): Promise<Answer<T>> {
    const { json } = await postRpc(url, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
    return json as Answer<T>
  }
  const writes = (): number => node.store.db.prepare('SELECT count(*) FROM registry_writes').pluck().get() as number
  /** Runs a refused write and checks that neither the entries nor the write log changed. */
  async function refused (request: unknown): Promise<Answer<never>['error']> {
    const [entries, count] = [(await call<RegistryEntryInfo[]>('registry_list')).result, writes()]
    const { result, error } = await call<never>('registry_set', request)
    expect(result).toBeUndefined()
    expect((await call<RegistryEntryInfo[]>('registry_list')).result).toEqual(entries)
    expect(writes()).toBe(count)
    return error
  }

  beforeAll(async () => {
    running = await startTestNode()
    node = running.node
    url = `${running.base}/rpc`
    created = owner.sign({ registry_id: '0x01', registry_name: 'ERC-721 metadata', meta_contract_id: 'erc721' })
  })
  afterAll(async () => { await running.stop() })

  it('signs exactly the documented text, and identifies a write by its SHA-256', () => {
    const unsigned = unsignedOf(created)
    expect(registryMessage(unsigned)).toBe(signedText(unsigned))
    expect(signedText(unsigned).split('\n')[0]).toBe('Lineage registry v1')
  })

  it('lets anyone create an entry, whose signer becomes its owner, and the owner change it', async () => {
    const first = await call<RegistrySetResultInfo>('registry_set', created)
    const unsigned = unsignedOf(created)
    expect(first.result).toEqual({
      hash: createHash('sha256').update(signedText(unsigned)).digest('hex'),
      created: true,
      entry: { registry_id: '0x01', registry_name: 'ERC-721 metadata', meta_contract_id: 'erc721', public_key: owner.publicKey, updated_at: expect.any(Number) },
    })
    const changed = await call<RegistrySetResultInfo>('registry_set', owner.sign({ registry_id: '0x01', registry_name: 'Open writes', meta_contract_id: 'open' }))
    expect(changed.result).toMatchObject({ created: false, entry: { registry_id: '0x01', registry_name: 'Open writes', meta_contract_id: 'open', public_key: owner.publicKey } })
    expect((await call('registry_get', '0x01')).result).toEqual(changed.result?.entry)
    expect((await call('registry_list')).result).toEqual([changed.result?.entry])
    expect(writes()).toBe(2)
  })

  it('refuses a change signed by anyone but the owner, and changes nothing', async () => {
    const error = await refused(await stranger.sign({ registry_id: '0x01', registry_name: 'Hijacked', meta_contract_id: 'erc721' }))
    expect(error).toMatchObject({ code: RPC_ERROR_CODES.RegistryOwnerError, message: expect.stringContaining(`belongs to ${owner.publicKey}`), data: { name: 'RegistryOwnerError' } })
    expect((await call('registry_get', '0x01')).result).toMatchObject({ meta_contract_id: 'open', public_key: owner.publicKey })
  })

  it('refuses a replayed write, even re-signed with other fields under the same nonce', async () => {
    expect(await refused(created)).toMatchObject({ code: RPC_ERROR_CODES.ReplayedRegistryWriteError, data: { name: 'ReplayedRegistryWriteError' } })
    const sameNonce = owner.sign({ registry_id: '0x01', registry_name: 'Again', meta_contract_id: 'erc721', nonce: created.nonce })
    expect(await refused(sameNonce)).toMatchObject({ code: RPC_ERROR_CODES.ReplayedRegistryWriteError })
  })

  it('refuses a tampered write or signature, and a transaction signature offered as a registry write', async () => {
    const good = owner.sign({ registry_id: '0x01', registry_name: 'Good', meta_contract_id: 'erc721' })
    expect(await refused({ ...good, meta_contract_id: 'collab' })).toMatchObject({ code: RPC_ERROR_CODES.InvalidRegistrySignatureError, data: { name: 'InvalidRegistrySignatureError' } })
    const flipped = base58btc.baseDecode(good.signature)
    flipped[10] = (flipped[10] ?? 0) ^ 1
    expect(await refused({ ...good, signature: base58btc.baseEncode(flipped) })).toMatchObject({ code: RPC_ERROR_CODES.InvalidRegistrySignatureError })

    const write = { registry_id: '0x09', registry_name: 'x', meta_contract_id: 'open', public_key: stranger.publicKey, nonce: freshNonce() }
    // A transaction's signed text (docs/PROTOCOL.md, "Signed transactions") naming the same key, contract and nonce.
    const transaction = ['Lineage transaction v1', 'method: contract', 'chain_id: 1', 'token_address: 0x0000000000000000000000000000000000000001', 'token_id: ',
      'meta_contract_id: open', 'alias: ', 'version: ', `public_key: ${stranger.publicKey.toLowerCase()}`, `nonce: ${write.nonce}`].join('\n')
    const error = await refused({ ...write, signature: await stranger.wallet.signMessage(transaction) })
    expect(error).toMatchObject({ code: RPC_ERROR_CODES.InvalidRegistrySignatureError, message: expect.stringContaining('not by the public_key') })
    expect((await call('registry_get', '0x09')).result).toBeNull()
  })

  it('accepts a write signed by an EVM wallet with ethers (EIP-191), any letter case of the address', async () => {
    const request = await stranger.sign({ registry_id: '0x02', registry_name: 'Collaborators', meta_contract_id: 'collab' })
    expect(request.public_key).not.toBe(request.public_key.toLowerCase())
    const { result } = await call<RegistrySetResultInfo>('registry_set', request)
    expect(result).toMatchObject({ created: true, entry: { registry_id: '0x02', meta_contract_id: 'collab', public_key: stranger.publicKey.toLowerCase() } })
    const again = await stranger.sign({ registry_id: '0x02', registry_name: 'Collaborators (v2)', meta_contract_id: 'collab' })
    expect((await call<RegistrySetResultInfo>('registry_set', { ...again, public_key: again.public_key.toLowerCase() })).result).toMatchObject({ created: false })
    expect((await call<RegistryEntryInfo[]>('registry_list')).result?.map(e => e.registry_id)).toEqual(['0x01', '0x02'])
  })

  it('refuses unknown contracts and malformed fields, naming the field', async () => {
    expect(await refused(owner.sign({ registry_id: '0x03', registry_name: 'x', meta_contract_id: 'nowhere' }))).toMatchObject({ code: RPC_ERROR_CODES.UnknownMetaContractError })
    expect(await refused(owner.sign({ registry_id: 'has space', registry_name: 'x', meta_contract_id: 'open' }))).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'registry_id' } })
    expect(await refused(owner.sign({ registry_id: '0x03', registry_name: 'two\nlines', meta_contract_id: 'open' }))).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'registry_name' } })
    expect(await refused({ ...owner.sign({ registry_id: '0x03', registry_name: 'x', meta_contract_id: 'open' }), owner: 'me' })).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'owner' } })
    expect(await refused({ ...owner.sign({ registry_id: '0x03', registry_name: 'x', meta_contract_id: 'open' }), nonce: 'short' })).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'nonce' } })
    expect(await refused('0x03')).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams })
    expect((await call('registry_get', 'not an id')).error).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, data: { field: 'registry_id' } })
    expect((await call('registry_get', '0x03')).result).toBeNull()
  })
})
