import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Search } from '../../lineage/search/index.js'
import type { DocumentStore } from './stored-documents.js'
import type { TokenDocuments } from './token-documents.js'

export interface WarmUpOptions {
  signal: AbortSignal
  /** Longest run of formatting before the event loop gets a turn (ms). */
  sliceMs: number
  /** Slot rows read per query. */
  pageRows: number
}

/**
 * Formats the documents of the tokens this node holds before anyone asks, so the first crawl after
 * a start is answered from memory. Walks the slots in data_key order, in keyset pages (each page
 * costs the same however far the walk is), a time slice per event-loop turn so reads keep being
 * answered meanwhile, and stops when the cache is full, the slots run out, or the signal aborts.
 * Resolves to the number of slot rows looked at.
 */
export async function warmUp (search: Search, documents: TokenDocuments, { signal, sliceMs, pageRows }: WarmUpOptions): Promise<number> {
  let after = ''
  let rowsSeen = 0
  let sliceStart = performance.now()
  while (!signal.aborted) {
    const rows = search.slots({ query: [{ column: 'data_key', op: '>', query: after }], ordering: [{ column: 'data_key', sort: 'asc' }], to: pageRows })
    if (rows.length === 0) break
    for (const row of rows) {
      if (!documents.warm(row.token_key, row.token_id, row.data_key, row.meta_contract_id)) return rowsSeen
      rowsSeen++
      if (performance.now() - sliceStart >= sliceMs) {
        await nextTurn()
        if (signal.aborted) return rowsSeen
        sliceStart = performance.now()
      }
    }
    // A token's slots are adjacent in this order; one cut by the page end has been looked at.
    after = rows[rows.length - 1]?.data_key ?? after
  }
  return rowsSeen
}

/**
 * Puts the documents kept from an earlier run (those still current) in memory, page by page, a
 * time slice per event-loop turn. Stops when the cache is full or the signal aborts. Resolves to
 * the number of documents taken.
 */
export async function loadStored (stored: DocumentStore, documents: TokenDocuments, { signal, sliceMs, pageRows }: WarmUpOptions): Promise<number> {
  let after = ''
  let taken = 0
  let sliceStart = performance.now()
  while (!signal.aborted) {
    const { documents: page, last } = stored.page(after, pageRows)
    for (const document of page) {
      if (!documents.prime(document)) return taken
      taken++
    }
    if (last === undefined || page.length < pageRows) break
    after = last
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn()
      sliceStart = performance.now()
    }
  }
  return taken
}

/**
 * Makes and keeps the document of every token that has no current kept one (the warm-up stops
 * when the cache is full; this does not), so that a read of any token, right after a restart too,
 * is a SQLite read and never a format. Walks the slots in data_key order, a keyset page per query,
 * a time slice per event-loop turn. Resolves to the number of documents made.
 */
export async function keepAll (stored: DocumentStore, documents: TokenDocuments, { signal, sliceMs, pageRows }: WarmUpOptions): Promise<number> {
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
        await nextTurn()
        if (signal.aborted) return made
        sliceStart = performance.now()
      }
    }
    if (rows.length < pageRows) break
    after = rows[rows.length - 1]?.dataKey ?? after
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn()
      sliceStart = performance.now()
    }
  }
  return made
}
