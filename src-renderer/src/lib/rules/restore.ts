import type { HistoryVersionInfo } from '../../../../src-main/api/rpc-types.js'
import type { UnsignedRequestInput } from '../../../../src-main/api/rpc-types/keys.js'

/** A token as the editor and History address it. */
export interface TokenAt { chainId: string, address: string, tokenId: string }

/**
 * The write that brings an old version back: a new metadata write with that version's content,
 * under the contract that governs the token now. Nothing is rewound: the old and the newer
 * versions stay in the history, and the restore is one more signed version after them.
 */
export function restoreRequest (at: TokenAt, version: HistoryVersionInfo, metaContractId: string): UnsignedRequestInput {
  return { method: 'metadata', chain_id: at.chainId, token_address: at.address, token_id: at.tokenId, meta_contract_id: metaContractId, data: JSON.stringify(version.content) }
}
