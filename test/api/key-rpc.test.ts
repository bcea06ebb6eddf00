import { encryptKeystoreJsonSync, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { postRpc } from '../helpers/rpc.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked by the assertions
interface Reply { result?: any, error?: { code: number, message: string, data?: { field?: string, name?: string } } }

const COLLECTION = { chain_id: '1', token_address: '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D' }
const README_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'
const README_ADDRESS = '0x2c7536e3605d9c16a7a3d7b1898e529396a65c23'
const PASSPHRASE = 'correct horse battery'

describe('key methods, sign_and_publish, validate_metadata and recent_logs on a real node', () => {
  let running: TestNode
  let token: string
  let id = 0
  beforeAll(async () => {
    running = await startTestNode({ offline: true })
    token = readApiToken(running.node.config.dataDir) ?? ''
  })
  afterAll(async () => { await running.stop() })

  async function call (method: string, params: unknown = [], withToken = true): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) }
    const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), headers)
    return json as Reply
  }

  async function receipt (hash: string): Promise<{ status: string, reason: string, heads: string[] }> {
    await running.node.lineage.settled()
    return (await call('get_transaction_receipt', [hash])).result
  }

  it('refuses every key method without the API token', async () => {
    for (const [method, params] of [['keys_list', []], ['keys_export_keystore', ['a']], ['keys_delete', ['a']], ['keys_new', ['a', 'ed25519', PASSPHRASE]], ['keys_export_public', ['a']], ['sign_and_publish', ['a', PASSPHRASE, {}]], ['recent_logs', []]] as const) {
      expect((await call(method, params, false)).error?.code, method).toBe(-32004)
    }
  })

  it('creates, lists and exports keys; never returns private material', async () => {
    const created = await call('keys_new', { name: 'studio', type: 'ed25519', passphrase: PASSPHRASE })
    expect(created.result).toEqual({ name: 'studio', type: 'ed25519', public_key: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{43,44}$/), created_at: expect.any(String) })
    expect((await call('keys_list')).result).toEqual([created.result])
    expect((await call('keys_export_public', ['studio'])).result).toEqual(created.result)
    expect(JSON.stringify(await call('keys_list'))).not.toMatch(/ciphertext|private/)
  })

  it('imports a hex private key and a wallet keystore JSON', async () => {
    const hex = await call('keys_import', ['readme', 'secp256k1', README_KEY, PASSPHRASE])
    expect(hex.result).toMatchObject({ name: 'readme', type: 'secp256k1', public_key: README_ADDRESS })
    const wallet = Wallet.createRandom()
    const json = encryptKeystoreJsonSync({ address: wallet.address, privateKey: wallet.privateKey }, 'wallet pass 123', { scrypt: { N: 1024 } })
    const fromWallet = await call('keys_import', ['wallet', 'secp256k1', json, 'wallet pass 123'])
    expect(fromWallet.result).toMatchObject({ name: 'wallet', public_key: wallet.address.toLowerCase() })
  })

  it('backs a key up as its encrypted keystore file, deletes it, and takes the backup back', async () => {
    const created = await call('keys_new', ['backup-me', 'secp256k1', PASSPHRASE])
    const backup = await call('keys_export_keystore', ['backup-me'])
    expect(backup.result).toMatchObject({ ...created.result, file_name: 'backup-me.json' })
    const keystore = JSON.parse(backup.result.keystore as string) as { crypto?: { ciphertext?: string }, address?: string }
    // Still encrypted: a v3 keystore with its ciphertext, the address in clear, no private key.
    expect(keystore.crypto?.ciphertext).toMatch(/^[0-9a-f]{64}$/)
    expect(`0x${keystore.address}`).toBe(created.result.public_key)
    expect(backup.result.keystore).not.toMatch(/private/i)
    expect((await call('keys_delete', ['backup-me'])).result).toEqual(created.result)
    expect((await call('keys_list')).result.map((k: { name: string }) => k.name)).not.toContain('backup-me')
    expect((await call('keys_delete', ['backup-me'])).error).toMatchObject({ code: -32047 })
    expect((await call('keys_export_keystore', ['backup-me'])).error).toMatchObject({ code: -32047 })
    // The backup with its passphrase is the same key again, under any name.
    const back = await call('keys_import', ['restored', 'secp256k1', backup.result.keystore, PASSPHRASE])
    expect(back.result).toMatchObject({ name: 'restored', type: 'secp256k1', public_key: created.result.public_key })
    expect((await call('keys_delete', ['../studio'])).error).toMatchObject({ code: -32602, data: { field: 'name' } })
    expect((await call('keys_list')).result.map((k: { name: string }) => k.name)).toContain('studio')
    await call('keys_delete', ['restored'])
  })

  it('names the field that is wrong, in words, and says when a name is taken', async () => {
    expect((await call('keys_new', ['studio', 'ed25519', PASSPHRASE])).error).toMatchObject({ code: -32049, message: expect.stringContaining('already exists') })
    expect((await call('keys_new', ['Bad Name!', 'ed25519', PASSPHRASE])).error).toMatchObject({ code: -32602, data: { field: 'name' } })
    expect((await call('keys_new', ['short', 'ed25519', 'abc'])).error).toMatchObject({ code: -32602, data: { field: 'passphrase' } })
    expect((await call('keys_new', ['t', 'rsa', PASSPHRASE])).error).toMatchObject({ code: -32602, data: { field: 'type' } })
    expect((await call('keys_import', ['bad', 'secp256k1', 'not a key', PASSPHRASE])).error).toMatchObject({ code: -32602, data: { field: 'private_key' } })
    expect((await call('keys_export_public', ['nobody'])).error).toMatchObject({ code: -32047 })
  })

  it('signs and publishes with a node key: binding, then metadata the contract applies or rejects', async () => {
    const bind = await call('sign_and_publish', ['studio', PASSPHRASE, { method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'erc721' }])
    expect(bind.result).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), public_key: expect.any(String) })
    expect((await receipt(bind.result.hash)).status).toBe('applied')

    const good = await call('sign_and_publish', { key: 'studio', passphrase: PASSPHRASE, request: { method: 'metadata', ...COLLECTION, token_id: '7', meta_contract_id: 'erc721', data: JSON.stringify({ name: 'Seven' }) } })
    const applied = await receipt(good.result.hash)
    expect(applied.status).toBe('applied')
    const stored = await call('get_transaction', [good.result.hash])
    expect(stored.result).toMatchObject({ public_key: bind.result.public_key, version: 'v1', alias: '' })

    const bad = await call('sign_and_publish', ['studio', PASSPHRASE, { method: 'metadata', ...COLLECTION, token_id: '8', meta_contract_id: 'erc721', data: JSON.stringify({ name: 'Eight', background_color: '#fff' }) }])
    expect(await receipt(bad.result.hash)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('background_color') })
  })

  it('refuses a wrong passphrase and a request the engine rejects, publishing nothing', async () => {
    const before = (await call('node_info')).result.stats.transactions
    expect((await call('sign_and_publish', ['studio', 'wrong passphrase', { method: 'metadata', ...COLLECTION, token_id: '9', meta_contract_id: 'erc721', data: '{}' }])).error).toMatchObject({ code: -32048 })
    expect((await call('sign_and_publish', ['studio', PASSPHRASE, { method: 'metadata', ...COLLECTION, token_id: 'x', meta_contract_id: 'erc721', data: '{}' }])).error).toMatchObject({ code: -32602, data: { field: 'token_id' } })
    expect((await call('sign_and_publish', ['studio', PASSPHRASE, { method: 'metadata', ...COLLECTION, token_id: '9', meta_contract_id: 'open', data: '{}' }])).error).toMatchObject({ code: -32014 })
    expect((await call('node_info')).result.stats.transactions).toBe(before)
  })

  it('validate_metadata answers with the contract\'s own reason and writes nothing', async () => {
    const before = (await call('node_info')).result.stats
    const candidate = { ...COLLECTION, token_id: '7', data: JSON.stringify({ name: 'Seven', attributes: [{ trait_type: 'Fur', value: 'Gold' }] }) }
    // Each call runs a contract: only a holder of the token may make the node spend that time.
    expect((await call('validate_metadata', [candidate], false)).error).toMatchObject({ code: -32004 })
    const ok = await call('validate_metadata', [candidate])
    expect(ok.result).toMatchObject({ ok: true, reason: '', meta_contract_id: 'erc721', writes: [{ alias: '', version: 'v1', loose: 0 }] })
    const bad = await call('validate_metadata', [{ ...COLLECTION, token_id: '7', data: JSON.stringify({ name: 'Seven', attributes: [{ trait_type: 'Level', value: 'high', display_type: 'number' }] }) }])
    expect(bad.result).toMatchObject({ ok: false, reason: 'invalid ERC-721 metadata: attributes[0].value: must be a number when display_type is "number"' })
    const notJson = await call('validate_metadata', [{ ...COLLECTION, token_id: '7', data: '{"name": ' }])
    expect(notJson.result).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') })
    const stranger = await call('validate_metadata', [{ ...COLLECTION, token_id: '7', data: '{"name":"x"}', public_key: README_ADDRESS }])
    expect(stranger.result).toMatchObject({ ok: false, reason: expect.stringContaining('only the collection\'s binder') })
    expect((await call('validate_metadata', [{ chain_id: '5', token_address: COLLECTION.token_address, token_id: '1', data: '{}' }])).error).toMatchObject({ code: -32013 })
    expect((await call('validate_metadata', [{ ...COLLECTION, token_id: '-1', data: '{}' }])).error).toMatchObject({ code: -32602 })
    expect((await call('node_info')).result.stats).toEqual(before)
  })

  it('recent_logs returns the node\'s own lines, newer than a seq', async () => {
    const lines = (await call('recent_logs')).result as Array<{ seq: number, component: string, message: string, level: string }>
    expect(lines.some(l => l.component === 'lineage:keys' && l.message.includes('created ed25519 key studio'))).toBe(true)
    expect(lines.every(l => l.component.startsWith('lineage'))).toBe(true)
    const last = lines.at(-1)?.seq ?? 0
    expect((await call('recent_logs', [{ after: last }])).result).toEqual([])
    expect((await call('recent_logs', [{ limit: 2 }])).result).toHaveLength(2)
  })
})
