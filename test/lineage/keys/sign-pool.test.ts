import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { describe, expect, it } from 'vitest'
import { createSigner } from '../../../src-main/lineage/keys/index.js'
import { createSignPool } from '../../../src-main/lineage/keys/sign-pool.js'
import { recoverPersonalSigner, signPersonalMessage, signTransaction } from '../../../src-main/lineage/signing/index.js'
import { EVM_ADDRESS, EVM_PRIVATE_KEY, EVM_REQUEST, EVM_SIGNATURE } from '../signing/vectors.js'

const messages = Array.from({ length: 150 }, (_, i) => utf8ToBytes(`item ${i}: {"name":"Doodle #${i}"}`))
const hex = (b: Uint8Array): string => `0x${bytesToHex(b)}`

describe('secp256k1 signing threads', () => {
  it('make the same bytes as signing on this thread, for a batch shared among workers', async () => {
    const secret = hexToBytes(EVM_PRIVATE_KEY.slice(2))
    let here = 0
    const pool = createSignPool(secret, m => { here += 1; return signPersonalMessage(m, secret) }, { workers: 2 })
    try {
      const signatures = await Promise.all(messages.map(async m => await pool.sign(m)))
      // RFC 6979 nonces: one key and one message give one signature, wherever it is made.
      expect(signatures.map(hex)).toEqual(messages.map(m => hex(signPersonalMessage(m, secret))))
      expect(recoverPersonalSigner(messages[7] ?? new Uint8Array(), hex(signatures[7] ?? new Uint8Array()))).toBe(EVM_ADDRESS.toLowerCase())
      // Every one came back from a worker: none fell back to this thread.
      expect(here).toBe(0)
    } finally {
      pool.close()
    }
  })

  it('sign on this thread once closed, so a late request is still answered', async () => {
    const secret = hexToBytes(EVM_PRIVATE_KEY.slice(2))
    let here = 0
    const pool = createSignPool(secret, m => { here += 1; return signPersonalMessage(m, secret) }, { workers: 1 })
    const first = await pool.sign(messages[0] ?? new Uint8Array())
    pool.close()
    const late = await pool.sign(messages[1] ?? new Uint8Array())
    expect([hex(first), hex(late)]).toEqual([hex(signPersonalMessage(messages[0] ?? new Uint8Array(), secret)), hex(signPersonalMessage(messages[1] ?? new Uint8Array(), secret))])
    expect(here).toBe(1)
  })

  it('back an EVM signer\'s signAsync, which gives the pinned signature and refuses once locked', async () => {
    const signer = createSigner('evm', 'secp256k1', hexToBytes(EVM_PRIVATE_KEY.slice(2)))
    const sync = signTransaction(EVM_REQUEST, signer)
    expect(sync).toBe(EVM_SIGNATURE)
    const message = utf8ToBytes('a message')
    const [a, b] = await Promise.all([signer.signAsync?.(message), signer.signAsync?.(message)])
    expect(hex(a ?? new Uint8Array())).toBe(hex(signer.sign(message)))
    expect(hex(b ?? new Uint8Array())).toBe(hex(signer.sign(message)))
    signer.lock()
    await expect(signer.signAsync?.(message)).rejects.toMatchObject({ name: 'KeyLockedError' })
  })
})
