import { describe, expect, it } from 'vitest'
import type { ChainTxWire } from '../../src-main/api/rpc-types.js'
import { endpointHost, formatWei, txProgress, watchErrorWords, watchStateWords } from '../../src-renderer/src/lib/rules/chain-words.js'

const tx = (over: Partial<ChainTxWire>): ChainTxWire => ({
  id: 1, chain_id: 1, address: '0xab', from: '0xcd', action: 'base_uri', function: 'setBaseURI(string)', args: ['ipfs://x/'], tx_hash: '0x01', nonce: 0,
  gas_limit: '1', max_fee_per_gas: '1', state: 'sent', block_number: null, depth: 0, confirmations: 12, gas_used: null, error: null, created_at: '', updated_at: '', ...over,
})

describe('the chain in a creator\'s words', () => {
  it('shows wei as the network\'s coin, to a few significant digits', () => {
    expect(formatWei('0')).toBe('0')
    expect(formatWei('1000000000000000000')).toBe('1')
    expect(formatWei('12500000000000000000')).toBe('12.5')
    expect(formatWei('327123456789012')).toBe('0.000327')
    expect(formatWei('9999996912345678901234')).toBe('9999.9969')
    expect(formatWei('1')).toBe('0.000000000000000001')
  })

  it('hides what follows an endpoint\'s host (providers put keys there)', () => {
    expect(endpointHost('https://eth-mainnet.example.com/v2/SECRETKEY')).toBe('https://eth-mainnet.example.com/…')
    expect(endpointHost('https://rpc.example.com/?key=SECRET')).toBe('https://rpc.example.com/…')
    expect(endpointHost('http://127.0.0.1:8545/')).toBe('http://127.0.0.1:8545')
  })

  it('says how far a transaction is, by its state and depth', () => {
    expect(txProgress(tx({}))).toEqual({ words: 'Sent, waiting to be included in a block', percent: 10 })
    expect(txProgress(tx({ state: 'mined', block_number: 90, depth: 3 }))).toEqual({ words: 'In block 90: 3 of 12 confirmations', percent: 40 })
    expect(txProgress(tx({ state: 'confirmed', block_number: 90, depth: 12 }))).toEqual({ words: 'Confirmed in block 90', percent: 100 })
    expect(txProgress(tx({ state: 'failed', error: 'It reverted.' }))).toEqual({ words: 'It reverted.', percent: 100 })
  })

  it('names watch states and endpoint errors plainly, by name (never by the text)', () => {
    expect(watchStateWords('retrying')).toBe('Cannot reach the network, trying again')
    expect(watchErrorWords(null)).toBeNull()
    expect(watchErrorWords({ name: 'ChainIdMismatchError', message: 'x', at: '2026-01-01T10:00:00Z' })).toMatch(/^The endpoint serves another network than this one\. Check its URL\. \(/)
    expect(watchErrorWords({ name: 'SomethingNew', message: 'x', at: '2026-01-01T10:00:00Z' })).toMatch(/^Something went wrong reading the chain\. \(/)
  })
})
