// A node data dir holding one collection of any size, made from the 100,000-token
// collection bench/gateway-scale.bench.ts imports and formats (under the system temp dir; run that
// bench once first). The source is copied, never changed.
//
// - Fewer tokens: the copy's tokens above the size are deleted (slots, transactions, receipts,
//   kept documents); their blocks stay, so node totals count more blocks than tokens need.
// - More tokens: the source's tokens are copied into the same collection with ids shifted by
//   100,000 per copy (token 5 becomes 100005, 200005, …), each copy with its own data_key,
//   transaction hash and nonce, sharing the source token's version blocks and kept document.
//   Bench only: those keys are not derived from the ids (reads never derive them back), and a
//   copy's document names its source token, and so does its browse card (its traits are the
//   source's). Every read path sees one collection of that size.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createStore } from '../../src-main/store/index.js'
import { testLog } from '../../test/helpers/logger.js'

export const SOURCE_TOKENS = 100_000
export const SOURCE_DIR = path.join(os.tmpdir(), `lineage-gateway-scale-${SOURCE_TOKENS}`, 'node')
/** The collection's contract address in the source (bench/gateway-scale.bench.ts). */
export const ADDRESS = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'

export interface ScaledStore {
  dataDir: string
  tokenKey: string
  /** Opening the copy: the migrations the source had not run yet (migration 15's fill, first). */
  migrateMs: number
  /** Deleting or copying rows to reach the size. */
  scaleMs: number
}

export function scaledStore (dir: string, tokens: number): ScaledStore {
  if (!fs.existsSync(path.join(SOURCE_DIR, '..', 'ready'))) {
    throw new Error(`${SOURCE_DIR} is missing: run \`npm run bench -- bench/gateway-scale.bench.ts\` once to import and format it`)
  }
  if (tokens % SOURCE_TOKENS !== 0 && tokens > SOURCE_TOKENS) throw new Error(`above ${SOURCE_TOKENS}, sizes are multiples of it; got ${tokens}`)
  const dataDir = path.join(dir, `node-${tokens}`)
  // A size above the source takes minutes to make (about 9 for 1,000,000 on 2 shared cores): it
  // is made once under the temp dir and copied by later runs, as the source itself is.
  // (-2: made with the browse cards; one made before them is not reused.)
  const kept = path.join(os.tmpdir(), `lineage-reads-scale-${tokens}-2`)
  if (tokens > SOURCE_TOKENS && fs.existsSync(path.join(kept, 'ready'))) {
    const tokenKey = fs.readFileSync(path.join(kept, 'ready'), 'utf8')
    const started = performance.now()
    fs.cpSync(path.join(kept, 'node'), dataDir, { recursive: true })
    return { dataDir, tokenKey, migrateMs: 0, scaleMs: performance.now() - started }
  }
  fs.cpSync(SOURCE_DIR, dataDir, { recursive: true })
  let started = performance.now()
  const store = createStore({ log: testLog }, { dataDir })
  store.start()
  const migrateMs = performance.now() - started
  const db = store.db
  const tokenKey = db.prepare('SELECT token_key FROM contract_bindings').pluck().get() as string
  started = performance.now()
  if (tokens < SOURCE_TOKENS) {
    db.transaction(() => {
      db.prepare('DELETE FROM receipt_rows WHERE seq IN (SELECT seq FROM transactions WHERE token_key = ? AND method = \'metadata\' AND CAST(token_id AS INTEGER) > ?)').run(tokenKey, tokens)
      db.prepare('DELETE FROM transactions WHERE token_key = ? AND method = \'metadata\' AND CAST(token_id AS INTEGER) > ?').run(tokenKey, tokens)
      db.prepare('DELETE FROM slots WHERE token_key = ? AND CAST(token_id AS INTEGER) > ?').run(tokenKey, tokens)
    })()
  }
  // The browse index's cards are copied too (their text index rows by its trigger), with the
  // trait counts made again once at the end.
  const cardCollections = `SELECT id FROM card_collections WHERE token_key = '${tokenKey}'`
  for (let k = 1; k < tokens / SOURCE_TOKENS; k++) {
    const id = `CAST(CAST(token_id AS INTEGER) + ${k * SOURCE_TOKENS} AS TEXT)`
    const source = `token_key = '${tokenKey}'`
    db.transaction(() => {
      db.exec(`
        INSERT INTO transactions (hash, method, meta_contract_id, token_key, data_key, chain_id, token_address, token_id, alias, version, public_key, nonce, data, mcdata, signature, timestamp, status)
          SELECT hash || '.${k}', method, meta_contract_id, token_key, data_key || '.${k}', chain_id, token_address, ${id}, alias, version, public_key, nonce || '.${k}', data, mcdata, signature, timestamp, status
          FROM transactions WHERE ${source} AND method = 'metadata' AND instr(hash, '.') = 0;
        INSERT INTO receipt_rows (seq, status, reason, heads, timestamp, unchanged)
          SELECT c.seq, r.status, r.reason, r.heads, r.timestamp, r.unchanged FROM receipt_rows r
          JOIN transactions t ON t.seq = r.seq JOIN transactions c ON c.hash = t.hash || '.${k}'
          WHERE t.${source} AND t.method = 'metadata' AND instr(t.hash, '.') = 0;
        INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
          SELECT data_key || '.${k}', meta_contract_id, public_key, alias, version, token_key, ${id}, head_cid, loose, last_tx || '.${k}', updated_at
          FROM slots WHERE ${source} AND instr(data_key, '.') = 0;
        INSERT INTO token_documents (dictionary, token_id, data_key, meta_contract_id, etag, body)
          SELECT dictionary, ${id}, data_key || '.${k}', meta_contract_id, etag, body
          FROM token_documents WHERE dictionary IN (SELECT id FROM document_dictionaries WHERE ${source}) AND instr(data_key, '.') = 0;
        INSERT INTO token_cards (collection, data_key, token_id, name, description, image, traits, updated_at)
          SELECT collection, data_key || '.${k}', ${id}, name, description, image, traits, updated_at
          FROM token_cards WHERE collection IN (${cardCollections}) AND instr(data_key, '.') = 0;
        INSERT INTO token_traits (value_id, card)
          SELECT t.value_id, c.id FROM token_cards s JOIN token_traits t ON t.card = s.id
          JOIN token_cards c ON c.data_key = s.data_key || '.${k}' AND c.collection = s.collection
          WHERE s.collection IN (${cardCollections}) AND instr(s.data_key, '.') = 0;
      `)
    })()
  }
  if (tokens > SOURCE_TOKENS) {
    db.prepare(`UPDATE trait_values SET tokens = (SELECT count(*) FROM token_traits WHERE value_id = trait_values.id) WHERE collection IN (${cardCollections})`).run()
  }
  const scaleMs = performance.now() - started
  const held = db.prepare('SELECT tokens FROM collection_totals WHERE token_key = ?').pluck().get(tokenKey)
  if (held !== tokens) throw new Error(`scaled store holds ${String(held)} tokens, not ${tokens}`)
  store.stop()
  if (tokens > SOURCE_TOKENS) {
    fs.rmSync(kept, { recursive: true, force: true })
    fs.mkdirSync(kept, { recursive: true })
    fs.cpSync(dataDir, path.join(kept, 'node'), { recursive: true })
    fs.writeFileSync(path.join(kept, 'ready'), tokenKey)
  }
  return { dataDir, tokenKey, migrateMs, scaleMs }
}
