import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { getAddress, id, Interface, zeroPadValue } from 'ethers'
import { checkAddress } from '../../src-main/chain/config.js'
import { TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC, TRANSFER_TOPIC } from '../../src-main/chain/constants.js'
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

describe('what the chain module knows without loading ethers', () => {
  it('writes out the event topics as ethers computes them', () => {
    expect([TRANSFER_TOPIC, TRANSFER_SINGLE_TOPIC, TRANSFER_BATCH_TOPIC]).toEqual([
      id('Transfer(address,address,uint256)'),
      id('TransferSingle(address,address,address,uint256,uint256)'),
      id('TransferBatch(address,address,address,uint256[],uint256[])'),
    ])
  })

  it('takes and refuses an address exactly as ethers\' EIP-55 check does (seeded)', () => {
    const hex40 = fc.uint8Array({ minLength: 20, maxLength: 20 }).map(b => Buffer.from(b).toString('hex'))
    // A mixed-case spelling: the address with its letters' case drawn at random.
    const spelling = fc.tuple(hex40, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), fc.constantFrom('checksummed', 'random', 'lower', 'upper'))
    fc.assert(fc.property(spelling, ([hex, upper, kind]) => {
      const written = kind === 'checksummed'
        ? getAddress(`0x${hex}`)
        : kind === 'lower' ? `0x${hex}` : kind === 'upper' ? `0x${hex.toUpperCase()}` : `0x${[...hex].map((c, i) => upper[i] === true ? c.toUpperCase() : c).join('')}`
      let ethersSays: string | undefined
      try { ethersSays = getAddress(written).toLowerCase() } catch { ethersSays = undefined }
      let ours: string | undefined
      try { ours = checkAddress(written) } catch { ours = undefined }
      expect(ours).toBe(ethersSays)
    }), { seed: 55, numRuns: 2000 })
  })
})
