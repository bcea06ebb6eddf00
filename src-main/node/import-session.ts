import type { ComponentLogger, Logger } from '@libp2p/logger'
import type { Importer } from '../lineage/import/index.js'
import { createPins } from '../lineage/pins/index.js'
import { createReplication } from '../replication/index.js'
import { createStore } from '../store/index.js'
import { resolveConfig } from './config.js'
import type { NodeConfigInit } from './config.js'
import { secureDataDir } from './data-dir-modes.js'
import { createNodeImporter, startEngineParts } from './engine-parts.js'
import { IMPORT_HEAP_COLLECT_ITEMS } from './constants.js'
import { NodeStateError } from './errors.js'
import { ImportHeapCollector } from './heap-collector.js'
import { PartStack } from './parts.js'

export interface ImportSessionComponents {
  logger: ComponentLogger
}

export interface ImportSessionInit extends Pick<NodeConfigInit, 'dataDir' | 'servicesDir'> {
  /** Items an import reports done between full collections of the heap (IMPORT_HEAP_COLLECT_ITEMS). */
  heapCollectItems?: number
}

/**
 * What `lineage-node import` opens when no node runs on the data dir: the store, the engine with
 * its contracts, pins (a CAR restores them) and the importer, built as a node builds them
 * (engine-parts.ts). Not the API, libp2p, Fluence, the gateway or the formatter, which an import
 * never uses: about 1,000 fewer modules to load, a second less before the first item, and less
 * memory held while it runs. Replication's bookkeeping runs (without a host), so the collection
 * written is followed as a running node follows it.
 */
export class ImportSession {
  private readonly log: Logger
  private readonly parts: PartStack
  private importerPart: Importer | undefined
  private collector: ImportHeapCollector | undefined

  constructor (private readonly components: ImportSessionComponents, private readonly init: ImportSessionInit) {
    this.log = components.logger.forComponent('lineage:import-session')
    this.parts = new PartStack(this.log)
  }

  /** Full collections of the heap made while importing (ImportHeapCollector). */
  get heapCollections (): number {
    return this.collector?.collections ?? 0
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
    const startPart = this.parts.start.bind(this.parts)
    try {
      secureDataDir(config.dataDir, this.log)
      const store = createStore({ log: logger.forComponent('lineage:store') }, { dataDir: config.dataDir })
      await startPart({ name: 'store', start: () => { store.start() }, stop: () => { store.stop() } })
      const { blockstore, contracts, lineage } = await startEngineParts({ store, servicesDir: config.servicesDir, logger }, startPart)
      const replication = createReplication({ store, lineage, host: undefined, log: logger.forComponent('lineage:replication') })
      await startPart({ name: 'replication', start: () => replication.start(), stop: () => replication.stop() })
      const pins = createPins({ store, blockstore, log: logger.forComponent('lineage:pins') })
      const importer = createNodeImporter({ store, blockstore, contracts, lineage, pins, logger })
      await startPart({ name: 'import', start: () => { importer.start() }, stop: () => importer.stop() })
      // This process does nothing but the import: its heap is collected as the import goes.
      const collector = this.collector ?? new ImportHeapCollector(this.init.heapCollectItems ?? IMPORT_HEAP_COLLECT_ITEMS)
      this.collector = collector
      await startPart({ name: 'heap collector', start: () => { importer.on('event', collector.onEvent) }, stop: () => { importer.off('event', collector.onEvent) } })
      this.importerPart = importer
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  /** Stops the runs in progress (their jobs can be resumed) and closes every part, last first. */
  async stop (): Promise<void> {
    this.importerPart = undefined
    await this.parts.unwind()
  }
}
