import { createLineage } from '../../src-main/lineage/engine/index.js'
import type { Lineage } from '../../src-main/lineage/engine/index.js'
import { createContractSandbox, keysCheckedAgainstService } from '../../src-main/marine/index.js'
import type { ContractSandbox, ContractSandboxInit } from '../../src-main/marine/index.js'
import { createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore, Store } from '../../src-main/store/index.js'
import { loadMarineService } from '../../services/toolchain/index.js'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { testLog } from './logger.js'
import { builtService } from './services.js'
import { tempDir } from './temp-dir.js'

export interface TestEngine {
  store: Store
  blockstore: SqliteBlockstore
  sandbox: ContractSandbox
  keysService: MarineServiceHandle
  lineage: Lineage
  /** Stops everything and removes the data dir. */
  stop(): Promise<void>
}

/** The real engine without the rest of a node: store, blockstore, sandboxed contracts, keys service. */
export async function startTestEngine (contracts: readonly string[], options: ContractSandboxInit = {}): Promise<TestEngine> {
  const t = tempDir()
  const store = createStore({ log: testLog }, { dataDir: t.dir })
  store.start()
  const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
  const sandbox = createContractSandbox({ log: testLog }, { ...options, callTimeoutMs: options.callTimeoutMs ?? 1000 })
  for (const id of contracts) await sandbox.load(id, builtService(id))
  const keysService = await loadMarineService(builtService('keys'), 'keys')
  const lineage = createLineage({ store, blockstore, sandbox, keys: keysCheckedAgainstService(keysService), log: testLog })
  lineage.start()
  return {
    store,
    blockstore,
    sandbox,
    keysService,
    lineage,
    async stop () {
      await lineage.stop()
      await sandbox.stop()
      keysService.terminate()
      store.stop()
      t.cleanup()
    },
  }
}
