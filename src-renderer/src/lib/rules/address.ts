import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/** A 0x address with 40 hex digits, in any case. */
const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/

/**
 * An EVM address as people read it: EIP-55 mixed case, as wallets and block explorers show it.
 * The node keeps addresses in one (lower) case; anything that is not an address is shown as is.
 */
export function displayAddress (address: string): string {
  if (!EVM_ADDRESS.test(address)) return address
  const hex = address.slice(2).toLowerCase()
  const hash = bytesToHex(keccak_256(utf8ToBytes(hex)))
  let out = '0x'
  for (let i = 0; i < hex.length; i++) out += parseInt(hash[i] ?? '0', 16) >= 8 ? (hex[i] ?? '').toUpperCase() : hex[i]
  return out
}
