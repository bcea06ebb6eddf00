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

/**
 * What is wrong with a typed contract address, in words, before anything is signed; null when it
 * is one. Mixed case must be its EIP-55 checksum (a typo in one letter then shows).
 */
export function addressProblem (text: string): string | null {
  const value = text.trim()
  if (value === '') return 'Give the NFT contract address: 0x followed by 40 digits and letters a to f, as Etherscan shows it.'
  if (!EVM_ADDRESS.test(value)) return 'This is not a contract address: it must be 0x followed by 40 digits and letters a to f. Copy it from your contract\'s page on Etherscan.'
  const hex = value.slice(2)
  if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase() && displayAddress(value) !== value) return 'One character of this address looks mistyped (its capital letters do not match). Copy it again, or type it all in lower case.'
  return null
}
