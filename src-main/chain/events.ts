import { Interface } from 'ethers'
import { ZERO_ADDRESS } from './constants.js'
import type { TokenType } from './constants.js'
import type { RawLog } from './client.js'

/** The events that move tokens: ERC-721's Transfer, ERC-1155's TransferSingle and TransferBatch. */
const ABI = new Interface([
  'event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)',
  'event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value)',
  'event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values)',
])

export type TransferKind = 'mint' | 'transfer' | 'burn'

/** One token moved: an ERC-1155 batch gives one per id, told apart by batchIndex. */
export interface TransferFact {
  blockNumber: number
  blockHash: string
  txHash: string
  logIndex: number
  batchIndex: number
  tokenId: string
  from: string
  to: string
  /** 1 for ERC-721; the value moved for ERC-1155, in decimal. */
  amount: string
  kind: TransferKind
}

const kindOf = (from: string, to: string): TransferKind => from === ZERO_ADDRESS ? 'mint' : to === ZERO_ADDRESS ? 'burn' : 'transfer'

/**
 * The transfers in a range's logs, in chain order. A log that does not decode as its type's
 * event (an ERC-20 Transfer shares ERC-721's topic but indexes one topic less) is not a token
 * transfer and is skipped, as is a log the endpoint marks removed.
 */
export function decodeTransfers (logs: RawLog[], type: TokenType): { facts: TransferFact[], skipped: number } {
  const facts: TransferFact[] = []
  let skipped = 0
  const sorted = [...logs].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
  for (const log of sorted) {
    let parsed: ReturnType<Interface['parseLog']>
    try {
      parsed = log.removed ? null : ABI.parseLog({ topics: log.topics, data: log.data })
    } catch {
      parsed = null
    }
    const base = { blockNumber: log.blockNumber, blockHash: log.blockHash, txHash: log.transactionHash, logIndex: log.logIndex }
    if (parsed?.name === 'Transfer' && type === 'erc721') {
      const from = (parsed.args[0] as string).toLowerCase()
      const to = (parsed.args[1] as string).toLowerCase()
      facts.push({ ...base, batchIndex: 0, tokenId: (parsed.args[2] as bigint).toString(), from, to, amount: '1', kind: kindOf(from, to) })
    } else if (parsed?.name === 'TransferSingle' && type === 'erc1155') {
      const from = (parsed.args[1] as string).toLowerCase()
      const to = (parsed.args[2] as string).toLowerCase()
      facts.push({ ...base, batchIndex: 0, tokenId: (parsed.args[3] as bigint).toString(), from, to, amount: (parsed.args[4] as bigint).toString(), kind: kindOf(from, to) })
    } else if (parsed?.name === 'TransferBatch' && type === 'erc1155') {
      const from = (parsed.args[1] as string).toLowerCase()
      const to = (parsed.args[2] as string).toLowerCase()
      const ids = parsed.args[3] as bigint[]
      const values = parsed.args[4] as bigint[]
      if (ids.length !== values.length) { skipped++; continue }
      ids.forEach((id, i) => { facts.push({ ...base, batchIndex: i, tokenId: id.toString(), from, to, amount: (values[i] as bigint).toString(), kind: kindOf(from, to) }) })
    } else {
      skipped++
    }
  }
  return { facts, skipped }
}

/** EIP-4906's announcements: the token ids are in the data, not indexed. */
const EIP4906 = new Interface([
  'event MetadataUpdate(uint256 _tokenId)',
  'event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId)',
])

/**
 * An EIP-4906 announcement: one token (`to` null) or a range of ids, kept as two decimal
 * strings however wide it is (0 to 2^256 − 1 is one fact, never a fact per token).
 */
export interface MetadataUpdateFact {
  blockNumber: number
  blockHash: string
  txHash: string
  logIndex: number
  from: string
  to: string | null
}

/**
 * The EIP-4906 events among a range's logs, in chain order. A log that does not decode, a log
 * marked removed, and a batch whose first id is above its last (no token is named) are skipped.
 */
export function decodeMetadataUpdates (logs: RawLog[]): { updates: MetadataUpdateFact[], skipped: number } {
  const updates: MetadataUpdateFact[] = []
  let skipped = 0
  const sorted = [...logs].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
  for (const log of sorted) {
    let parsed: ReturnType<Interface['parseLog']>
    try {
      parsed = log.removed ? null : EIP4906.parseLog({ topics: log.topics, data: log.data })
    } catch {
      parsed = null
    }
    const base = { blockNumber: log.blockNumber, blockHash: log.blockHash, txHash: log.transactionHash, logIndex: log.logIndex }
    // Indexed arguments would move the ids into topics: a log with extra topics is another event of the same name.
    if (parsed === null || log.topics.length !== 1) { skipped++; continue }
    const from = parsed.args[0] as bigint
    if (parsed.name === 'MetadataUpdate') {
      updates.push({ ...base, from: from.toString(), to: null })
      continue
    }
    const to = parsed.args[1] as bigint
    if (from > to) { skipped++; continue }
    updates.push({ ...base, from: from.toString(), to: to.toString() })
  }
  return { updates, skipped }
}
