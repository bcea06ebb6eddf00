import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { ImportEvent } from '../lineage/import/index.js'
import { IMPORT_PROGRESS_EVENT } from '../lineage/import/index.js'

/**
 * Collects the main thread's garbage in full every `everyItems` items an import reports done.
 *
 * A long import allocates steadily and keeps little: V8 then lets the old generation grow to a
 * few times what is live before a full collection, and the process's peak follows the limit, not
 * the live data. A full collection now and then (a few ms for this heap) keeps the peak near what
 * is live: about 45 MiB less for 100,000 files, for no measurable CPU (docs/BENCHMARKS.md,
 * "Where memory goes"). A hard heap cap would do the same but end an import that needs more.
 */
export class ImportHeapCollector {
  private readonly collect: () => void
  private next: number | undefined
  /** Full collections made so far. */
  collections = 0

  constructor (private readonly everyItems: number) {
    // `gc` exists only in contexts made after the flag is set; the flag is put back at once.
    setFlagsFromString('--expose-gc')
    this.collect = runInNewContext('gc') as () => void
    setFlagsFromString('--no-expose-gc')
  }

  /** Listens to an importer's events (`importer.on('event', collector.onEvent)`). */
  readonly onEvent = (event: ImportEvent): void => {
    if (event.type !== IMPORT_PROGRESS_EVENT) return
    // A resumed job starts counting where it stopped: the first event sets the first mark.
    this.next ??= event.done + this.everyItems
    if (event.done < this.next) return
    this.next = event.done + this.everyItems
    this.collections++
    this.collect()
  }
}
