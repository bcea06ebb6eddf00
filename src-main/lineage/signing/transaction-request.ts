/**
 * The transaction request, declared once: the engine, the API's wire types (api/rpc-types) and
 * the Aqua layer (fluence/aqua-types) all import it from here. Types only and no imports, so the
 * renderer's type check can reach it through api/rpc-types.
 */

/** The methods a signed request may carry (TRANSACTION_METHODS lists them at run time). */
export type TransactionMethod = 'contract' | 'metadata' | 'clone'

/** Everything a writer signs. Field names are the original protocol's, plus `nonce`. */
export interface UnsignedTransactionRequest {
  method: TransactionMethod
  chain_id: string
  token_address: string
  /** Decimal uint256; may be "" only for `contract`, which binds a whole collection. */
  token_id: string
  meta_contract_id: string
  /** "" is the main document. */
  alias: string
  version: string
  /** 0x address (EVM wallet, EIP-191) or base58 of a 32-byte ed25519 key. */
  public_key: string
  nonce: string
  /**
   * When the writer signed, in milliseconds since the Unix epoch (an integer). It becomes the
   * version block's timestamp, so every node that applies the transaction writes the same block.
   */
  timestamp: number
  data: string
  mcdata: string
}

/** A signed request, as a client submits it (docs/PROTOCOL.md has the signed bytes). */
export interface TransactionRequest extends UnsignedTransactionRequest {
  /** 0x + 130 hex digits (r ‖ s ‖ v) for an address; base58 of 64 bytes for an ed25519 key. */
  signature: string
}
