// data_key through a direct Marine call (marine-js in this thread, no AquaVM) against the same
// function in plain JS, and through the contract sandbox's worker for scale. Anchor: plain JS.
import { sha256 } from '@noble/hashes/sha2.js'
import { base58btc } from 'multiformats/bases/base58'
import { describe, expect, test } from 'vitest'
import { loadMarineService } from '../services/toolchain/index.js'
import { builtService } from '../test/helpers/services.js'
import { reportRatios } from './ratios.js'

const keys = await loadMarineService(builtService('keys'), 'keys')

const encoder = new TextEncoder()
const lower = (text: string): string => text.replace(/[A-Z]/g, c => c.toLowerCase())
function dataKey (chainId: string, tokenAddress: string, tokenId: string): string {
  return base58btc.encode(sha256(encoder.encode(lower(chainId) + lower(tokenAddress) + lower(tokenId)))).slice(1)
}

const args: [string, string, string] = ['1', '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D', '4242']
const ANCHOR = 'plain JS (@noble/hashes + multiformats)'
const MARINE = 'Marine keys service (marine-js, direct call)'

// Vitest 5 registers benchmarks through the test context, in the benchmark project.
describe('data_key', () => {
  test('Marine direct call vs plain JS', async ({ bench }) => {
    expect(keys.call('data_key', args)).toBe(dataKey(...args))
    const results = await bench.compare(
      bench(ANCHOR, () => { dataKey(...args) }),
      bench(MARINE, () => { keys.call('data_key', args) }),
    )
    reportRatios('data_key: Marine vs plain JS', results.get(ANCHOR), [results.get(MARINE)])
  })
})
