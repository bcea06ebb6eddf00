import { describe, expect, it } from 'vitest'
import { Interface, zeroPadValue } from 'ethers'
import { decodeTransfers } from '../../src-main/chain/events.js'
import type { RawLog } from '../../src-main/chain/client.js'

const erc20 = new Interface(['event Transfer(address indexed from, address indexed to, uint256 value)'])
const erc721 = new Interface(['event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)'])
const A = '0x' + '1'.repeat(40)
const B = '0x' + '2'.repeat(40)

function log (encoded: { topics: string[], data: string }, logIndex: number, extra: Partial<RawLog> = {}): RawLog {
  return { blockNumber: 5, blockHash: zeroPadValue('0x05', 32), transactionHash: zeroPadValue('0x0a', 32), logIndex, removed: false, ...encoded, ...extra }
}

describe('decoding transfer logs', () => {
  it('skips what is not its type\'s event: an ERC-20 Transfer (same topic, one indexed topic less), a removed log, garbage', () => {
    const nft = log(erc721.encodeEventLog('Transfer', [A, B, 7n]), 2)
    const coin = log(erc20.encodeEventLog('Transfer', [A, B, 1000n]), 1)
    const removed = log(erc721.encodeEventLog('Transfer', [A, B, 8n]), 3, { removed: true })
    const garbage = log({ topics: nft.topics.slice(0, 3), data: '0x1234' }, 4)
    const { facts, skipped } = decodeTransfers([nft, coin, removed, garbage], 'erc721')
    expect(skipped).toBe(3)
    expect(facts).toEqual([{ blockNumber: 5, blockHash: nft.blockHash, txHash: nft.transactionHash, logIndex: 2, batchIndex: 0, tokenId: '7', from: A, to: B, amount: '1', kind: 'transfer' }])
    // The same ERC-721 log read as an ERC-1155 collection's is not one of its events.
    expect(decodeTransfers([nft], 'erc1155')).toEqual({ facts: [], skipped: 1 })
  })
})
