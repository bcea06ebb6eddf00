import { createHash } from 'node:crypto'
import type { UnsignedTransactionRequest } from '../../src-main/lineage/signing/index.js'

/** Lowercase hex SHA-256 of a text's UTF-8 bytes. */
export const sha256Hex = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex')

/**
 * The text a transaction's writer signs, built from docs/PROTOCOL.md ("Signed transactions: the exact
 * bytes") alone and not from the product's code, so a test can check the product against it.
 */
export function readmeTransactionText (r: UnsignedTransactionRequest): string {
  const publicKey = r.public_key.startsWith('0x') ? r.public_key.toLowerCase() : r.public_key
  return [
    'Lineage transaction v1',
    `method: ${r.method}`,
    `chain_id: ${r.chain_id}`,
    `token_address: ${r.token_address.toLowerCase()}`,
    `token_id: ${r.token_id}`,
    `meta_contract_id: ${r.meta_contract_id}`,
    `alias: ${r.alias}`,
    `version: ${r.version}`,
    `public_key: ${publicKey}`,
    `nonce: ${r.nonce}`,
    `timestamp: ${r.timestamp}`,
    `data_sha256: ${sha256Hex(r.data)}`,
    `mcdata_sha256: ${sha256Hex(r.mcdata)}`,
  ].join('\n')
}
