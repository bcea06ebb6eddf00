/**
 * Properties of signed registry writes (issue 14 §7), against a real store:
 * - a valid write signed by ethers (EIP-191) or @noble ed25519 is applied once, and its hash is
 *   hex(sha256(text)) with the text built here from docs/PROTOCOL.md ("Registry writes: the exact bytes");
 * - the same write again, re-encoded as JSON or with another spelling of its signature (v as 0/1,
 *   upper-case hex), is refused as a replay and writes nothing;
 * - a field past its limit is refused naming that field, and a one-character change to a signed
 *   field or to the signature is refused naming the field or the failed check (or spells the same
 *   text, which makes it a replay): nothing is written either way.
 */
import { createHash } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { getAddress, Wallet } from 'ethers'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistry, MAX_REGISTRY_NAME_BYTES, REGISTRY_ID_PATTERN } from '../../../src-main/lineage/registry/index.js'
import type { Registry, RegistryWrite } from '../../../src-main/lineage/registry/index.js'
import { encodeBase58, FORBIDDEN_CHARACTER, MAX_META_CONTRACT_ID_BYTES, NONCE_PATTERN } from '../../../src-main/lineage/signing/index.js'
import { createStore } from '../../../src-main/store/index.js'
import type { Store } from '../../../src-main/store/index.js'
import { testLog } from '../../helpers/logger.js'
import { tempDir } from '../../helpers/temp-dir.js'

const SEED = Number(process.env.LINEAGE_FUZZ_SEED ?? 3303)
const RUNS = Number(process.env.LINEAGE_FUZZ_RUNS ?? 150)
const CONTRACTS = ['open', 'erc721']

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

/** The registry text of docs/PROTOCOL.md, written from the document alone. */
function readmeText (w: Omit<RegistryWrite, 'signature'>): string {
  const publicKey = w.public_key.startsWith('0x') ? w.public_key.toLowerCase() : w.public_key
  return ['Lineage registry v1', `registry_id: ${w.registry_id}`, `registry_name: ${w.registry_name}`, `meta_contract_id: ${w.meta_contract_id}`, `public_key: ${publicKey}`, `nonce: ${w.nonce}`].join('\n')
}
const sha256Hex = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex')

const visibleChar = fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('é', '中', '😀'))
  .filter(c => !FORBIDDEN_CHARACTER.test(c))
const name = fc.oneof(fc.string({ unit: visibleChar, maxLength: 40 }), fc.constant('é'.repeat(MAX_REGISTRY_NAME_BYTES / 2)), fc.constant('n'.repeat(MAX_REGISTRY_NAME_BYTES)))
  .filter(s => bytes(s) <= MAX_REGISTRY_NAME_BYTES)
const privateKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter(k => k.some(b => b !== 0) && k[0] !== 0xff)

const fields = fc.record({
  registry_id: fc.stringMatching(REGISTRY_ID_PATTERN),
  registry_name: name,
  meta_contract_id: fc.constantFrom(...CONTRACTS),
  nonce: fc.stringMatching(NONCE_PATTERN),
})
const scheme = fc.constantFrom('ethers', 'ethers (checksum key)', 'noble ed25519')

async function signWrite (f: Omit<RegistryWrite, 'signature' | 'public_key'>, how: string, key: Uint8Array): Promise<{ write: RegistryWrite, signer: string }> {
  if (how === 'noble ed25519') {
    const publicKey = encodeBase58(ed25519.getPublicKey(key))
    const write = { ...f, public_key: publicKey }
    return { write: { ...write, signature: encodeBase58(ed25519.sign(new TextEncoder().encode(readmeText(write)), key)) }, signer: publicKey }
  }
  const wallet = new Wallet(`0x${Buffer.from(key).toString('hex')}`)
  const write = { ...f, public_key: how === 'ethers' ? wallet.address.toLowerCase() : getAddress(wallet.address) }
  return { write: { ...write, signature: await wallet.signMessage(readmeText(write)) }, signer: wallet.address.toLowerCase() }
}

/** The spellings of one EVM signature that recover the same key: v as 27/28 or 0/1, hex in either case. */
function signatureSpellings (signature: string): string[] {
  if (!signature.startsWith('0x')) return []
  const v = signature.slice(-2)
  return [`0x${signature.slice(2).toUpperCase()}`, `${signature.slice(0, -2)}${v === '1b' ? '00' : v === '1c' ? '01' : v}`]
}

const MUTABLE = ['registry_id', 'registry_name', 'meta_contract_id', 'public_key', 'nonce', 'signature'] as const
const edit = fc.record({ kind: fc.constantFrom('replace', 'insert', 'delete'), at: fc.nat(), char: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.constantFrom('0', '1', 'a', 'A', 'é', '\u200b', '\n')) })
function applyEdit (text: string, { kind, at, char }: { kind: string, at: number, char: string }): string {
  const chars = [...text]
  const i = at % (chars.length + (kind === 'insert' ? 1 : 0) || 1)
  if (kind === 'insert') chars.splice(i, 0, char)
  else if (kind === 'delete') chars.splice(i, 1)
  else chars.splice(i, 1, char)
  return chars.join('')
}

