import type { ComponentLogger, Logger } from '@libp2p/logger'
import { RESERVED_SERVICE_IDS } from '../fluence/constants.js'
import { createContracts } from '../lineage/contracts/index.js'
import { createLineage } from '../lineage/engine/index.js'
import { createImporter } from '../lineage/import/index.js'
import type { Importer } from '../lineage/import/index.js'
import { createPins } from '../lineage/pins/index.js'
import { createContractSandbox, keysCheckedAgainstService } from '../marine/index.js'
import { createReplication } from '../replication/index.js'
import { createBlockstore, createStore } from '../store/index.js'
import { loadMarineService } from '../../services/toolchain/index.js'
import { resolveConfig } from './config.js'
import type { NodeConfigInit } from './config.js'
import { BUILTIN_CONTRACTS } from './constants.js'
import { secureDataDir } from './data-dir-modes.js'
import { NodeStateError } from './errors.js'
import { readService } from './services.js'

export interface ImportSessionComponents {
  logger: ComponentLogger
}

interface Part {
  name: string
  start(): Promise<void> | void
  stop(): Promise<void> | void
}

/**
 * What `lineage-node import` opens when no node runs on the data dir: the store, the engine with
 * its contracts, pins (a CAR restores them) and the importer, exactly as a node builds them. Not
 * the API, libp2p, Fluence, the gateway or the formatter, which an import never uses: about 1,100
 * fewer modules to load, a second less before the first item, and less memory held while it runs.
 * Replication's bookkeeping runs (without a host), so the collection written is followed as a
 * running node follows it.
 */
export class ImportSession {
  private readonly log: Logger
  private started: Part[] = []
  private importerPart: Importer | undefined

  constructor (private readonly components: ImportSessionComponents, private readonly init: Pick<NodeConfigInit, 'dataDir' | 'servicesDir'>) {
    this.log = components.logger.forComponent('lineage:import-session')
  }

  get importer (): Importer {
    if (this.importerPart === undefined) throw new NodeStateError('use the importer of', 'stopped')
    return this.importerPart
  }

  /** Opens every part in dependency order; a part that fails undoes the ones before it. */
  async start (): Promise<void> {
    if (this.importerPart !== undefined) return
    const { logger } = this.components
    const config = resolveConfig({ ...this.init, offline: true })
    try {
      secureDataDir(config.dataDir, this.log)
      const store = createStore({ log: logger.forComponent('lineage:store') }, { dataDir: config.dataDir })
      await this.startPart({ name: 'store', start: () => { store.start() }, stop: () => { store.stop() } })
      const keysService = await loadMarineService(readService(config.servicesDir, 'keys'), 'keys')
      await this.startPart({ name: 'keys service', start: () => {}, stop: () => { keysService.terminate() } })
      const sandbox = createContractSandbox({ log: logger.forComponent('lineage:marine') })
      await this.startPart({
        name: 'contract sandbox',
        start: () => { for (const id of BUILTIN_CONTRACTS) sandbox.register(id, readService(config.servicesDir, id)) },
        stop: () => sandbox.stop(),
      })
      const blockstore = createBlockstore(store)
      const contracts = createContracts({ store, blockstore, sandbox, log: logger.forComponent('lineage:contracts') }, BUILTIN_CONTRACTS, { reservedIds: RESERVED_SERVICE_IDS })
      await contracts.loadDeployed()
      const lineage = createLineage({ store, blockstore, sandbox, keys: keysCheckedAgainstService(keysService), log: logger.forComponent('lineage:engine') })
      await this.startPart({ name: 'lineage', start: () => { lineage.start() }, stop: () => lineage.stop() })
      const replication = createReplication({ store, lineage, host: undefined, log: logger.forComponent('lineage:replication') })
      await this.startPart({ name: 'replication', start: () => replication.start(), stop: () => replication.stop() })
      const pins = createPins({ store, blockstore, log: logger.forComponent('lineage:pins') })
      const importer = createImporter({
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
      await this.startPart({ name: 'import', start: () => { importer.start() }, stop: () => importer.stop() })
      this.importerPart = importer
    } catch (err) {
      await this.unwind()
      throw err
    }
  }

  /** Stops the runs in progress (their jobs can be resumed) and closes every part, last first. */
  async stop (): Promise<void> {
    await this.unwind()
  }

  private async startPart (part: Part): Promise<void> {
    await part.start()
    this.started.push(part)
  }

  private async unwind (): Promise<void> {
    for (const part of this.started.reverse()) {
      try {
        await part.stop()
      } catch (err) {
        this.log.error('stopping %s failed: %e', part.name, err)
      }
    }
    this.started = []
    this.importerPart = undefined
  }
}
