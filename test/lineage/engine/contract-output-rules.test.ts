// The rules of contract-output.ts one by one, by error name: each answer is what a contract could
// return over the Marine interface (contract-output.test.ts proves them with a real contract).
import { describe, expect, it } from 'vitest'
import { MAX_CONTRACT_REASON_CHARS, MAX_CONTRACT_WRITES, MAX_WRITE_ALIAS_BYTES, MAX_WRITE_CONTENT_BYTES, MAX_WRITE_VERSION_BYTES } from '../../../src-main/lineage/engine/constants.js'
import { checkContractOutput, readContractOutput } from '../../../src-main/lineage/engine/contract-output.js'

const SIGNER = '0x71c7656ec7ab88b098defb751b7401b5f6d8976f'
const tx = { public_key: SIGNER }
const write = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ public_key: SIGNER, alias: '', content: '{"name":"a"}', loose: 1, version: 'v1', ...overrides })
const answer = (...metadatas: unknown[]): unknown => ({ result: true, metadatas, error_string: '' })
const refusal = (value: unknown): string | undefined => {
  const output = readContractOutput(value, tx)
  return output.ok ? undefined : output.error
}

describe('checkContractOutput', () => {
  it('passes what the built-in contracts answer, with contents parsed', () => {
    expect(checkContractOutput(answer(write(), write({ alias: '_collab', version: `1|${SIGNER}=art`, loose: 0 })), tx)).toEqual({
      ok: true,
      writes: [{ write: write(), content: { name: 'a' } }, { write: write({ alias: '_collab', version: `1|${SIGNER}=art`, loose: 0 }), content: { name: 'a' } }],
    })
    // Any spelling of the signer's address is the signer; the write is kept in the one form.
    const upper = checkContractOutput(answer(write({ public_key: `0x${SIGNER.slice(2).toUpperCase()}` })), tx)
    expect(upper.ok && upper.writes[0]?.write.public_key).toBe(SIGNER)
    expect(checkContractOutput(answer(), tx)).toEqual({ ok: true, writes: [] })
  })

  it('names each broken rule', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'ContractResultError'],
      [{ result: true, metadatas: 'x', error_string: '' }, 'ContractResultError'],
      [answer({ ...write(), loose: 'x' }), 'ContractResultError'],
      [answer(write({ loose: 2 })), 'ContractResultError'],
      [answer(...Array.from({ length: MAX_CONTRACT_WRITES + 1 }, () => write())), 'TooManyWritesError'],
      [answer(write({ public_key: '7Gc8sEo8VKzMH1B1wbm4Y9m7kC8Xm6YdHAhNYHFhHzDn' })), 'UnattributedWriteError'],
      [answer(write({ public_key: '' })), 'UnattributedWriteError'],
      [answer(write({ content: JSON.stringify('x'.repeat(MAX_WRITE_CONTENT_BYTES - 1)) })), 'SlotContentTooLargeError'],
      // Bytes, not characters: 2-byte characters reach the limit at half the length.
      [answer(write({ content: JSON.stringify('é'.repeat(MAX_WRITE_CONTENT_BYTES / 2)) })), 'SlotContentTooLargeError'],
      [answer(write({ content: '{' })), 'SlotContentError'],
      [answer(write({ content: '[1e999]' })), 'SlotContentError'],
      [answer(write({ content: `${'['.repeat(100)}${']'.repeat(100)}` })), 'SlotContentError'],
      [answer(write({ alias: 'é'.repeat(MAX_WRITE_ALIAS_BYTES / 2 + 1) })), 'SlotNameError'],
      [answer(write({ alias: 'a/b' })), 'SlotNameError'],
      [answer(write({ alias: '\u0085' })), 'SlotNameError'],
      [answer(write({ alias: '\ud800' })), 'SlotNameError'],
      [answer(write({ version: 'v'.repeat(MAX_WRITE_VERSION_BYTES + 1) })), 'SlotNameError'],
      [answer(write({ version: 'v\\1' })), 'SlotNameError'],
      [answer(write({ version: '\u2066v1' })), 'SlotNameError'],
    ]
    for (const [value, name] of cases) {
      expect(refusal(value), JSON.stringify(value).slice(0, 120)).toBe(name)
      expect(() => checkContractOutput(value, tx)).toThrow(expect.objectContaining({ name }))
    }
  })

  it('takes each limit exactly', () => {
    const atLimits = answer(...Array.from({ length: MAX_CONTRACT_WRITES }, (_, i) => write({
      alias: `${i}`.padEnd(MAX_WRITE_ALIAS_BYTES, 'a'),
      version: 'v'.repeat(MAX_WRITE_VERSION_BYTES),
      content: JSON.stringify('x'.repeat(MAX_WRITE_CONTENT_BYTES - 2)),
    })))
    const output = checkContractOutput(atLimits, tx)
    expect(output.ok && output.writes.length).toBe(MAX_CONTRACT_WRITES)
    expect(checkContractOutput(answer(write({ content: `${'['.repeat(64)}${']'.repeat(64)}` })), tx).ok).toBe(true)
  })

  it('keeps a contract\'s own refusal, bounded and on one line', () => {
    expect(readContractOutput({ result: false, metadatas: [], error_string: 'data needs "text"' }, tx)).toEqual({ ok: false, reason: 'data needs "text"' })
    expect(readContractOutput({ result: false, metadatas: [], error_string: '' }, tx)).toEqual({ ok: false, reason: 'the meta contract rejected it without a reason' })
    const long = readContractOutput({ result: false, metadatas: [], error_string: `a\r\n\u202e${'b'.repeat(5000)}` }, tx)
    expect(long.ok).toBe(false)
    if (long.ok) return
    expect(long.reason.startsWith('a\\u{d}\\u{a}\\u{202e}bbb')).toBe(true)
    expect(long.reason.endsWith('b…')).toBe(true)
    // Cut to the limit and "…", then \r, \n and U+202E written out: 4, 4 and 7 characters longer.
    expect(long.reason.length).toBe(MAX_CONTRACT_REASON_CHARS + 1 + 4 + 4 + 7)
  })
})
