#!/usr/bin/env node
// Which modules of src-main put SQL to each engine table. Issue 20 §2 wants each table read and
// written through one owning module; this prints table → modules so the count can be watched.
// A module "queries" a table when its source names it after an SQL keyword (FROM, JOIN, INTO,
// UPDATE, ON, TABLE): comments and prose rarely spell SQL in capitals, so the count stays honest.
// Migrations (the schema's history) are left out: they create tables, they do not query them.
//
//   node scripts/table-owners.mjs          table → modules, one table a line
//   node scripts/table-owners.mjs --json   the same as JSON (the test reads this)
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The engine's tables: what it writes when a transaction is published and applied. */
export const ENGINE_TABLES = [
  'transactions', 'slots', 'receipts', 'receipt_rows', 'contract_bindings', 'token_index',
  'token_documents', 'blocks', 'meta_contracts',
]

/** Schema files: their SQL creates tables and triggers, it does not query them at run time. */
const SCHEMA_FILES = new Set([
  'src-main/store/migrations.ts', 'src-main/store/read-totals.ts',
  'src-main/store/token-page-index.ts', 'src-main/store/chain-watcher.ts',
  'src-main/store/browse-index.ts', 'src-main/store/browse-index-slim.ts', 'src-main/store/mint-writes.ts',
  'src-main/store/chain-reveal.ts', 'src-main/store/card-id-key.ts', 'src-main/store/card-changes.ts',
  'src-main/store/document-dictionaries.ts',
])

const root = join(fileURLToPath(import.meta.url), '..', '..')

function sourceFiles (dir) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(path))
    else if (/\.(c|m)?ts$/.test(entry.name)) out.push(path)
  }
  return out
}

/** Table → sorted list of the src-main files (relative to the repo) that query it. */
export function tableOwners (tables = ENGINE_TABLES) {
  const owners = Object.fromEntries(tables.map((table) => [table, []]))
  for (const file of sourceFiles(join(root, 'src-main'))) {
    const name = relative(root, file).split('\\').join('/')
    if (SCHEMA_FILES.has(name)) continue
    const text = readFileSync(file, 'utf8')
    for (const table of tables) {
      const sql = new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|ON|TABLE)\\s+${table}\\b(?!\\.)`)
      if (sql.test(text)) owners[table].push(name)
    }
  }
  for (const table of tables) owners[table].sort()
  return owners
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const owners = tableOwners()
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(owners, null, 2) + '\n')
  } else {
    for (const [table, files] of Object.entries(owners)) {
      const folders = new Set(files.map((file) => file.split('/').slice(0, -1).join('/')))
      process.stdout.write(`${table}: ${files.length} modules in ${folders.size} folders\n`)
      for (const file of files) process.stdout.write(`  ${file}\n`)
    }
  }
}
