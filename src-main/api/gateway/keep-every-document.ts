import type { Database } from 'better-sqlite3'
import type { Lineage } from '../../lineage/engine/index.js'
import type { MetadataFormatter } from '../../marine/index.js'
import { BACKGROUND_PAGE_ROWS, KEEP_EVERY_SLICE_MS, KEY_MEMO_ENTRIES } from './constants.js'
import { keepAll } from './keep-all.js'
import { createDocumentStore } from './stored-documents.js'
import { TokenDocuments } from './token-documents.js'

export interface KeepEveryDocumentComponents {
  db: Database
  lineage: Lineage
  formatter: MetadataFormatter
  /** The formatter build's id, as the node keeps documents under it (token_documents.formatter). */
  formatterId: string
}

export interface KeepEveryDocumentOptions {
  signal: AbortSignal
  /** Told the documents made so far, a few times a second. */
  onProgress?: (made: number) => void
}

/**
 * Makes and keeps the gateway's document of every token that has no current one, now, as a
 * node's first start otherwise does in the background: for a process that has just written many
 * tokens and ends (an offline import), so that the node started on the data dir afterwards has
 * nothing left to format. Nothing is read back, so no memory cache is kept. Stopped by `signal`,
 * it keeps what it made; a node's start makes the rest. Resolves to the number of documents made.
 */
export async function keepEveryDocument (components: KeepEveryDocumentComponents, options: KeepEveryDocumentOptions): Promise<number> {
  const { db, lineage, formatter, formatterId } = components
  const stored = createDocumentStore(db, { formatterId })
  const documents = new TokenDocuments({ lineage, formatter, stored }, { maxDocuments: 1, maxKeys: KEY_MEMO_ENTRIES })
  documents.start()
  try {
    return await keepAll(stored, documents, {
      signal: options.signal,
      sliceMs: KEEP_EVERY_SLICE_MS,
      pageRows: BACKGROUND_PAGE_ROWS,
      pause: async () => { await new Promise(resolve => setImmediate(resolve)) },
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    })
  } finally {
    documents.stop()
    stored.flush()
    stored.releaseMemory()
  }
}
