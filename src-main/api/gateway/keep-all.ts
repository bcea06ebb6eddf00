import type { DocumentStore } from './stored-documents.js'
import type { TokenDocuments } from './token-documents.js'

export interface KeepAllOptions {
  signal: AbortSignal
  /** Longest run of formatting before the event loop gets a turn (ms). */
  sliceMs: number
  /** Slot rows read per query. */
  pageRows: number
  /** Waits between slices: gives reads the event loop first (`ReadTurns`). */
  pause: () => Promise<void>
}

/**
 * Makes and keeps the document of every token that has no current kept one, so that a read of
 * any token, right after a restart too, is a SQLite read and never a format. Nothing is put in
 * the memory cache: that holds what readers ask for. Walks the slots in data_key order, a keyset
 * page per query, a time slice per turn. Resolves to the number of documents made.
 */
export async function keepAll (stored: DocumentStore, documents: TokenDocuments, { signal, sliceMs, pageRows, pause }: KeepAllOptions): Promise<number> {
  let after = ''
  let made = 0
  // A token's slot rows are adjacent and all say "not kept": it is made for the first one only.
  let last = ''
  let sliceStart = performance.now()
  while (!signal.aborted) {
    const rows = stored.slotsToKeep(after, pageRows)
    for (const row of rows) {
      if (row.kept || row.dataKey === last) continue
      last = row.dataKey
      if (documents.keep(row.tokenKey, row.tokenId, row.dataKey, row.metaContractId)) made++
      if (performance.now() - sliceStart >= sliceMs) {
        await pause()
        if (signal.aborted) return made
        sliceStart = performance.now()
      }
    }
    if (rows.length < pageRows) break
    after = rows[rows.length - 1]?.dataKey ?? after
    if (performance.now() - sliceStart >= sliceMs) {
      await pause()
      sliceStart = performance.now()
    }
  }
  return made
}
