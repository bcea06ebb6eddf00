/**
 * Signed transactions through `publish` on a real node, over HTTP (issue 14 §7):
 * - a fresh signed request, sent as any re-encoding of its JSON, is accepted once, under the hash
 *   hex(sha256(text)) with the text built from docs/PROTOCOL.md;
 * - sent again in any form (another re-encoding, v as 0/1, upper-case signature hex, another
 *   letter case of its addresses, twice in one publish_batch), it is refused as a replay (-32011)
 *   and nothing on the node changes;
 * - a body with any one byte changed is refused without changing anything, or, when it still
 *   spells the same signed text (the request id, a hex letter's case), is that same transaction.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { TransactionRequest } from '../../src-main/lineage/signing/index.js'
import { nodeState } from '../helpers/node-state.js'
import { documentedErrorCodes } from '../helpers/rpc-errors.js'
import { readmeTransactionText, sha256Hex } from '../helpers/signed-text.js'
import { ed25519Signer, evmSigner } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

const SEED = Number(process.env.LINEAGE_FUZZ_SEED ?? 4404)
const RUNS = Number(process.env.LINEAGE_FUZZ_RUNS ?? 60)
const COLLECTION = { chain_id: '10', token_address: '0x60e4d786628fea6478f785a6d7e704777c86a7c6' }
const BINDER_KEY = `0x${'42'.repeat(32)}`

interface Reply { result?: unknown, error?: { code: number, message: string } }

/** The same JSON value in other words: key order, whitespace, \u escapes, number spelling. */
const spelling = fc.record({ order: fc.array(fc.nat(), { minLength: 13, maxLength: 13 }), space: fc.constantFrom('', ' ', '\n\t'), escape: fc.boolean(), fraction: fc.boolean() })
function spell (request: TransactionRequest, how: { order: number[], space: string, escape: boolean, fraction: boolean }): string {
  const str = (v: string): string => how.escape ? `"${[...v].map(c => /^[a-z0-9]$/i.test(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(c).slice(1, -1)).join('')}"` : JSON.stringify(v)
  const entries = Object.entries(request).map(([k, v], i) => ({ k, v, rank: how.order[i] ?? 0 })).sort((a, b) => a.rank - b.rank)
  return `{${entries.map(({ k, v }) => `${str(k)}:${how.space}${typeof v === 'number' ? (how.fraction ? `${v}.0` : String(v)) : str(v as string)}`).join(`,${how.space}`)}}`
}

/** Spellings of one signed request that name the same signed text: address case, v as 0/1, signature hex case. */
function sameIntent (request: TransactionRequest): TransactionRequest[] {
  const variants: TransactionRequest[] = [{ ...request, token_address: request.token_address.toUpperCase().replace('0X', '0x') }]
  if (request.public_key.startsWith('0x')) {
    const v = request.signature.slice(-2)
    variants.push(
      { ...request, public_key: request.public_key.toLowerCase() },
      { ...request, signature: `0x${request.signature.slice(2).toUpperCase()}` },
      { ...request, signature: `${request.signature.slice(0, -2)}${v === '1b' ? '00' : '01'}` },
    )
  }
  return variants
}

const write = fc.record({
  token_id: fc.oneof(fc.nat().map(String), fc.constant('0')),
  alias: fc.string({ maxLength: 10 }).filter(s => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(s)),
  data: fc.string({ maxLength: 60 }),
  evm: fc.boolean(),
})

