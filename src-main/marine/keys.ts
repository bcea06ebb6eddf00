import { hash } from 'node:crypto'
import { base58btc } from 'multiformats/bases/base58'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { KeysServiceMismatchError } from './errors.js'

/** token_key / data_key, as the `keys` Marine service derives them. */
export interface MarineKeyDerivation {
  tokenKey(chainId: string, tokenAddress: string): string
  dataKey(chainId: string, tokenAddress: string, tokenId: string): string
}

/**
 * Inputs on which the JS derivation must agree with the service before it is used: letter case
 * in every position, non-ASCII letters (which `lower` leaves alone), a uint256 id, empty strings.
 */
const PROBES: ReadonlyArray<readonly [string, string, string]> = [
  ['1', '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D', '42'],
  ['137', '0x60e4d786628fea6478f785a6d7e704777c86a7c6', '115792089237316195423570985008687907853269984665640564039457584007913129639935'],
  ['ETH', 'ÉX', 'İ'],
  ['', '', ''],
  ['10', '0xAbC', '0'],
]

/** The calls straight into the service (≈ 0.05 ms each: marine-js's argument and result conversion). */
export function keysFromService (service: MarineServiceHandle): MarineKeyDerivation {
  return {
    tokenKey: (chainId, tokenAddress) => service.call('token_key', [chainId, tokenAddress]) as string,
    dataKey: (chainId, tokenAddress, tokenId) => service.call('data_key', [chainId, tokenAddress, tokenId]) as string,
  }
}

/**
 * The protocol's derivation computed in JS (≈ 0.005 ms), for hot paths that derive a key per
 * transaction: an import spent a fifth of its main thread in the service calls. The `keys`
 * service stays the definition: this checks that both agree on probe inputs (and on fresh random
 * ones) before returning, and throws KeysServiceMismatchError naming the input if they do not.
 */
export function keysCheckedAgainstService (service: MarineServiceHandle): MarineKeyDerivation {
  const marine = keysFromService(service)
  const native: MarineKeyDerivation = {
    tokenKey: (chainId, tokenAddress) => derive(chainId + tokenAddress),
    dataKey: (chainId, tokenAddress, tokenId) => derive(chainId + tokenAddress + tokenId),
  }
  const random = (): string => Math.random().toString(36).slice(2).replace(/[a-f]/g, c => Math.random() < 0.5 ? c.toUpperCase() : c)
  for (const [chain, address, id] of [...PROBES, [random(), `0x${random()}`, random()] as const]) {
    if (native.tokenKey(chain, address) !== marine.tokenKey(chain, address)) throw new KeysServiceMismatchError('token_key', [chain, address])
    if (native.dataKey(chain, address, id) !== marine.dataKey(chain, address, id)) throw new KeysServiceMismatchError('data_key', [chain, address, id])
  }
  return native
}

/** base58(sha256(lower(text))), lower-casing ASCII letters only, as the protocol does. */
function derive (text: string): string {
  const lower = text.replace(/[A-Z]+/g, s => s.toLowerCase())
  // base58btc's multibase prefix "z" is not part of a Lineage key.
  return base58btc.baseEncode(hash('sha256', lower, 'buffer'))
}
