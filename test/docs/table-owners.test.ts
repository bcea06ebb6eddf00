import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script, typed by its use here
import { ENGINE_TABLES as ENGINE_TABLES_JS, tableOwners as tableOwnersJs } from '../../scripts/table-owners.mjs'

const ENGINE_TABLES = ENGINE_TABLES_JS as string[]
const tableOwners = tableOwnersJs as () => Record<string, string[]>

/**
 * Who may put SQL to the engine's tables (docs/ARCHITECTURE.md, "Who owns which table"): the
 * engine writes them, lineage/tokens reads them for everyone else (`ledgerReads(db)`), the store's
 * blockstore and the starting listener included. A new reader elsewhere fails here: ask the read
 * model, or add the query to it.
 */
const WRITE_PATH = ['src-main/lineage/engine/convergence.ts', 'src-main/lineage/engine/ledger.ts', 'src-main/lineage/engine/mint-writes.ts']
const READ_MODEL = ['src-main/lineage/tokens/ledger-reads.ts', 'src-main/lineage/tokens/tables.ts']
describe('one owner per engine table', () => {
  const owners = tableOwners()

  it.each(['transactions', 'slots', 'receipts', 'receipt_rows', 'contract_bindings', 'token_index', 'token_documents'])('%s is queried only by the engine and its read model', table => {
    const allowed = new Set([...WRITE_PATH, ...READ_MODEL])
    expect((owners[table] ?? []).filter(file => !allowed.has(file))).toEqual([])
  })

  it('finds the owners it is meant to find (the scan still sees SQL)', () => {
    expect(ENGINE_TABLES).toContain('slots')
    expect(owners.slots).toEqual(expect.arrayContaining([...WRITE_PATH, ...READ_MODEL]))
    expect(owners.transactions).toContain('src-main/lineage/tokens/ledger-reads.ts')
  })
})
