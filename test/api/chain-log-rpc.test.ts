import { describe, expect, it } from 'vitest'
import type { ForkDataInfo } from '../../src-main/api/index.js'
import { chainLogMethods } from '../../src-main/api/rpc/chain-log-methods.js'
import { createDispatcher } from '../../src-main/api/rpc/index.js'
import { testLog } from '../helpers/logger.js'

const TO = '0x5aF0D9827E0c53e4799BB226655A1de152A425a5'
const MAX_UINT256 = ((1n << 256n) - 1n).toString()

/** deserialize_fork reads no state: the real dispatcher, as every transport uses it, is the whole path. */
describe('deserialize_fork reads data, tokenId and to of a decoded event log', () => {
  const dispatcher = createDispatcher(chainLogMethods(), testLog)
  let id = 0
  async function call (params: unknown): Promise<{ result?: ForkDataInfo, error?: { code: number, message: string, data?: { field?: string } } }> {
    // No API token: it changes nothing.
    return JSON.parse(await dispatcher.respondText(JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'deserialize_fork', params }), { transport: 'http', authenticated: false }) ?? 'null') as never
  }
  const log = (fields: Record<string, unknown>): string => JSON.stringify({ from: '0x0000000000000000000000000000000000000000', ...fields })

  it('answers { data, token_id, address } with the token id in canonical decimal', async () => {
    expect((await call([log({ data: '{"name":"Minted"}', tokenId: 42, to: TO })])).result).toEqual({ data: '{"name":"Minted"}', token_id: '42', address: TO })
    expect((await call({ json: log({ tokenId: '0x2a', to: TO }) })).result).toEqual({ data: '', token_id: '42', address: TO })
    expect((await call([log({ tokenId: '007' })])).result).toEqual({ data: '', token_id: '7', address: '' })
    expect((await call([log({ tokenId: MAX_UINT256 })])).result).toEqual({ data: '', token_id: MAX_UINT256, address: '' })
    // Keys it does not read are ignored; a key it lacks is "", not the original's token "0".
    expect((await call([log({ value: 1, data: null })])).result).toEqual({ data: '', token_id: '', address: '' })
  })

  it('names what is wrong instead of answering empty fields as the original did', async () => {
    const refused: Array<[unknown, string]> = [
      ['{"tokenId": 1', 'json is not JSON'],
      ['[1, 2]', 'json must be a JSON object'],
      ['"text"', 'json must be a JSON object'],
      [log({ tokenId: 2 ** 53 + 2 }), 'lost digits in JSON: give it as a decimal string'],
      [log({ tokenId: -1 }), 'json.tokenId must be a uint256'],
      [log({ tokenId: `${MAX_UINT256}0` }), 'json.tokenId must be a uint256'],
      [log({ tokenId: '1e3' }), 'json.tokenId must be a uint256'],
      [log({ data: { name: 'object' } }), 'json.data must be a string'],
      [log({ to: 'alice' }), 'json.to must be an address'],
    ]
    for (const [json, text] of refused) {
      const { error } = await call([json])
      expect(error, String(json)).toMatchObject({ code: -32602, data: { field: 'json' } })
      expect(error?.message, String(json)).toContain(text)
    }
    expect((await call([''])).error).toMatchObject({ code: -32602, data: { field: 'json' } })
    expect((await call([{ tokenId: 1 }])).error).toMatchObject({ code: -32602, message: 'Invalid params: json must be string' })
  })
})
