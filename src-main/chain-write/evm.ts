import { Interface, Signature, Transaction, id } from 'ethers'
import type { Signer } from '../lineage/keys/index.js'
import { EIP4906_INTERFACE_ID } from './constants.js'

/** The 4-byte selector of a function signature, e.g. setBaseURI(string) → 0x55f804b3. */
export const selectorOf = (signature: string): string => id(signature).slice(0, 10)

/** Calldata of a candidate function with its arguments (uint256 as decimal strings). */
export function encodeCall (signature: string, args: readonly string[]): string {
  return new Interface([`function ${signature}`]).encodeFunctionData(signature, [...args])
}

export const supportsInterfaceCall = (): string =>
  new Interface(['function supportsInterface(bytes4)']).encodeFunctionData('supportsInterface', [EIP4906_INTERFACE_ID])

/**
 * Whether contract code holds a function's selector: solc's dispatcher pushes each selector as a
 * constant (PUSH4, or fewer bytes when it starts with zero bytes). Reading the code tells a
 * missing function from one that refuses, which an empty revert does not.
 */
export function codeHasSelector (code: string, selector: string): boolean {
  let hex = selector.slice(2).toLowerCase()
  while (hex.startsWith('00') && hex.length > 2) hex = hex.slice(2)
  const push = (0x5f + hex.length / 2).toString(16)
  return code.toLowerCase().includes(`${push}${hex}`)
}

export type Refusal = { kind: 'owner', detail: string } | { kind: 'reason', detail: string } | { kind: 'empty' }

const REVERTS = new Interface([
  'error Error(string)',
  'error Panic(uint256)',
  'error OwnableUnauthorizedAccount(address account)',
  'error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)',
  'error ERC721NonexistentToken(uint256 tokenId)',
])

/** What a revert's data says, in words. */
export function classifyRevert (data: string | undefined): Refusal {
  if (data === undefined || data === '0x' || data.length < 10) return { kind: 'empty' }
  let parsed
  try {
    parsed = REVERTS.parseError(data)
  } catch {
    parsed = null
  }
  if (parsed === null) return { kind: 'reason', detail: `it reverted with custom error ${data.slice(0, 10)}` }
  switch (parsed.name) {
    case 'OwnableUnauthorizedAccount': return { kind: 'owner', detail: 'it is not the contract\'s owner (OwnableUnauthorizedAccount)' }
    case 'AccessControlUnauthorizedAccount': return { kind: 'owner', detail: `it lacks the role ${String(parsed.args[1]).slice(0, 18)}… (AccessControlUnauthorizedAccount)` }
    case 'ERC721NonexistentToken': return { kind: 'reason', detail: `token ${String(parsed.args[0])} does not exist` }
    case 'Panic': return { kind: 'reason', detail: `it panicked (code 0x${(parsed.args[0] as bigint).toString(16)})` }
    default: {
      const message = String(parsed.args[0]).slice(0, 200)
      // OpenZeppelin before 5.0, and most hand-written checks, say so in words.
      return /owner|unauthori[sz]ed|not allowed|access/i.test(message) ? { kind: 'owner', detail: `"${message}"` } : { kind: 'reason', detail: `"${message}"` }
    }
  }
}

export interface UnsignedTx {
  chainId: number
  nonce: number
  to: string
  data: string
  gasLimit: bigint
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
}

/** An EIP-1559 transaction signed by a keystore key: its raw bytes (0x…) and hash. */
export function signTransaction (fields: UnsignedTx, signer: Signer): { raw: string, hash: string } {
  const tx = Transaction.from({ type: 2, value: 0n, ...fields })
  const unsigned = Uint8Array.from(Buffer.from(tx.unsignedSerialized.slice(2), 'hex'))
  tx.signature = Signature.from(signer.signEvmTransaction(unsigned))
  return { raw: tx.serialized, hash: tx.hash ?? '' }
}

const EIP4906 = new Interface([
  'event MetadataUpdate(uint256 _tokenId)',
  'event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId)',
])

export interface MetadataUpdateFact { logIndex: number, from: string, to: string | null }

/** EIP-4906 events among a receipt's logs of one contract. */
export function metadataUpdates (logs: ReadonlyArray<{ address?: unknown, topics?: unknown, data?: unknown, logIndex?: unknown }>, address: string): MetadataUpdateFact[] {
  const facts: MetadataUpdateFact[] = []
  for (const log of logs) {
    if (typeof log.address !== 'string' || log.address.toLowerCase() !== address || !Array.isArray(log.topics) || typeof log.data !== 'string') continue
    let parsed
    try {
      parsed = EIP4906.parseLog({ topics: log.topics as string[], data: log.data })
    } catch {
      parsed = null
    }
    const logIndex = typeof log.logIndex === 'string' ? Number(log.logIndex) : -1
    if (parsed?.name === 'MetadataUpdate') facts.push({ logIndex, from: (parsed.args[0] as bigint).toString(), to: null })
    else if (parsed?.name === 'BatchMetadataUpdate') facts.push({ logIndex, from: (parsed.args[0] as bigint).toString(), to: (parsed.args[1] as bigint).toString() })
  }
  return facts
}
