import type { ComponentLogger } from '@libp2p/logger'
import { RESERVED_SERVICE_IDS } from '../fluence/constants.js'
import { createContracts } from '../lineage/contracts/index.js'
import type { Contracts } from '../lineage/contracts/index.js'
import { createLineage } from '../lineage/engine/index.js'
import type { Lineage } from '../lineage/engine/index.js'
import { createImporter } from '../lineage/import/index.js'
import type { Importer } from '../lineage/import/index.js'
import type { Pins } from '../lineage/pins/index.js'
import { ledgerReads } from '../lineage/tokens/index.js'
import { createContractSandbox, keysCheckedAgainstService } from '../marine/index.js'
import type { ContractSandbox } from '../marine/index.js'
import { createBlockstore } from '../store/index.js'
import type { SqliteBlockstore, Store } from '../store/index.js'
import { loadMarineService } from '../../services/toolchain/index.js'
import type { MarineServiceHandle } from '../../services/toolchain/index.js'
import { BUILTIN_CONTRACTS } from './constants.js'
import type { Part } from './parts.js'
import { readService } from './services.js'

export interface EngineParts {
  keysService: MarineServiceHandle
  sandbox: ContractSandbox
  blockstore: SqliteBlockstore
  contracts: Contracts
  lineage: Lineage
}

/**
 * The engine and what it stands on, as a node and an import session open them alike: the `keys`
 * Marine service (in this thread; it checks the JS key derivation the engine uses), the contract
 * sandbox with the built-in contracts (untrusted code runs in its workers, with time and memory
 * budgets), the blockstore, the deployed contracts, and the engine, started. Each part goes
 * through `startPart`, whose owner stops them.
 */
export async function startEngineParts (
  { store, servicesDir, logger, wire }: { store: Store, servicesDir: string, logger: ComponentLogger, wire?: (lineage: Lineage) => void },
  startPart: (part: Part) => Promise<void>,
): Promise<EngineParts> {
  const keysService = await loadMarineService(readService(servicesDir, 'keys'), 'keys')
  await startPart({ name: 'keys service', start: () => {}, stop: () => { keysService.terminate() } })
  const sandbox = createContractSandbox({ log: logger.forComponent('lineage:marine') })
  await startPart({
    name: 'contract sandbox',
    start: () => { for (const id of BUILTIN_CONTRACTS) sandbox.register(id, readService(servicesDir, id)) },
    stop: () => sandbox.stop(),
  })
  // Version blocks are kept without their transaction's copies, rebuilt from its row on reads.
  const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
  // A deployed contract can be called by id on Fluence: none may take the id of a service hosted there.
  const contracts = createContracts({ store, blockstore, sandbox, log: logger.forComponent('lineage:contracts') }, BUILTIN_CONTRACTS, { reservedIds: RESERVED_SERVICE_IDS })
  await contracts.loadDeployed()
  const lineage = createLineage({ store, blockstore, sandbox, keys: keysCheckedAgainstService(keysService), log: logger.forComponent('lineage:engine') })
  // Before the validator starts: a binding a crash left pending is judged with the chain wired.
  wire?.(lineage)
  await startPart({ name: 'lineage', start: () => { lineage.start() }, stop: () => lineage.stop() })
  return { keysService, sandbox, blockstore, contracts, lineage }
}

/** The importer of a node: a CAR backup carries the contracts its collections need and the pins it kept, restored here. */
export function createNodeImporter ({ store, blockstore, contracts, lineage, pins, logger }: Omit<EngineParts, 'keysService' | 'sandbox'> & { store: Store, pins: Pins, logger: ComponentLogger }): Importer {
  return createImporter({
    lineage,
    store,
    blockstore,
    log: logger.forComponent('lineage:import'),
    restore: {
      contractCid: id => contracts.list().find(c => c.meta_contract_id === id)?.cid,
      deployContract: async (id, wasm, name) => { await contracts.deploy(id, wasm, name) },
      pin: async (cid, { recursive, name, signal }) => { await pins.add(cid, { recursive, name, signal }) },
    },
  })
}
