/**
 * First line of every signed registry write. A transaction's text starts with "Lineage
 * transaction v1", so a signature made for one can never verify as the other, whatever the fields.
 */
export const REGISTRY_SIGNING_HEADER = 'Lineage registry v1'

/** A registry id: a short name such as "0x01" or "erc721.default". */
export const REGISTRY_ID_PATTERN = /^[0-9A-Za-z._:-]{1,64}$/

/** Largest `registry_name` in UTF-8 bytes: a label for people. */
export const MAX_REGISTRY_NAME_BYTES = 128

/** The fields of a registry write, in the order of the signed text (then `signature`). */
export const REGISTRY_FIELDS = ['registry_id', 'registry_name', 'meta_contract_id', 'public_key', 'nonce'] as const
