// Identifiers of the Lineage protocol, as the original network's running code computed them:
// base58(sha256(lower(chain_id) + lower(token_address) [+ lower(token_id)])), ASCII lower-case.
import { base58Encode, sha256, toLowerAscii, utf8Encode } from "@lineage/lib";

export function computeTokenKey(chainId: string, tokenAddress: string): string {
  return base58Encode(sha256(utf8Encode(toLowerAscii(chainId) + toLowerAscii(tokenAddress))));
}

export function computeDataKey(chainId: string, tokenAddress: string, tokenId: string): string {
  return base58Encode(sha256(utf8Encode(toLowerAscii(chainId) + toLowerAscii(tokenAddress) + toLowerAscii(tokenId))));
}