const INVALID: Record<string, fc.Arbitrary<unknown>> = {
  registry_id: fc.constantFrom('', 'a'.repeat(65), 'a b', 'a/b', 'é', 'a\u0000', null, 7),
  registry_name: fc.constantFrom('n'.repeat(MAX_REGISTRY_NAME_BYTES + 1), 'é'.repeat(MAX_REGISTRY_NAME_BYTES / 2 + 1), 'a\nb', 'a\u202eb', 'a\u200bb', '\ud800', null, []),
  meta_contract_id: fc.constantFrom('', 'm'.repeat(MAX_META_CONTRACT_ID_BYTES + 1), 'open\n', 'open\u200b', null),
  public_key: fc.constantFrom('', '0x', `0x${'a'.repeat(39)}`, '0x2C7536E3605D9C16a7a3D7b1898e529396a65c23', '1111', `1${encodeBase58(new Uint8Array(32).fill(5))}`, 'l'.repeat(44), null),
  nonce: fc.constantFrom('a'.repeat(15), 'a'.repeat(129), `${'a'.repeat(16)}+`, `${'a'.repeat(16)}\n`, null),
  signature: fc.constantFrom('', 's'.repeat(257), null, 65),
}

describe('signed registry writes against a real store', () => {
  let store: Store
  let registry: Registry
  let cleanup: () => void
  const writes = (): number => store.db.prepare('SELECT count(*) FROM registry_writes').pluck().get() as number
  const refusal = (raw: unknown): { name: string, field?: string, message: string } | undefined => {
    try {
      registry.set(raw)
      return undefined
    } catch (err) {
      const e = err as Error & { field?: string }
      return { name: e.name, ...(e.field === undefined ? {} : { field: e.field }), message: e.message }
    }
  }
  beforeAll(() => {
    const t = tempDir()
    cleanup = t.cleanup
    store = createStore({ log: testLog }, { dataDir: t.dir })
    store.start()
    registry = createRegistry({ store, hasContract: id => CONTRACTS.includes(id), log: testLog })
  })
  afterAll(() => {
    store.stop()
    cleanup()
  })

  it('applies a valid write once, with hash = hex(sha256(the documented text)); replays, however spelt, write nothing', async () => {
    await fc.assert(fc.asyncProperty(fields, scheme, privateKey, fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), async (f, how, key, order) => {
      fc.pre(registry.get(f.registry_id) === undefined)
      const { write, signer } = await signWrite(f, how, key)
      const result = registry.set(JSON.parse(JSON.stringify(write)))
      expect(result).toMatchObject({ hash: sha256Hex(readmeText(write)), created: true, entry: { registry_id: f.registry_id, public_key: signer } })
      const count = writes()
      const reordered = Object.fromEntries(Object.entries(write).map((e, i) => ({ e, rank: order[i] ?? 0 })).sort((a, b) => a.rank - b.rank).map(({ e }) => e))
      const escaped = JSON.parse(JSON.stringify(write).replace(/[a-z]/g, c => `\\u00${c.charCodeAt(0).toString(16)}`)) as unknown
      for (const replay of [write, reordered, escaped, ...signatureSpellings(write.signature).map(signature => ({ ...write, signature }))]) {
        expect(refusal(replay)).toMatchObject({ name: 'ReplayedRegistryWriteError' })
      }
      expect(writes()).toBe(count)
    }), { seed: SEED, numRuns: RUNS })
  })

  it('refuses a field past its limit, naming it, and writes nothing', async () => {
    const mutation = fc.constantFrom(...Object.keys(INVALID)).chain(field => (INVALID[field] as fc.Arbitrary<unknown>).map(value => ({ field, value })))
    await fc.assert(fc.asyncProperty(fields, scheme, privateKey, mutation, async (f, how, key, { field, value }) => {
      const { write } = await signWrite(f, how, key)
      const count = writes()
      expect(refusal({ ...write, [field]: value }), `${field} = ${String(value)}`).toMatchObject({ name: 'InvalidRegistryRequestError', field })
      expect(refusal({ ...write, unknown: 1 })).toMatchObject({ name: 'InvalidRegistryRequestError', field: 'unknown' })
      expect(writes()).toBe(count)
    }), { seed: SEED, numRuns: RUNS })
  })

  it('refuses a one-character change of a signed field or of the signature, naming the field or the check', async () => {
    await fc.assert(fc.asyncProperty(fields, scheme, privateKey, fc.constantFrom(...MUTABLE), edit, async (f, how, key, field, change) => {
      fc.pre(registry.get(f.registry_id) === undefined)
      const { write } = await signWrite(f, how, key)
      const after = applyEdit(write[field], change)
      fc.pre(after !== write[field])
      const count = writes()
      const refused = refusal({ ...write, [field]: after })
      // Accepted only if it names the same text (an address's letter case), and then it was a new write: that must not be.
      if (refused === undefined) {
        expect(readmeText({ ...write, [field]: after }), `${field} → ${after} was applied`).toBe(readmeText(write))
        return
      }
      expect(['InvalidRegistryRequestError', 'InvalidRegistrySignatureError'], refused.message).toContain(refused.name)
      if (refused.name === 'InvalidRegistryRequestError') expect(refused.field, refused.message).toBe(field)
      expect(writes()).toBe(count)
    }), { seed: SEED, numRuns: RUNS * 2 })
  })
})
