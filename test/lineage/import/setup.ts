import { secp256k1 } from '@noble/curves/secp256k1.js'
import { createLineage } from '../../../src-main/lineage/engine/index.js'
import type { Lineage } from '../../../src-main/lineage/engine/index.js'
import { createImporter } from '../../../src-main/lineage/import/index.js'
import type { Importer } from '../../../src-main/lineage/import/index.js'
import { createSigner } from '../../../src-main/lineage/keys/index.js'
import type { Signer } from '../../../src-main/lineage/keys/index.js'
import { createContractSandbox, keysCheckedAgainstService } from '../../../src-main/marine/index.js'
import type { ContractSandbox } from '../../../src-main/marine/index.js'
import { createBlockstore, createStore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore, Store } from '../../../src-main/store/index.js'
import { loadMarineService } from '../../../services/toolchain/index.js'
import type { MarineServiceHandle } from '../../../services/toolchain/index.js'
import { testLog } from '../../helpers/logger.js'
import { builtService } from '../../helpers/services.js'
import { tempDir } from '../../helpers/temp-dir.js'

export const COLLECTION = { chain_id: '1', token_address: '0x5af0d9827e0c53e4799bb226655a1de152a425a5' }

/** A real engine (SQLite, blockstore, Marine contracts in the sandbox) with an importer on it. */
export interface ImportRig {
  dir: string
  store: Store
  blockstore: SqliteBlockstore
  lineage: Lineage
  importer: Importer
  signer: Signer
  count(sql: string, ...params: unknown[]): number
  close(): Promise<void>
}

export async function createImportRig (): Promise<ImportRig> {
  const t = tempDir()
  const store = createStore({ log: testLog }, { dataDir: t.dir })
  store.start()
  const sandbox: ContractSandbox = createContractSandbox({ log: testLog }, { callTimeoutMs: 2000 })
  for (const id of ['open', 'erc721']) await sandbox.load(id, builtService(id))
  const keysService: MarineServiceHandle = await loadMarineService(builtService('keys'), 'keys')
  const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
  const lineage = createLineage({ store, blockstore, sandbox, keys: keysCheckedAgainstService(keysService), log: testLog })
  lineage.start()
  const importer = createImporter({ lineage, store, blockstore, log: testLog })
  importer.start()
  const signer = createSigner('creator', 'secp256k1', secp256k1.utils.randomSecretKey())
  return {
    dir: t.dir,
    store,
    blockstore,
    lineage,
    importer,
    signer,
    count: (sql, ...params) => (store.db.prepare(sql).get(...params) as { n: number }).n,
    async close () {
      await importer.stop()
      await lineage.stop()
      await sandbox.stop()
      keysService.terminate()
      store.stop()
      t.cleanup()
    },
  }
}
