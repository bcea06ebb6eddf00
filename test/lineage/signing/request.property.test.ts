/**
 * Properties of the signed-transaction parser and verifier (issue 14 §7), on requests generated
 * around the limits of docs/PROTOCOL.md ("Signed transactions: the exact bytes"):
 * - a valid request, signed by ed25519 (our signer, and @noble) or secp256k1 (ethers, and our
 *   signer), is accepted, and its hash is hex(sha256(text)) with the text built here from the
 *   docs/PROTOCOL.md, independently of the product's code;
 * - one field past its limit (or missing, or of another type) is refused, naming that field;
 * - a one-character change to any signed field or to the signature is refused, naming the field
 *   or the failed check, or it spells the same signed text (an address's letter case) and so has
 *   the same hash: a replay, never a new transaction;
 * - re-encoding the JSON (key order, whitespace, \u escapes, number spellings, a duplicate key)
 *   never changes the hash or the signer.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { Wallet, getAddress } from 'ethers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CHAIN_ID_PATTERN, checkSignedTransaction, decodeBase58, ed25519PublicKey, encodeBase58, encodeSignature, FORBIDDEN_CHARACTER, MAX_ALIAS_BYTES, MAX_DATA_BYTES, MAX_MCDATA_BYTES,
  MAX_META_CONTRACT_ID_BYTES, MAX_SIGNATURE_LENGTH, MAX_TIMESTAMP_MS, MAX_TOKEN_ID, MAX_VERSION_BYTES, MIN_TIMESTAMP_MS, NONCE_PATTERN, addressFromPrivateKey, signEd25519, signPersonalMessage, signingBytes, signingMessage,
} from '../../../src-main/lineage/signing/index.js'
import type { TransactionRequest, UnsignedTransactionRequest } from '../../../src-main/lineage/signing/index.js'
import { readmeTransactionText, sha256Hex } from '../../helpers/signed-text.js'

const SEED = Number(process.env.LINEAGE_FUZZ_SEED ?? 2101)
const RUNS = Number(process.env.LINEAGE_FUZZ_RUNS ?? 200)

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')
const readmeText = readmeTransactionText

// ---- Generators of valid fields, with the limits themselves well represented. -------------------

/** One character that may appear in a signed text field: anything but control, format, separators and surrogates. */
const visibleChar = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('é', 'ß', '中', '😀', 'Ω', ' ', ':', '\\', '"', '{', '\u00a0'),
).filter(c => !FORBIDDEN_CHARACTER.test(c))

/** Text of at most `maxBytes` UTF-8 bytes, often exactly at the limit, sometimes with multi-byte characters across it. */
function textUpTo (maxBytes: number, minBytes = 0): fc.Arbitrary<string> {
  const fill = (s: string): string => {
    let out = s
    while (bytes(out) > maxBytes) out = [...out].slice(0, -1).join('')
    return out + 'a'.repeat(maxBytes - bytes(out))
  }
  return fc.oneof(
    fc.string({ unit: visibleChar, maxLength: 40 }),
    fc.string({ unit: visibleChar, maxLength: maxBytes }).map(fill),
    fc.constant('é'.repeat(Math.floor(maxBytes / 2))),
  ).filter(s => bytes(s) <= maxBytes && bytes(s) >= minBytes)
}

/** data and mcdata: any text (newlines and control characters included) up to 64 KiB, sometimes exactly 64 KiB. */
function payload (maxBytes: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).filter(s => !/\p{Cs}/u.test(s)) },
    { weight: 1, arbitrary: fc.constantFrom('', '\n', '\u0000', '{"name":"x"}\r\n', '\u2028\u202e') },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('a', 'é', '中', '😀')).map(([head, unit]) => {
      const room = maxBytes - bytes(head)
      return head + unit.repeat(Math.floor(room / bytes(unit))) + 'a'.repeat(room % bytes(unit))
    }) },
  )
}

