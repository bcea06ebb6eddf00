// data_key through a direct Marine call (marine-js, no AquaVM) against the same function in plain JS.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sha256 } from '@noble/hashes/sha2.js'
import { base58btc } from 'multiformats/bases/base58'
import { describe, expect, test } from 'vitest'
import { buildService, loadMarineService } from '../services/toolchain/index.js'

const built = await buildService({ dir: 'services/keys', outFile: path.join(mkdtempSync(path.join(tmpdir(), 'bench-keys-')), 'keys.wasm') })
const keys = await loadMarineService(built.wasm, 'keys')

const encoder = new TextEncoder()
const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())
function dataKey(chainId: string, tokenAddress: string, tokenId: string): string {
  return base58btc.encode(sha256(encoder.encode(lower(chainId) + lower(tokenAddress) + lower(tokenId)))).slice(1)
}

const args: [string, string, string] = ['1', '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D', '4242']
// Vitest 5 has no top-level `bench` export: benchmarks are registered through the test context.
describe('data_key', () => {
  test('Marine direct call vs plain JS', async ({ bench }) => {
    expect(keys.call('data_key', args)).toBe(dataKey(...args))
    await bench.compare(
      bench('Marine (marine-js, direct call)', () => {
        keys.call('data_key', args)
      }),
      bench('plain JS (@noble/hashes + multiformats)', () => {
        dataKey(...args)
      }),
    )
  })
})
