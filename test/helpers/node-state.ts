import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { LineageNode } from '../../src-main/node/index.js'

/**
 * Everything a client could see change on a node, as one comparable record: a digest of every
 * SQLite table (read-only, through the node's own connection), the files of its keystore and of
 * the given folders, and the peer and replication state the API reports.
 */
export async function nodeState (node: LineageNode, folders: readonly string[] = []): Promise<Record<string, string>> {
  const db = node.store.db
  const state: Record<string, string> = {}
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]
  for (const table of tables) {
    const hash = createHash('sha256')
    let rows = 0
    for (const row of db.prepare(`SELECT * FROM "${table}"`).raw().iterate() as Iterable<unknown[]>) {
      rows++
      for (const cell of row) hash.update(Buffer.isBuffer(cell) ? `b:${cell.toString('hex')}` : `v:${JSON.stringify(cell)}`).update('\u0001')
      hash.update('\u0002')
    }
    state[`table ${table}`] = `${rows} rows, ${hash.digest('hex')}`
  }
  for (const folder of [path.join(node.config.dataDir, 'keystore'), ...folders]) state[`files ${folder}`] = listing(folder)
  for (const method of ['peers', 'replication_status', 'follow_ls', 'remote_pin_service_ls']) {
    const answer = await node.api.dispatch({ jsonrpc: '2.0', id: 1, method }, { transport: 'ipc', authenticated: true })
    state[`rpc ${method}`] = JSON.stringify(answer)
  }
  return state
}

function listing (folder: string): string {
  if (!fs.existsSync(folder)) return '(none)'
  return fs.readdirSync(folder, { recursive: true, withFileTypes: true })
    .map(entry => {
      const full = path.join(entry.parentPath, entry.name)
      return `${path.relative(folder, full)}:${entry.isDirectory() ? 'dir' : fs.statSync(full).size}`
    })
    .sort()
    .join('\n')
}
