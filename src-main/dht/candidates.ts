import type { Database } from 'better-sqlite3'
import { ledgerReads } from '../lineage/tokens/index.js'

/**
 * What the node announces on the DHT, in priority order, at most `limit` CIDs per run:
 * 1. `roots` given by the node: the values of its IPNS names (each its latest snapshot);
 * 2. pinned roots, newest first: snapshots (pinned when made) and whatever the owner pinned;
 * 3. collections' slot heads (each token's current versions), most recently changed first.
 * Never every block: a peer that finds one of these CIDs is connected to us, and bitswap then
 * fetches the rest of the DAG (a snapshot's entries, older versions) over that connection.
 * Rows are read `batch` at a time (keyset paging), so a run never holds more than a batch.
 */
export function* provideCandidates (db: Database, roots: () => string[], limit: number, batch: number): Generator<string[]> {
  const seen = new Set<string>()
  let left = limit
  const take = function * (cids: string[]): Generator<string[]> {
    const fresh: string[] = []
    for (const cid of cids) {
      if (fresh.length >= left || seen.has(cid)) continue
      seen.add(cid)
      fresh.push(cid)
    }
    left -= fresh.length
    if (fresh.length > 0) yield fresh
  }
  const given = roots()
  for (let i = 0; i < given.length && left > 0; i += batch) yield * take(given.slice(i, i + batch))

  const pinPage = db.prepare(`SELECT cid, created_at FROM pins WHERE (created_at, cid) < (?, ?)
    ORDER BY created_at DESC, cid DESC LIMIT ?`)
  let after: [number, string] = [Number.MAX_SAFE_INTEGER, '\uffff']
  while (left > 0) {
    const rows = pinPage.all(...after, batch) as Array<{ cid: string, created_at: number }>
    if (rows.length === 0) break
    yield * take(rows.map(r => r.cid))
    const last = rows.at(-1) as { cid: string, created_at: number }
    after = [last.created_at, last.cid]
  }

  const headPage = ledgerReads(db).slotHeadsNewestBefore
  after = [Number.MAX_SAFE_INTEGER, '\uffff']
  while (left > 0) {
    const rows = headPage.all(...after, batch)
    if (rows.length === 0) break
    yield * take(rows.map(r => r.head_cid))
    const last = rows.at(-1) as { head_cid: string, updated_at: number }
    after = [last.updated_at, last.head_cid]
  }
}
