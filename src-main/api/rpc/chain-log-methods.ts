import { ADDRESS_PATTERN, MAX_DATA_BYTES, MAX_TOKEN_ID } from '../../lineage/signing/index.js'
import { InvalidParamsError } from '../errors.js'
import type { ForkDataInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

const DECIMAL = /^[0-9]{1,78}$/
const HEX = /^0x[0-9a-fA-F]{1,64}$/

/** A token id as a decoded event log gives it (a number, a decimal or 0x-hex string), in canonical decimal. */
function tokenIdOf (value: unknown): string {
  let id: bigint | undefined
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) id = BigInt(value)
  else if (typeof value === 'string' && (DECIMAL.test(value) || HEX.test(value))) id = BigInt(value)
  if (id === undefined || id > MAX_TOKEN_ID) {
    const hint = typeof value === 'number' ? ' (a number past 2^53 has lost digits in JSON: give it as a decimal string)' : ''
    throw new InvalidParamsError(`json.tokenId must be a uint256 as a decimal or 0x-hex string, or a whole number${hint}`, 'json')
  }
  return id.toString()
}

/**
 * The original's `deserialize_fork`: reads `data`, `tokenId` and `to` of a decoded mint event log
 * (what its chain watcher passed to contracts). The original answered empty fields, and token id
 * "0", for anything it could not read; ours names what is wrong, and a missing key stays "".
 */
export function readForkData (text: string): ForkDataInfo {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new InvalidParamsError(`json is not JSON (${(err as Error).message})`, 'json')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidParamsError('json must be a JSON object (a decoded event log)', 'json')
  const { data, tokenId, to } = value as Record<string, unknown>
  if (data !== undefined && data !== null && typeof data !== 'string') throw new InvalidParamsError('json.data must be a string', 'json')
  if (to !== undefined && to !== null && (typeof to !== 'string' || !ADDRESS_PATTERN.test(to))) throw new InvalidParamsError('json.to must be an address: 0x and 40 hex digits', 'json')
  return {
    data: data ?? '',
    token_id: tokenId === undefined || tokenId === null ? '' : tokenIdOf(tokenId),
    address: to ?? '',
  }
}

/** Decoding a chain event log, as the original's chain watcher did; it reads nothing and changes nothing. */
export function chainLogMethods (): RpcMethod[] {
  return [
    defineMethod({
      name: 'deserialize_fork',
      description: 'Reads data, tokenId and to of a decoded event log (JSON text): { data, token_id (decimal), address }.',
      params: [{ name: 'json', schema: { type: 'string', minLength: 1, maxLength: MAX_DATA_BYTES } }],
      handler: p => readForkData(p.json as string),
    }),
  ] as RpcMethod[]
}