describe('publish on a real node: accepted once, replays refused however spelt', () => {
  let running: TestNode
  let url: string
  const documented = documentedErrorCodes()
  const evm = evmSigner(`0x${'17'.repeat(32)}`)
  const ed = ed25519Signer()
  const post = async (body: string | Uint8Array): Promise<Reply> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(response.status).toBe(200)
    return await response.json() as Reply
  }
  const publishText = (request: string): string => `{"jsonrpc":"2.0","id":1,"method":"publish","params":[${request}]}`
  const settled = async (): Promise<void> => {
    await running.node.lineage.settled()
    await running.node.api.gatewaySettled()
  }
  const sign = async (signer: TestSigner, w: { token_id: string, alias: string, data: string }): Promise<TransactionRequest> =>
    await signer.sign({ method: 'metadata', ...COLLECTION, token_id: w.token_id, meta_contract_id: 'open', alias: w.alias, version: 'v1', data: w.data, mcdata: '' })

  beforeAll(async () => {
    running = await startTestNode({ offline: true })
    url = `${running.base}/rpc`
    const binding = await evmSigner(BINDER_KEY).sign({ method: 'contract', ...COLLECTION, token_id: '', meta_contract_id: 'open', alias: '', version: 'v1', data: '{}', mcdata: '' })
    expect(await post(publishText(JSON.stringify(binding)))).toMatchObject({ result: { hash: sha256Hex(readmeTransactionText(binding)) } })
    await settled()
  })
  afterAll(async () => { await running.stop() })

  it('accepts a fresh request in any spelling under the documented hash, then refuses every replay and changes nothing', { timeout: 600_000 }, async () => {
    await fc.assert(fc.asyncProperty(write, spelling, fc.array(spelling, { minLength: 1, maxLength: 3 }), async (w, first, again) => {
      const request = await sign(w.evm ? evm : ed, w)
      const hash = sha256Hex(readmeTransactionText(request))
      expect(await post(publishText(spell(request, first)))).toEqual({ jsonrpc: '2.0', id: 1, result: { hash } })
      await settled()
      const before = await nodeState(running.node)
      const replays = [...again.map(how => spell(request, how)), ...sameIntent(request).map(r => JSON.stringify(r))]
      for (const replay of replays) {
        expect(await post(publishText(replay)), replay.slice(0, 200)).toMatchObject({ error: { code: RPC_ERROR_CODES.ReplayedTransactionError, message: expect.stringContaining(hash) } })
      }
      const batch = await post(`{"jsonrpc":"2.0","id":2,"method":"publish_batch","params":[[${replays[0] ?? ''},${JSON.stringify(request)}]]}`)
      expect(batch).toMatchObject({ result: [{ error: { code: RPC_ERROR_CODES.ReplayedTransactionError } }, { error: { code: RPC_ERROR_CODES.ReplayedTransactionError } }] })
      await settled()
      expect(await nodeState(running.node)).toEqual(before)
    }), { seed: SEED, numRuns: RUNS })
  })

  it('never accepts a body with one byte changed as a new transaction, and a refusal changes nothing', { timeout: 600_000 }, async () => {
    const request = await sign(evm, { token_id: '1', alias: 'mutations', data: '{"name":"One"}' })
    const hash = sha256Hex(readmeTransactionText(request))
    const original = new TextEncoder().encode(publishText(JSON.stringify(request)))
    // Not published first: a mutated body that still verified under another hash would be stored as a new transaction.
    await fc.assert(fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
      const body = Uint8Array.from(original)
      const i = at % body.length
      body[i] = (body[i] ?? 0) ^ xor
      await settled()
      const before = await nodeState(running.node)
      const hashes = (): string[] => running.node.store.db.prepare('SELECT hash FROM transactions').pluck().all() as string[]
      const known = new Set(hashes())
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      if (response.status === 204) {
        // "id" spelt otherwise makes a notification: run, unanswered. Only this very transaction may have been stored.
        await settled()
        expect(hashes().filter(h => !known.has(h)).every(h => h === hash), `byte ${i} ^ ${xor}`).toBe(true)
        return
      }
      expect(response.status).toBe(200)
      const reply = await response.json() as Reply
      const context = `byte ${i} ^ ${xor}: …${new TextDecoder().decode(body.subarray(Math.max(0, i - 20), i + 20))}… → ${JSON.stringify(reply).slice(0, 200)}`
      if (reply.error === undefined) {
        // The same signed text spelt otherwise (the request id, a hex letter's case): the same transaction.
        expect(reply.result, context).toEqual({ hash })
        return
      }
      expect(reply.error.code, context).not.toBe(RPC_ERROR_CODES.InternalError)
      expect(documented.has(reply.error.code), context).toBe(true)
      await settled()
      expect(await nodeState(running.node), context).toEqual(before)
    }), { seed: SEED, numRuns: RUNS * 10 })
    // The untouched body: accepted now, or refused as the replay of a spelling accepted above.
    const last = await post(original)
    if (last.error === undefined) expect(last.result).toEqual({ hash })
    else expect(last.error.code).toBe(RPC_ERROR_CODES.ReplayedTransactionError)
  })
})
