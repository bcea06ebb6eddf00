import type { MarineServiceHandle } from '../../services/toolchain/index.js'

/** token_key / data_key through the `keys` Marine service, called in-thread (≈ 0.03 ms a call). */
export interface MarineKeyDerivation {
  tokenKey(chainId: string, tokenAddress: string): string
  dataKey(chainId: string, tokenAddress: string, tokenId: string): string
}

export function keysFromService (service: MarineServiceHandle): MarineKeyDerivation {
  return {
    tokenKey: (chainId, tokenAddress) => service.call('token_key', [chainId, tokenAddress]) as string,
    dataKey: (chainId, tokenAddress, tokenId) => service.call('data_key', [chainId, tokenAddress, tokenId]) as string,
  }
}
