// The bulk import of a folder through the full path, as `lineage-node import` runs it: each file
// read, signed with ed25519 by the engine, checked, run through the erc721 contract in the
// sandbox, written as a block, a slot head and a receipt. Shared by the import and OrbitDB benches.
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { expect } from 'vitest'
import { createLineage } from '../src-main/lineage/engine/index.js'
import { createImporter } from '../src-main/lineage/import/index.js'
import { createSigner } from '../src-main/lineage/keys/index.js'
import { createContractSandbox, keysCheckedAgainstService } from '../src-main/marine/index.js'
import { ledgerReads } from '../src-main/lineage/tokens/index.js'
import { createBlockstore, createStore } from '../src-main/store/index.js'
import { loadMarineService } from '../services/toolchain/index.js'
import { testLog } from '../test/helpers/logger.js'
import { builtService } from '../test/helpers/services.js'
import type { MeasuredCase } from './ratios.js'

export const IMPORT_CASE = 'Lineage bulk import of a folder (ed25519, erc721 contract, blocks, receipt)'
const COLLECTION = { chain_id: '1', token_address: '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e' }

/** A whole run as one row: mean per item from the total, p99 from the gaps between completions. */
export function wholeRun (name: string, startedAt: number, completions: number[]): MeasuredCase & { totalMs: number } {
  const gaps = completions.map((t, i) => t - (i === 0 ? startedAt : completions[i - 1] ?? startedAt)).sort((a, b) => a - b)
  const total = (completions.at(-1) ?? startedAt) - startedAt
  return {
    name,
    latency: { mean: total / completions.length, p99: gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.99))] ?? 0 },
    throughput: { mean: completions.length / (total / 1000) },
    totalMs: total,
  }
}

/** Writes the documents as `<n>.json` files under `dir`, then imports the folder into a fresh engine there. */
export async function fullImport (dir: string, documents: string[]): Promise<MeasuredCase & { totalMs: number }> {
  const folder = path.join(dir, 'collection')
  fs.mkdirSync(folder)
  documents.forEach((data, i) => { fs.writeFileSync(path.join(folder, `${i + 1}.json`), data) })

  const store = createStore({ log: testLog }, { dataDir: path.join(dir, 'node') })
  store.start()
  const sandbox = createContractSandbox({ log: testLog })
  for (const id of ['open', 'erc721']) await sandbox.load(id, builtService(id))
  const keysService = await loadMarineService(builtService('keys'), 'keys')
  const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
  const lineage = createLineage({ store, blockstore, sandbox, keys: keysCheckedAgainstService(keysService), log: testLog })
  lineage.start()
  const importer = createImporter({ lineage, store, blockstore, log: testLog })
  importer.start()
  const signer = createSigner('bench', 'ed25519', crypto.getRandomValues(new Uint8Array(32)))
  try {
    const { job } = await importer.create({ source: folder, ...COLLECTION, meta_contract_id: 'erc721', public_key: signer.publicKey })
    const completions: number[] = []
    const onApplied = (): void => { completions.push(performance.now()) }
    const startedAt = performance.now()
    const cpuBefore = process.threadCpuUsage()
    const processCpuBefore = process.cpuUsage()
    lineage.on('applied', onApplied)
    const report = await importer.run(job, { signer })
    lineage.off('applied', onApplied)
    // This thread's CPU time: unlike the wall time, it hardly moves when other processes share the cores.
    const cpu = process.threadCpuUsage(cpuBefore)
    const all = process.cpuUsage(processCpuBefore)
    const ms = (usage: NodeJS.CpuUsage): string => ((usage.user + usage.system) / 1000).toFixed(0)
    console.log(`bulk import main thread: ${ms(cpu)} ms CPU (${(cpu.system / 1000).toFixed(0)} ms system), all threads ${ms(all)} ms, in ${(performance.now() - startedAt).toFixed(0)} ms`)
    expect(report).toMatchObject({ state: 'done', applied: documents.length, rejected_count: 0 })
    // The binding is applied first, inside the run: count items only.
    return wholeRun(IMPORT_CASE, startedAt, completions.slice(-documents.length))
  } finally {
    await importer.stop()
    await lineage.stop()
    await sandbox.stop()
    keysService.terminate()
    store.stop()
  }
}