const address = fc.tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.constantFrom('lower', 'upper', 'checksum')).map(([raw, spelling]) => {
  const lower = `0x${Buffer.from(raw).toString('hex')}`
  return spelling === 'lower' ? lower : spelling === 'upper' ? `0x${lower.slice(2).toUpperCase()}` : getAddress(lower)
})

const tokenId = fc.oneof(fc.constant('0'), fc.constant(MAX_TOKEN_ID.toString()), fc.bigInt({ min: 0n, max: MAX_TOKEN_ID }).map(String), fc.nat().map(String))
const nonce = fc.oneof(fc.stringMatching(NONCE_PATTERN), fc.constantFrom(16, 128).chain(n => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF_-zZ'), minLength: n, maxLength: n })))
const timestamp = fc.oneof(fc.integer({ min: MIN_TIMESTAMP_MS, max: MAX_TIMESTAMP_MS }), fc.constantFrom(MIN_TIMESTAMP_MS, MAX_TIMESTAMP_MS, 1764000000000))

/** Every field but public_key, valid and around the limits. */
const fields = fc.record({
  method: fc.constantFrom('metadata', 'clone', 'contract') as fc.Arbitrary<UnsignedTransactionRequest['method']>,
  chain_id: fc.oneof(fc.stringMatching(CHAIN_ID_PATTERN), fc.constantFrom('1', '99999999999999999999')),
  token_address: address,
  token_id: tokenId,
  meta_contract_id: textUpTo(MAX_META_CONTRACT_ID_BYTES, 1),
  alias: textUpTo(MAX_ALIAS_BYTES),
  version: textUpTo(MAX_VERSION_BYTES),
  nonce,
  timestamp,
  data: payload(MAX_DATA_BYTES),
  mcdata: payload(MAX_MCDATA_BYTES),
}).chain(f => f.method === 'contract' ? fc.constantFrom(f, { ...f, token_id: '' }) : fc.constant(f))

type Scheme = 'ed25519 (ours)' | 'ed25519 (noble)' | 'secp256k1 (ethers)' | 'secp256k1 (ours)'
/** A private key that every library accepts (secp256k1 needs 0 < key < n; a random 32 bytes is that). */
const privateKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter(k => k.some(b => b !== 0) && k[0] !== 0xff)

interface Signed { request: TransactionRequest, scheme: Scheme, signer: string }

/** Signs with one of four signers: two of ours, and two independent libraries. */
async function sign (unsigned: Omit<UnsignedTransactionRequest, 'public_key'>, scheme: Scheme, key: Uint8Array, evmSpelling: 'lower' | 'checksum'): Promise<Signed> {
  if (scheme.startsWith('ed25519')) {
    const publicKey = scheme === 'ed25519 (ours)' ? ed25519PublicKey(key) : encodeBase58(ed25519.getPublicKey(key))
    const request = { ...unsigned, public_key: publicKey }
    const message = new TextEncoder().encode(readmeText(request))
    const signature = scheme === 'ed25519 (ours)' ? encodeSignature('ed25519', signEd25519(signingBytes(request), key)) : encodeBase58(ed25519.sign(message, key))
    return { request: { ...request, signature }, scheme, signer: publicKey }
  }
  const lower = addressFromPrivateKey(key)
  const request = { ...unsigned, public_key: evmSpelling === 'lower' ? lower : getAddress(lower) }
  const signature = scheme === 'secp256k1 (ethers)'
    ? await new Wallet(`0x${Buffer.from(key).toString('hex')}`).signMessage(readmeText(request))
    : encodeSignature('secp256k1', signPersonalMessage(signingBytes(request), key))
  return { request: { ...request, signature }, scheme, signer: lower }
}

const signed = fc.tuple(fields, fc.constantFrom<Scheme>('ed25519 (ours)', 'ed25519 (noble)', 'secp256k1 (ethers)', 'secp256k1 (ours)'), privateKey, fc.constantFrom<'lower' | 'checksum'>('lower', 'checksum'))

/** What a refusal looks like: the error's name, and the field it names (transaction errors only). */
function refusal (run: () => unknown): { name: string, field?: string, message: string } | undefined {
  try {
    run()
    return undefined
  } catch (err) {
    const e = err as Error & { field?: string }
    return { name: e.name, ...(e.field === undefined ? {} : { field: e.field }), message: e.message }
  }
}

describe('signed transactions: valid requests around the limits', () => {
  it('are accepted, from every signer, with hash = hex(sha256(the documented text))', async () => {
    await fc.assert(fc.asyncProperty(signed, async ([unsigned, scheme, key, spelling]) => {
      const { request, signer } = await sign(unsigned, scheme, key, spelling)
      const text = readmeText(request)
      expect(signingMessage(request)).toBe(text)
      const checked = checkSignedTransaction(JSON.parse(JSON.stringify(request)))
      expect(checked.hash).toBe(sha256Hex(text))
      expect(checked.signer).toBe(signer)
      expect(checked.scheme).toBe(scheme.startsWith('ed25519') ? 'ed25519' : 'eip191')
    }), { seed: SEED, numRuns: RUNS })
  })
})

/** The other valid-looking encoding of a signature: high s (n - s, v flipped) for EVM, s + L for ed25519. */
function malleableTwin (signature: string): string {
  if (signature.startsWith('0x')) {
    const bytes = Buffer.from(signature.slice(2), 'hex')
    const s = BigInt(`0x${bytes.subarray(32, 64).toString('hex')}`)
    const highS = (secp256k1.Point.CURVE().n - s).toString(16).padStart(64, '0')
    return `0x${bytes.subarray(0, 32).toString('hex')}${highS}${bytes[64] === 27 ? '1c' : '1b'}`
  }
  const bytes = ed25519Bytes(signature)
  let s = 0n
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(bytes[i] ?? 0)
  let t = s + ed25519.Point.CURVE().n
  const twin = Uint8Array.from(bytes)
  for (let i = 32; i < 64; i++) { twin[i] = Number(t & 0xffn); t >>= 8n }
  return encodeBase58(twin)
}
const ed25519Bytes = (base58: string): Uint8Array => decodeBase58(base58) ?? new Uint8Array(64)

describe('signed transactions: the malleable twin of a valid signature', () => {
  it('is refused (high s for EVM, s + L for ed25519), so one signed text has one valid signature', async () => {
    await fc.assert(fc.asyncProperty(signed, async ([unsigned, scheme, key, spelling]) => {
      const { request } = await sign(unsigned, scheme, key, spelling)
      const refused = refusal(() => checkSignedTransaction({ ...request, signature: malleableTwin(request.signature) }))
      expect(refused?.name).toBe('InvalidSignatureError')
      if (scheme.startsWith('secp256k1')) expect(refused?.message).toContain('upper half of the group order')
    }), { seed: SEED, numRuns: RUNS })
  })
})

// ---- Values just past a limit, or of another kind, field by field. ------------------------------

const forbidden = fc.constantFrom('\u0000', '\n', '\r', '\t', '\u007f', '\u0085', '\u200b', '\u200d', '\u202e', '\u2066', '\ufeff', '\u00ad', '\u2028', '\u2029', '\ud800', '\udfff')
const withForbidden = (valid: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(valid, forbidden, fc.nat()).map(([s, bad, at]) => { const chars = [...s]; chars.splice(at % (chars.length + 1), 0, bad); return chars.join('') })
const tooLong = (maxBytes: number): fc.Arbitrary<string> => fc.oneof(
  fc.integer({ min: maxBytes + 1, max: maxBytes + 64 }).map(n => 'a'.repeat(n)),
  // Within the limit in characters, past it in bytes.
  fc.constant('é'.repeat(Math.floor(maxBytes / 2) + 1)),
  fc.constant(`${'a'.repeat(maxBytes - 1)}é`),
)
const notAString = fc.constantFrom<unknown>(null, 0, 1, true, [], {}, ['x'])

const INVALID: Record<string, fc.Arbitrary<unknown>> = {
  method: fc.oneof(fc.constantFrom('Metadata', 'metadata ', ' metadata', 'cron', '', 'contracts', 'metadata\u200b', 'clone\n'), notAString),
  chain_id: fc.oneof(fc.constantFrom('0', '01', '-1', '+1', '1.0', ' 1', '1 ', '1e3', '0x1', '١', '1\n', ''), fc.constant('1'.repeat(21)), notAString),
  token_address: fc.oneof(
    fc.constantFrom(`0X${'a'.repeat(40)}`, `0x${'a'.repeat(39)}`, `0x${'a'.repeat(41)}`, `0x${'g'.repeat(40)}`, `${'a'.repeat(42)}`, '', `0x${'a'.repeat(40)}\n`),
    // Mixed case that is not the EIP-55 checksum: one letter of a checksummed address with its case flipped.
    address.map(a => getAddress(a.toLowerCase())).filter(a => /[a-fA-F]/.test(a.slice(2))).chain(a => {
      const letters = [...a].flatMap((c, i) => i > 1 && /[a-fA-F]/.test(c) ? [i] : [])
      return fc.constantFrom(...letters).map(i => a.slice(0, i) + (a[i] === a[i]?.toUpperCase() ? a[i]?.toLowerCase() : a[i]?.toUpperCase()) + a.slice(i + 1))
    }).filter(a => a.slice(2) !== a.slice(2).toLowerCase() && a.slice(2) !== a.slice(2).toUpperCase()),
    notAString,
  ),
  token_id: fc.oneof(fc.constantFrom((MAX_TOKEN_ID + 1n).toString(), '01', '00', '-1', '+1', ' 1', '1.0', '1e3', '0x1', '١'), fc.constant('9'.repeat(79)), notAString),
  meta_contract_id: fc.oneof(fc.constant(''), tooLong(MAX_META_CONTRACT_ID_BYTES), withForbidden(fc.constant('erc721')), notAString),
  alias: fc.oneof(tooLong(MAX_ALIAS_BYTES), withForbidden(textUpTo(20)), notAString),
  version: fc.oneof(tooLong(MAX_VERSION_BYTES), withForbidden(textUpTo(20)), notAString),
  nonce: fc.oneof(
    fc.constantFrom('a'.repeat(15), 'a'.repeat(129), `${'a'.repeat(16)}+`, `${'a'.repeat(16)}/`, `${'a'.repeat(16)}=`, `${'a'.repeat(16)}.`, `${'a'.repeat(16)} `, `${'a'.repeat(16)}é`, ''),
    withForbidden(fc.constant('a'.repeat(20))), notAString,
  ),
  timestamp: fc.constantFrom<unknown>(MIN_TIMESTAMP_MS - 1, MAX_TIMESTAMP_MS + 1, 0, -1, 1764000000000.5, '1764000000000', null, Number.POSITIVE_INFINITY, Number.NaN, true, [1764000000000], Number.MAX_SAFE_INTEGER + 2),
  data: fc.oneof(fc.constant('a'.repeat(MAX_DATA_BYTES + 1)), fc.constant(`${'a'.repeat(MAX_DATA_BYTES - 1)}é`), fc.constantFrom('\ud800', 'x\udc00y'), notAString),
  mcdata: fc.oneof(fc.constant('a'.repeat(MAX_MCDATA_BYTES + 1)), fc.constantFrom('\udbff', 'a\ud800'), notAString),
  signature: fc.oneof(fc.constant(''), fc.constant('1'.repeat(MAX_SIGNATURE_LENGTH + 1)), notAString),
}

describe('signed transactions: a field past its limit', () => {
  it('is refused, and the error names that field', async () => {
    const field = fc.constantFrom(...Object.keys(INVALID))
    const mutation = fc.oneof(
      { weight: 8, arbitrary: field.chain(f => (INVALID[f] as fc.Arbitrary<unknown>).map(value => ({ field: f, value, remove: false }))) },
      { weight: 1, arbitrary: field.map(f => ({ field: f, value: undefined, remove: true })) },
    )
    await fc.assert(fc.asyncProperty(signed, mutation, async ([unsigned, scheme, key, spelling], { field: name, value, remove }) => {
      const { request } = await sign(unsigned, scheme, key, spelling)
      const changed: Record<string, unknown> = { ...request }
      if (remove) delete changed[name]
      else changed[name] = value
      // A contract binding may leave token_id empty: "" is no mistake there.
      fc.pre(!(name === 'token_id' && changed.method === 'contract' && value === ''))
      const refused = refusal(() => checkSignedTransaction(changed))
      expect(refused, `${name} = ${String(value).slice(0, 40)}`).toMatchObject({ name: 'InvalidTransactionError', field: name })
      expect(refused?.message).toContain(name)
    }), { seed: SEED, numRuns: RUNS })
  })

  it('refuses public keys that are not a 0x address or the canonical base58 of 32 bytes', () => {
    const ed = ed25519PublicKey(new Uint8Array(32).fill(7))
    for (const publicKey of ['', '0x', `1${ed}`, `${ed}1`, ed.replace(/[^1]/, '0'), `${ed.slice(0, -1)}l`, 'x'.repeat(45), encodeBase58(new Uint8Array(31).fill(3)), encodeBase58(new Uint8Array(33).fill(3)), `0x${'A'.repeat(20)}${'a'.repeat(20)}`, `${ed}\u200b`]) {
      const refused = refusal(() => checkSignedTransaction({ method: 'metadata', chain_id: '1', token_address: `0x${'1'.repeat(40)}`, token_id: '1', meta_contract_id: 'open', alias: '', version: '', public_key: publicKey, nonce: 'n'.repeat(16), timestamp: MIN_TIMESTAMP_MS, data: '', mcdata: '', signature: 'x' }))
      expect(refused, publicKey).toMatchObject({ name: 'InvalidTransactionError', field: 'public_key' })
    }
  })
})

// ---- One character changed in a signed field or in the signature. -------------------------------

const MUTABLE = ['method', 'chain_id', 'token_address', 'token_id', 'meta_contract_id', 'alias', 'version', 'public_key', 'nonce', 'timestamp', 'data', 'mcdata', 'signature'] as const
const replacement = fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.constantFrom('0', '1', 'a', 'A', 'f', 'F', 'x', 'é', '\u200b', '\n', ' '))

/** A one-character edit of a text: replace, insert or delete at an index. */
const edit = fc.record({ kind: fc.constantFrom('replace', 'insert', 'delete'), at: fc.nat(), char: replacement })
function applyEdit (text: string, { kind, at, char }: { kind: string, at: number, char: string }): string {
  const chars = [...text]
  const i = at % (chars.length + (kind === 'insert' ? 1 : 0) || 1)
  if (kind === 'insert') chars.splice(i, 0, char)
  else if (kind === 'delete') chars.splice(i, 1)
  else chars.splice(i, 1, char)
  return chars.join('')
}

describe('signed transactions: one character changed', () => {
  it('is refused naming the field or the failed check, or spells the same signed text (same hash: a replay)', async () => {
    await fc.assert(fc.asyncProperty(signed, fc.constantFrom(...MUTABLE), edit, async ([unsigned, scheme, key, spelling], field, change) => {
      const { request } = await sign(unsigned, scheme, key, spelling)
      const original = checkSignedTransaction(request).hash
      const before = field === 'timestamp' ? String(request.timestamp) : request[field]
      const after = applyEdit(before, change)
      fc.pre(after !== before)
      const mutated = { ...request, [field]: field === 'timestamp' && /^-?\d+$/.test(after) ? Number(after) : after }
      fc.pre(field !== 'timestamp' || mutated.timestamp !== request.timestamp)
      let accepted: string | undefined
      const refused = refusal(() => { accepted = checkSignedTransaction(mutated).hash })
      if (refused === undefined) {
        expect(accepted, `${field}: ${JSON.stringify(before).slice(0, 60)} → ${JSON.stringify(after).slice(0, 60)} was accepted as a new transaction`).toBe(original)
        return
      }
      expect(['InvalidTransactionError', 'InvalidSignatureError'], refused.message).toContain(refused.name)
      if (refused.name === 'InvalidTransactionError') expect(refused.field, refused.message).toBe(field)
      else expect(refused.message).toMatch(/^The transaction signature is not valid: .+/)
    }), { seed: SEED, numRuns: RUNS * 2 })
  })
})

// ---- The same request, written differently. -----------------------------------------------------

/** JSON text of a request with its keys in any order, any whitespace, \u escapes, other number spellings and a duplicate key. */
const reencoding = fc.record({
  order: fc.array(fc.nat(), { minLength: 14, maxLength: 14 }),
  space: fc.constantFrom('', ' ', '\n', '\t', '\r\n ', '  \t'),
  escapeEvery: fc.integer({ min: 0, max: 4 }),
  slash: fc.boolean(),
  number: fc.constantFrom('plain', 'fraction', 'exponent', 'upper-exponent'),
  duplicate: fc.option(fc.constantFrom(...MUTABLE), { nil: undefined }),
})

type Reencoding = typeof reencoding extends fc.Arbitrary<infer T> ? T : never

function reencode (request: TransactionRequest, how: Reencoding): string {
  const s = how.space
  const str = (value: string): string => {
    let out = ''
    let i = 0
    for (const unit of value) {
      const escape = how.escapeEvery > 0 && i++ % how.escapeEvery === 0
      if (escape) {
        for (let k = 0; k < unit.length; k++) out += `\\u${unit.charCodeAt(k).toString(16).padStart(4, '0')}`
      } else {
        out += unit === '/' && how.slash ? '\\/' : JSON.stringify(unit).slice(1, -1)
      }
    }
    return `"${out}"`
  }
  const num = (n: number): string => how.number === 'fraction' ? `${n}.000` : how.number === 'exponent' ? `${n / 1000}e3` : how.number === 'upper-exponent' ? `${n / 100}E+2` : String(n)
  const entries = Object.entries(request).map(([k, v], i) => ({ k, v, rank: how.order[i] ?? 0 })).sort((a, b) => a.rank - b.rank)
  const parts = entries.map(({ k, v }) => `${str(k)}${s}:${s}${typeof v === 'number' ? num(v) : str(v as string)}`)
  // A duplicate key first, with another value: JSON.parse keeps the last one.
  if (how.duplicate !== undefined) parts.unshift(`${str(how.duplicate)}:${how.duplicate === 'timestamp' ? '1' : '"x"'}`)
  return `{${s}${parts.join(`,${s}`)}${s}}`
}

describe('signed transactions: re-encoded JSON', () => {
  it('keeps the hash and the signer', async () => {
    await fc.assert(fc.asyncProperty(signed, reencoding, async ([unsigned, scheme, key, spelling], how) => {
      const { request, signer } = await sign(unsigned, scheme, key, spelling)
      const original = checkSignedTransaction(request)
      const text = reencode(request, how)
      const parsed = JSON.parse(text) as unknown
      expect(parsed).toEqual(request)
      const again = checkSignedTransaction(parsed)
      expect(again.hash).toBe(original.hash)
      expect(again.signer).toBe(signer)
    }), { seed: SEED, numRuns: RUNS })
  })

})
