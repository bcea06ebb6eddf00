import type { DocumentStore } from './stored-documents.js'
import type { TokenDocuments } from './token-documents.js'
import { KEEP_CHECK_ROWS } from './constants.js'

export interface KeepAllOptions {
  signal: AbortSignal
  /** Longest run of formatting before the event loop gets a turn (ms). */
  sliceMs: number
  /** Tokens read per query. */
  pageRows: number
  /** Waits between slices: gives reads the event loop first (`ReadTurns`). */
  pause: () => Promise<void>
}

/**
 * Makes and keeps the document of every token that has no current kept one, so that a read of
 * any token, right after a restart too, is a SQLite read and never a format. Nothing is put in
 * the memory cache: that holds what readers ask for. Walks the tokens in id order (token_index):
 * spans of KEEP_CHECK_ROWS tokens whose missing documents SQLite counts, and keyset pages of the
 * spans that lack some; a time slice per turn. Resolves to the number of documents made.
 */
export async function keepAll (stored: DocumentStore, documents: TokenDocuments, { signal, sliceMs, pageRows, pause }: KeepAllOptions): Promise<number> {
  // After a restart, or an import whose documents were all kept, a count per collection says so.
  if (stored.allKept()) return 0
  let after = 0
  let made = 0
  // A token's slot rows are adjacent and all say "not kept": it is made for the first one only.
  let last = ''
  let sliceStart = performance.now()
  const turn = async (): Promise<void> => {
    if (performance.now() - sliceStart < sliceMs) return
    await pause()
    sliceStart = performance.now()
  }
  while (!signal.aborted) {
    // Most spans lack nothing (after an import that kept them, or a restart): counted, not read.
    const span = stored.unkeptIn(after, KEEP_CHECK_ROWS)
    if (span.last === null) break
    for (let from = after; span.unkept > 0 && from < span.last && !signal.aborted;) {
      const rows = stored.slotsToKeep(from, pageRows)
      for (const row of rows) {
        if (row.token > span.last) break
        if (row.kept || row.dataKey === last) continue
        last = row.dataKey
        if (documents.keep(row.tokenKey, row.tokenId, row.dataKey, row.metaContractId)) made++
        await turn()
        if (signal.aborted) return made
      }
      if (rows.length < pageRows) break
      from = rows[rows.length - 1]?.token ?? span.last
    }
    after = span.last
    await turn()
  }
  return made
}
