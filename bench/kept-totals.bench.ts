// What the kept totals and token id index (store migration 15) cost a write: the rows the
// validator writes for a new token (a transaction, a version block, a slot), in commits of 256
// tokens as the import groups them, at schema 14 (the anchor) and at the latest schema, alternated,
// three rounds. CPU time is the steadier measure on a shared machine; wall time includes fsyncs.
// The whole import (bench/import.bench.ts) costs about 1 ms a document; the difference here is
// what the triggers add to it.
import { performance } from 'node:perf_hooks'
import { describe, test } from 'vitest'
import { createStore, LATEST_SCHEMA_VERSION, MIGRATIONS } from '../src-main/store/index.js'
import { testLog } from '../test/helpers/logger.js'
import { tempDir } from '../test/helpers/temp-dir.js'

const TOKENS = 20_000
const GROUP = 256

function writeTokens (version: number): { wallMicros: number, cpuMicros: number } {
  const dir = tempDir()
  const store = createStore({ log: testLog }, { dataDir: dir.dir, migrations: MIGRATIONS.slice(0, version) })
  store.start()
  const db = store.db
  const slot = db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
    VALUES (?, 'erc721', 'pk', '', 'v1', 'tk', ?, ?, 0, ?, 0)`)
  const tx = db.prepare(`INSERT INTO transactions (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
    VALUES (?, 'metadata', 'erc721', 'tk', ?, '1', '0x', ?, '', 'v1', 'pk', ?, '{}', '', 'sig', 0, 'applied')`)
  const block = db.prepare('INSERT INTO blocks (multihash, codec, bytes, size, created_at) VALUES (?, 113, ?, 300, 0)')
  const bytes = Buffer.alloc(300)
  const started = performance.now()
  const cpu = process.cpuUsage()
  for (let g = 0; g < TOKENS; g += GROUP) {
    db.transaction(() => {
      for (let i = g; i < Math.min(TOKENS, g + GROUP); i++) {
        const id = String(i + 1)
        const hash = `h${id.padStart(63, '0')}`
        const dataKey = `dk${id.padStart(62, '0')}`
        tx.run(hash, dataKey, id, `n${id}`)
        block.run(Buffer.from(`mh${id.padStart(32, '0')}`), bytes)
        slot.run(dataKey, id, `bafy${id.padStart(55, '0')}`, hash)
      }
    })()
  }
  const used = process.cpuUsage(cpu)
  const wallMicros = (performance.now() - started) * 1000 / TOKENS
  store.stop()
  dir.cleanup()
  return { wallMicros, cpuMicros: (used.user + used.system) / TOKENS }
}

describe('kept totals: write cost', () => {
  test(`${TOKENS.toLocaleString('en-US')} new tokens, schema 14 vs ${LATEST_SCHEMA_VERSION}`, () => {
    const rows: string[] = []
    for (let round = 1; round <= 3; round++) {
      const before = writeTokens(14)
      const after = writeTokens(LATEST_SCHEMA_VERSION)
      rows.push(`| ${round} | ${before.cpuMicros.toFixed(1)} µs | ${after.cpuMicros.toFixed(1)} µs | +${(after.cpuMicros - before.cpuMicros).toFixed(1)} µs | ${before.wallMicros.toFixed(1)} µs | ${after.wallMicros.toFixed(1)} µs |`)
    }
    console.log([
      '',
      `### Writing a new token's rows (transaction, block, slot), commits of ${GROUP}: schema 14 (anchor) vs ${LATEST_SCHEMA_VERSION}`,
      '',
      `| round | CPU, schema 14 | CPU, schema ${LATEST_SCHEMA_VERSION} | added | wall, schema 14 | wall, schema ${LATEST_SCHEMA_VERSION} |`,
      '|---|---:|---:|---:|---:|---:|',
      ...rows,
      '',
    ].join('\n'))
  }, 600_000)
})
