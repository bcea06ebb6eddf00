import fs from 'node:fs'
import path from 'node:path'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { Wallet, encryptKeystoreJsonSync, verifyMessage } from 'ethers'
import { afterEach, describe, expect, it } from 'vitest'
import { KEYSTORE_DIR, SCRYPT_N, createKeystore } from '../../../src-main/lineage/keys/index.js'
import type { Keystore } from '../../../src-main/lineage/keys/index.js'
import { encodeBase58, signTransaction, signingMessage, verifyTransactionSignature } from '../../../src-main/lineage/signing/index.js'
import { ED25519_PUBLIC_KEY, ED25519_REQUEST, ED25519_SEED_HEX, EVM_ADDRESS, EVM_PRIVATE_KEY, EVM_REQUEST, EVM_SIGNATURE } from '../signing/vectors.js'
import { testLog } from '../../helpers/logger.js'
import { tempDir } from '../../helpers/temp-dir.js'

const PASS = 'correct horse battery'
/** Small scrypt cost so the suite runs in seconds; one test covers the production default. */
const TEST_N = 1024

describe('keystore', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })
  const open = (init: { scryptN?: number } = { scryptN: TEST_N }): { keystore: Keystore, dataDir: string } => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    return { keystore: createKeystore({ log: testLog }, { dataDir: t.dir, ...init }), dataDir: t.dir }
  }
  const fileOf = (keystore: Keystore, name: string): string => path.join(keystore.dir, `${name}.json`)

  it('creates both key types as 0600 files in a 0700 folder and lists them without private material', async () => {
    const { keystore, dataDir } = open()
    const evm = await keystore.create('studio', 'secp256k1', PASS)
    const ed = await keystore.create('studio-ed', 'ed25519', PASS)
    expect(keystore.dir).toBe(path.join(dataDir, KEYSTORE_DIR))
    expect(evm).toEqual({ name: 'studio', type: 'secp256k1', publicKey: expect.stringMatching(/^0x[0-9a-f]{40}$/), createdAt: expect.any(String) })
    expect(ed).toEqual({ name: 'studio-ed', type: 'ed25519', publicKey: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{43,44}$/), createdAt: expect.any(String) })
    expect(Date.parse(evm.createdAt)).toBeGreaterThan(Date.now() - 60_000)
    expect(fs.statSync(keystore.dir).mode & 0o777).toBe(0o700)
    expect(fs.readdirSync(keystore.dir).sort()).toEqual(['studio-ed.json', 'studio.json'])
    for (const name of ['studio', 'studio-ed']) expect(fs.statSync(fileOf(keystore, name)).mode & 0o777).toBe(0o600)
    expect(keystore.list()).toEqual([evm, ed].sort((a, b) => a.name.localeCompare(b.name)))
    expect(keystore.exportPublic('studio')).toEqual(evm)
    expect(Object.keys(keystore.exportPublic('studio-ed')).sort()).toEqual(['createdAt', 'name', 'publicKey', 'type'])
  })

  it('writes Web3 Secret Storage v3 with the key type in x-lineage, and never the key in plain text', async () => {
    const { keystore } = open()
    await keystore.import('evm', 'secp256k1', EVM_PRIVATE_KEY, PASS)
    await keystore.import('ed', 'ed25519', `0x${ED25519_SEED_HEX}`, PASS)
    const evm = JSON.parse(fs.readFileSync(fileOf(keystore, 'evm'), 'utf8'))
    expect(evm).toEqual({
      version: 3,
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      address: EVM_ADDRESS.slice(2).toLowerCase(),
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: expect.stringMatching(/^[0-9a-f]{32}$/) },
        ciphertext: expect.stringMatching(/^[0-9a-f]{64}$/),
        kdf: 'scrypt',
        kdfparams: { dklen: 32, n: TEST_N, p: 1, r: 8, salt: expect.stringMatching(/^[0-9a-f]{64}$/) },
        mac: expect.stringMatching(/^[0-9a-f]{64}$/)
      },
      'x-lineage': { type: 'secp256k1', publicKey: EVM_ADDRESS.toLowerCase(), createdAt: expect.any(String) }
    })
    const ed = JSON.parse(fs.readFileSync(fileOf(keystore, 'ed'), 'utf8'))
    expect(ed.address).toBeUndefined()
    expect(ed['x-lineage']).toEqual({ type: 'ed25519', publicKey: ED25519_PUBLIC_KEY, createdAt: expect.any(String) })
    for (const [file, secret] of [['evm', EVM_PRIVATE_KEY.slice(2)], ['ed', ED25519_SEED_HEX]] as const) {
      const text = fs.readFileSync(fileOf(keystore, file), 'utf8')
      const bytes = Buffer.from(secret, 'hex')
      for (const form of [secret, secret.toUpperCase(), bytes.toString('base64'), encodeBase58(bytes)]) expect(text).not.toContain(form)
    }
    const listed = JSON.stringify(keystore.list())
    expect(listed).not.toContain(EVM_PRIVATE_KEY.slice(2))
    expect(listed).not.toContain(ED25519_SEED_HEX)
  })

  it('ethers opens our EVM keystore file and finds the same key and address', async () => {
    const { keystore } = open()
    const info = await keystore.import('studio', 'secp256k1', EVM_PRIVATE_KEY, PASS)
    const wallet = await Wallet.fromEncryptedJson(fs.readFileSync(fileOf(keystore, 'studio'), 'utf8'), PASS)
    expect(wallet.address).toBe(EVM_ADDRESS)
    expect(wallet.privateKey).toBe(EVM_PRIVATE_KEY)
    expect(info.publicKey).toBe(EVM_ADDRESS.toLowerCase())
    const created = await keystore.create('fresh', 'secp256k1', PASS)
    expect((await Wallet.fromEncryptedJson(fs.readFileSync(fileOf(keystore, 'fresh'), 'utf8'), PASS)).address.toLowerCase()).toBe(created.publicKey)
  })

  it('imports a keystore ethers wrote (default scrypt cost) and signs with it', async () => {
    const { keystore } = open()
    const wallet = Wallet.createRandom()
    const json = await wallet.encrypt(PASS)
    const info = await keystore.import('from-ethers', 'secp256k1', json, PASS)
    expect(info.publicKey).toBe(wallet.address.toLowerCase())
    const signer = await keystore.unlock('from-ethers', PASS)
    const request = { ...EVM_REQUEST, public_key: wallet.address }
    const signature = signTransaction(request, signer)
    signer.lock()
    expect(signature).toBe(await wallet.signMessage(signingMessage(request)))
    expect(verifyMessage(signingMessage(request), signature)).toBe(wallet.address)
  })

  it('imports the Web3 Secret Storage spec\'s pbkdf2 test vector', async () => {
    const { keystore } = open()
    const vector = {
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
        ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
        kdf: 'pbkdf2',
        kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
        mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2'
      },
      id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
      version: 3
    }
    const info = await keystore.import('spec', 'secp256k1', JSON.stringify(vector), 'testpassword')
    expect(info.publicKey).toBe(new Wallet('0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d').address.toLowerCase())
  })

  it('unlocks an EVM key into a signer that produces the pinned signature, and an ed25519 one', async () => {
    const { keystore } = open()
    await keystore.import('evm', 'secp256k1', EVM_PRIVATE_KEY, PASS)
    await keystore.import('ed', 'ed25519', hexToBytes(ED25519_SEED_HEX), PASS)
    const evm = await keystore.unlock('evm', PASS)
    expect(evm).toMatchObject({ name: 'evm', type: 'secp256k1', publicKey: EVM_ADDRESS.toLowerCase(), locked: false })
    expect(signTransaction(EVM_REQUEST, evm)).toBe(EVM_SIGNATURE)
    evm.lock()
    expect(evm.locked).toBe(true)
    const ed = await keystore.unlock('ed', PASS)
    const signature = signTransaction(ED25519_REQUEST, ed)
    expect(verifyTransactionSignature({ ...ED25519_REQUEST, signature })).toEqual({ signer: ED25519_PUBLIC_KEY, scheme: 'ed25519' })
    ed.lock()
  })

  it('moves an ed25519 key between nodes as its keystore file, refusing it as another type', async () => {
    const { keystore } = open()
    await keystore.import('ed', 'ed25519', ED25519_SEED_HEX, PASS)
    const json = fs.readFileSync(fileOf(keystore, 'ed'), 'utf8')
    const { keystore: other } = open()
    expect((await other.import('ed-copy', 'ed25519', json, PASS)).publicKey).toBe(ED25519_PUBLIC_KEY)
    await expect(other.import('ed-evm', 'secp256k1', json, PASS)).rejects.toMatchObject({
      name: 'InvalidPrivateKeyError', message: 'Cannot import the key: the keystore holds a ed25519 key, not secp256k1.'
    })
  })

  it('refuses a wrong passphrase with WrongPassphraseError, for unlock and for import', async () => {
    const { keystore } = open()
    await keystore.create('studio', 'ed25519', PASS)
    await expect(keystore.unlock('studio', 'not the passphrase')).rejects.toMatchObject({ name: 'WrongPassphraseError', message: 'Wrong passphrase for the key "studio".' })
    const json = encryptKeystoreJsonSync({ address: EVM_ADDRESS, privateKey: EVM_PRIVATE_KEY }, PASS, { scrypt: { N: TEST_N } })
    await expect(keystore.import('wallet', 'secp256k1', json, 'wrong passphrase')).rejects.toMatchObject({ name: 'WrongPassphraseError', message: 'Wrong passphrase for the key "wallet".' })
    expect(fs.existsSync(fileOf(keystore, 'wallet'))).toBe(false)
  })

  it('refuses names that could escape the folder or are not portable, before touching the disk', async () => {
    const { keystore, dataDir } = open()
    const names = ['../x', '..', 'a/b', 'a\\b', '.hidden', 'x.json', 'Upper', '', '-lead', 'a'.repeat(65), 'con', 'nul', 'a\u0000b', '/etc/passwd']
    for (const name of names) {
      const error = { name: 'InvalidKeyNameError', message: expect.stringContaining(`"${name.slice(0, 80)}" is not a valid key name`) }
      await expect(keystore.create(name, 'ed25519', PASS), name).rejects.toMatchObject(error)
      await expect(keystore.import(name, 'secp256k1', EVM_PRIVATE_KEY, PASS), name).rejects.toMatchObject(error)
      await expect(keystore.unlock(name, PASS), name).rejects.toMatchObject(error)
      expect(() => keystore.exportPublic(name), name).toThrow(expect.objectContaining(error))
    }
    expect(fs.readdirSync(dataDir)).toEqual([])
    expect((await keystore.create('a'.repeat(64), 'ed25519', PASS)).name).toBe('a'.repeat(64))
  })

  it('never overwrites: a second key of the same name is KeyExistsError', async () => {
    const { keystore } = open()
    await keystore.import('studio', 'secp256k1', EVM_PRIVATE_KEY, PASS)
    const before = fs.readFileSync(fileOf(keystore, 'studio'), 'utf8')
    await expect(keystore.create('studio', 'secp256k1', PASS)).rejects.toMatchObject({
      name: 'KeyExistsError', message: 'A key named "studio" already exists. Choose another name; existing keys are never overwritten.'
    })
    await expect(keystore.import('studio', 'ed25519', ED25519_SEED_HEX, PASS)).rejects.toMatchObject({ name: 'KeyExistsError' })
    expect(fs.readFileSync(fileOf(keystore, 'studio'), 'utf8')).toBe(before)
  })

  it('of two concurrent creates of one name, exactly one succeeds; no temporary file is left', async () => {
    const { keystore } = open()
    const results = await Promise.allSettled([
      keystore.create('race', 'secp256k1', PASS), keystore.create('race', 'ed25519', PASS), keystore.import('race', 'secp256k1', EVM_PRIVATE_KEY, PASS)
    ])
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(rejected.map(r => (r.reason as Error).name)).toEqual(['KeyExistsError', 'KeyExistsError'])
    expect(fs.readdirSync(keystore.dir)).toEqual(['race.json'])
    const winner = (results.find(r => r.status === 'fulfilled') as PromiseFulfilledResult<{ publicKey: string }>).value
    expect(keystore.exportPublic('race').publicKey).toBe(winner.publicKey)
  })

  it('reports a damaged key file as KeyFileError and leaves it out of the list', async () => {
    const { keystore } = open()
    await keystore.create('good', 'ed25519', PASS)
    fs.writeFileSync(fileOf(keystore, 'broken'), '{"version":3,', { mode: 0o600 })
    const notKeystore = fileOf(keystore, 'other')
    fs.writeFileSync(notKeystore, '{"version":3,"crypto":{"cipher":"aes-256-gcm"}}', { mode: 0o600 })
    expect(keystore.list().map(k => k.name)).toEqual(['good'])
    expect(() => keystore.exportPublic('broken')).toThrow(expect.objectContaining({
      name: 'KeyFileError', message: `The key file ${fileOf(keystore, 'broken')} cannot be used (not valid JSON). Restore it from a backup, or move it away.`
    }))
    await expect(keystore.unlock('other', PASS)).rejects.toMatchObject({
      name: 'KeyFileError', message: `The key file ${notKeystore} cannot be used (Not a usable Web3 Secret Storage v3 keystore: the cipher is not aes-128-ctr, the only one supported.). Restore it from a backup, or move it away.`
    })
  })

  it('refuses to unlock a file whose recorded public key was edited to show another key', async () => {
    const { keystore } = open()
    await keystore.import('studio', 'ed25519', ED25519_SEED_HEX, PASS)
    const file = fileOf(keystore, 'studio')
    const json = JSON.parse(fs.readFileSync(file, 'utf8'))
    const forged = encodeBase58(new Uint8Array(32).fill(5))
    json['x-lineage'].publicKey = forged
    fs.writeFileSync(file, JSON.stringify(json))
    expect(keystore.exportPublic('studio').publicKey).toBe(forged)
    await expect(keystore.unlock('studio', PASS)).rejects.toMatchObject({
      name: 'KeyFileError', message: expect.stringContaining(`its recorded public key ${forged} is not the key it holds (${ED25519_PUBLIC_KEY})`)
    })
  })

  it('refuses a tampered ciphertext as a wrong passphrase (the MAC covers it)', async () => {
    const { keystore } = open()
    await keystore.import('studio', 'secp256k1', EVM_PRIVATE_KEY, PASS)
    const file = fileOf(keystore, 'studio')
    const json = JSON.parse(fs.readFileSync(file, 'utf8'))
    json.crypto.ciphertext = `${json.crypto.ciphertext.slice(0, -2)}${json.crypto.ciphertext.endsWith('00') ? '01' : '00'}`
    fs.writeFileSync(file, JSON.stringify(json))
    await expect(keystore.unlock('studio', PASS)).rejects.toMatchObject({ name: 'WrongPassphraseError' })
  })

  it('refuses unknown names, short passphrases, unknown types and bad key material', async () => {
    const { keystore } = open()
    expect(keystore.list()).toEqual([])
    expect(() => keystore.exportPublic('nobody')).toThrow(expect.objectContaining({ name: 'KeyNotFoundError', message: 'There is no key named "nobody".' }))
    await expect(keystore.unlock('nobody', PASS)).rejects.toMatchObject({ name: 'KeyNotFoundError' })
    await expect(keystore.create('short', 'ed25519', 'seven77')).rejects.toMatchObject({ name: 'WeakPassphraseError', message: 'A key passphrase must be at least 8 characters long.' })
    await expect(keystore.create('rsa', 'rsa' as 'ed25519', PASS)).rejects.toMatchObject({
      name: 'InvalidKeyTypeError', message: '"rsa" is not a key type: use "ed25519" or "secp256k1" (an EVM wallet key).'
    })
    const bad: Array<[string | Uint8Array, string]> = [
      ['0x1234', 'expected 32 bytes as 64 hex digits (0x optional), or a keystore JSON text.'],
      [`0x${'00'.repeat(32)}`, 'the bytes are not a valid secp256k1 private key (zero, or not below the curve order).'],
      [`0x${'ff'.repeat(32)}`, 'the bytes are not a valid secp256k1 private key (zero, or not below the curve order).'],
      [new Uint8Array(31), 'a secp256k1 private key is 32 bytes; this one is 31.'],
      ['{"version":3', 'the text starts like JSON but is not valid JSON.'],
      ['{"version":1}', 'Not a usable Web3 Secret Storage v3 keystore: version is not 3.']
    ]
    for (const [material, detail] of bad) {
      await expect(keystore.import('bad', 'secp256k1', material, PASS)).rejects.toMatchObject({ name: 'InvalidPrivateKeyError', message: `Cannot import the key: ${detail}` })
    }
    const other = JSON.parse(encryptKeystoreJsonSync({ address: EVM_ADDRESS, privateKey: EVM_PRIVATE_KEY }, PASS, { scrypt: { N: TEST_N } }))
    other.address = '60e4d786628fea6478f785a6d7e704777c86a7c6'
    await expect(keystore.import('bad', 'secp256k1', JSON.stringify(other), PASS)).rejects.toMatchObject({
      name: 'InvalidPrivateKeyError', message: 'Cannot import the key: the keystore\'s address 0x60e4d786628fea6478f785a6d7e704777c86a7c6 is not the address of the key it holds.'
    })
    expect(fs.existsSync(fileOf(keystore, 'bad'))).toBe(false)
  })

  it('refuses a keystore whose scrypt cost would exhaust memory, without running it', async () => {
    const { keystore } = open()
    const json = JSON.parse(encryptKeystoreJsonSync({ address: EVM_ADDRESS, privateKey: EVM_PRIVATE_KEY }, PASS, { scrypt: { N: TEST_N } }))
    // ethers spells the section "Crypto", as old geth did.
    json.Crypto.kdfparams.n = 2 ** 22
    await expect(keystore.import('huge', 'secp256k1', JSON.stringify(json), PASS)).rejects.toMatchObject({
      name: 'InvalidPrivateKeyError', message: 'Cannot import the key: Not a usable Web3 Secret Storage v3 keystore: its scrypt parameters (n 4194304, r 8, p 1) exceed the limit of 256 MiB and p 16.'
    })
  })

  it('tightens a keystore folder others can read', async () => {
    const { keystore } = open()
    fs.mkdirSync(keystore.dir, { mode: 0o755 })
    fs.chmodSync(keystore.dir, 0o755)
    await keystore.create('studio', 'ed25519', PASS)
    expect(fs.statSync(keystore.dir).mode & 0o777).toBe(0o700)
  })

  it('lists a wallet keystore copied into the folder by hand as an EVM key', async () => {
    const { keystore } = open()
    fs.mkdirSync(keystore.dir, { mode: 0o700 })
    const json = encryptKeystoreJsonSync({ address: EVM_ADDRESS, privateKey: EVM_PRIVATE_KEY }, PASS, { scrypt: { N: TEST_N } })
    fs.writeFileSync(fileOf(keystore, 'metamask'), json, { mode: 0o600 })
    expect(keystore.list()).toEqual([{ name: 'metamask', type: 'secp256k1', publicKey: EVM_ADDRESS.toLowerCase(), createdAt: expect.any(String) }])
    const signer = await keystore.unlock('metamask', PASS)
    expect(signTransaction(EVM_REQUEST, signer)).toBe(EVM_SIGNATURE)
    signer.lock()
  })

  it('uses the production scrypt cost (N = 2^17, r = 8, p = 1) by default', async () => {
    const { keystore } = open({})
    await keystore.import('studio', 'secp256k1', EVM_PRIVATE_KEY, PASS)
    const json = JSON.parse(fs.readFileSync(fileOf(keystore, 'studio'), 'utf8'))
    expect(json.crypto.kdfparams).toMatchObject({ n: SCRYPT_N, r: 8, p: 1, dklen: 32 })
    expect(SCRYPT_N).toBe(131072)
    expect(bytesToHex(hexToBytes((await Wallet.fromEncryptedJson(JSON.stringify(json), PASS)).privateKey.slice(2)))).toBe(EVM_PRIVATE_KEY.slice(2))
  })

  it('refuses a scrypt cost that is not a power of two or too small', () => {
    for (const scryptN of [1000, 8, 0]) {
      expect(() => open({ scryptN }), String(scryptN)).toThrow(`scryptN must be a power of two of at least 16; got ${scryptN}.`)
    }
  })
})
