import type { TransactionMethod } from './transaction-request.js'

/**
 * First line of every signed transaction text. It names the protocol and the format version, so a
 * signature made for Lineage can never pass as a signature for another application's message, and
 * a future format (v2) can never be confused with this one.
 */
export const SIGNING_HEADER = 'Lineage transaction v1'

/** The methods a signed request may carry. `cron` (chain watchers) is node-local configuration, not a signed write. */
export const TRANSACTION_METHODS = ['contract', 'metadata', 'clone'] as const satisfies readonly TransactionMethod[]
export type { TransactionMethod }

/** Largest `data` in UTF-8 bytes: a generous metadata document, small enough to keep a batch in memory. */
export const MAX_DATA_BYTES = 64 * 1024
/** Largest `mcdata` (free extra data for the meta contract) in UTF-8 bytes. */
export const MAX_MCDATA_BYTES = 64 * 1024
/** Largest `alias` in UTF-8 bytes; "" names the main document. */
export const MAX_ALIAS_BYTES = 64
/** Largest `version` in UTF-8 bytes; "" lets the contract choose. */
export const MAX_VERSION_BYTES = 64
/** Largest `meta_contract_id` in UTF-8 bytes: room for a CIDv1 (59 characters) or a registry name. */
export const MAX_META_CONTRACT_ID_BYTES = 128
/** Largest `signature` in characters: a base58 ed25519 signature is at most 88, an EVM one exactly 132. */
export const MAX_SIGNATURE_LENGTH = 256

/**
 * Bounds of `timestamp` (milliseconds since the Unix epoch): nothing Lineage signed can predate
 * 2020, and the upper bound keeps every value a safe integer with a four-digit year.
 */
export const MIN_TIMESTAMP_MS = Date.UTC(2020, 0, 1)
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
/**
 * How far ahead of this node's clock a client's `timestamp` may be when the node first accepts the
 * transaction. Clocks drift; a version dated later than that would sort as the newest everywhere.
 * A transaction another node already accepted (import, replication) is not held to this node's clock.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

/** Client-chosen nonce: 16–128 URL-safe characters, e.g. 32 hex digits or a base64url UUID. */
export const NONCE_PATTERN = /^[0-9A-Za-z_-]{16,128}$/
/** EIP-155 chain ids are unsigned 64-bit integers: decimal, no sign, no leading zeros. */
export const CHAIN_ID_PATTERN = /^[1-9][0-9]{0,19}$/
/** An EVM contract or account address: 0x and 40 hex digits, any case. */
export const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/
/** A uint256 token id in canonical decimal: no sign, no leading zeros, at most 78 digits. */
export const TOKEN_ID_PATTERN = /^(0|[1-9][0-9]{0,77})$/
/** Largest token id: ERC-721 and ERC-1155 ids are uint256. */
export const MAX_TOKEN_ID = (1n << 256n) - 1n

/**
 * Characters refused in any value written into the signed text: control characters (C0, DEL, C1,
 * including \n and \r, which would let one value forge another line), invisible format characters
 * (bidi overrides, zero-width characters: the wallet would show a different text than is signed),
 * line/paragraph separators, and lone UTF-16 surrogates (which UTF-8 encoding replaces, so two
 * different strings would sign the same bytes).
 */
export const FORBIDDEN_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u

/** Byte lengths of the signature schemes' keys and signatures. */
export const ED25519_PUBLIC_KEY_BYTES = 32
export const ED25519_SIGNATURE_BYTES = 64
export const EVM_SIGNATURE_BYTES = 65
/** Longest base58 text of a 32-byte key and of a 64-byte signature; checked before decoding, which is quadratic. */
export const ED25519_PUBLIC_KEY_MAX_BASE58 = 44
export const ED25519_SIGNATURE_MAX_BASE58 = 88
