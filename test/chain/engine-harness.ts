import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createChainWatcher } from '../../src-main/chain/index.js'
import type { ChainWatcher } from '../../src-main/chain/index.js'
import type { TransactionRequest } from '../../src-main/lineage/signing/index.js'
import { buildService } from '../../services/toolchain/builder/index.js'
import { testLog } from '../helpers/logger.js'
import { repoRoot } from '../helpers/processes.js'
import { startTestEngine } from '../helpers/test-engine.js'
import type { TestEngine } from '../helpers/test-engine.js'

const here = path.dirname(fileURLToPath(import.meta.url))

export interface ChainEngine extends TestEngine {
  chain: ChainWatcher
  /** Publishes signed requests and waits for their receipts. */
  apply(requests: TransactionRequest[]): Promise<Array<{ status: string, reason: string }>>
  close(): Promise<void>
}

/**
 * The real engine and a real chain watcher over one store, wired as the node wires them: the
 * watcher calls on_mint through the engine, and the engine reads the chain facts and owner().
 */
export async function startChainEngine (contracts: readonly string[], extra: Record<string, Uint8Array> = {}): Promise<ChainEngine> {
  const engine = await startTestEngine(contracts)
  for (const [id, wasm] of Object.entries(extra)) await engine.sandbox.load(id, wasm)
  const chain = createChainWatcher({ db: engine.store.db, log: testLog, mints: engine.lineage.mintWriter }, { retryInitialDelayMs: 100, retryMaxDelayMs: 400, callTimeoutMs: 2_000 })
  chain.start()
  engine.lineage.useChain(chain)
  return {
    ...engine,
    chain,
    async apply (requests) {
      const results = engine.lineage.publishBatch(requests)
      await engine.lineage.settled()
      return results.map(r => {
        if (r.error !== undefined) throw r.error
        const receipt = engine.lineage.receipt(r.hash)
        return { status: receipt?.status ?? 'pending', reason: receipt?.reason ?? '' }
      })
    },
    async close () {
      await chain.stop()
      await engine.stop()
    },
  }
}

/**
 * test/chain/fixtures/mint-stamp built with the project's toolchain: its on_mint writes the decoded
 * event into the binder's slot "minted". Kept in the OS temp dir under the hash of its sources.
 */
export async function mintStampWasm (): Promise<Uint8Array> {
  return await fixtureWasm('mint-stamp')
}

/** test/chain/fixtures/original-open: a contract whose Transaction is the original's 15 fields. */
export async function originalOpenWasm (): Promise<Uint8Array> {
  return await fixtureWasm('original-open')
}

async function fixtureWasm (name: string): Promise<Uint8Array> {
  const dir = path.join(here, 'fixtures', name)
  const sources = [path.join(dir, 'assembly', 'index.ts'), ...fs.readdirSync(path.join(repoRoot, 'services', 'contract-sdk', 'assembly')).map(f => path.join(repoRoot, 'services', 'contract-sdk', 'assembly', f))]
  const hash = createHash('sha256')
  for (const file of sources) hash.update(fs.readFileSync(file))
  const cache = path.join(os.tmpdir(), `lineage-${name}-${hash.digest('hex').slice(0, 16)}.wasm`)
  if (!fs.existsSync(cache)) {
    const temp = `${cache}.${process.pid}`
    await buildService({ dir, outFile: temp })
    fs.renameSync(temp, cache)
  }
  return new Uint8Array(fs.readFileSync(cache))
}

