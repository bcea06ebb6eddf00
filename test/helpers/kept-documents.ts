import type { Database } from 'better-sqlite3'
import { KeptDocumentCodec } from '../../src-main/lineage/tokens/kept-document-codec.js'

/** A row of token_documents (store migration 27) with its document inflated again. */
export interface KeptDocumentRow {
  dataKey: string
  tokenKey: string
  tokenId: string
  metaContractId: string
  /** The formatter build that made it (its dictionary's). */
  formatter: string
  etag: string
  json: string
}

/** Every kept document, in data_key order, as the tests look at them: inflated, with their formatter build. */
export function keptDocuments (db: Database): KeptDocumentRow[] {
  const codec = new KeptDocumentCodec(db)
  const rows = db.prepare(`SELECT d.data_key AS dataKey, x.token_key AS tokenKey, d.token_id AS tokenId, d.meta_contract_id AS metaContractId,
      x.formatter, d.etag, d.dictionary, d.body
    FROM token_documents d JOIN document_dictionaries x ON x.id = d.dictionary ORDER BY d.data_key`).all() as Array<Omit<KeptDocumentRow, 'json'> & { dictionary: number, body: Buffer }>
  return rows.map(({ dictionary, body, ...row }) => ({ ...row, json: codec.expand(dictionary, body) }))
}

/** The kept JSON of a token (by data_key), if any. */
export function keptJson (db: Database, dataKey: string): string | undefined {
  return keptDocuments(db).find(d => d.dataKey === dataKey)?.json
}

/** Overwrites a kept document's JSON in place (a marker a test then looks for in what is served). */
export function overwriteKeptJson (db: Database, dataKey: string, json: string): void {
  const codec = new KeptDocumentCodec(db)
  const dictionary = db.prepare('SELECT dictionary FROM token_documents WHERE data_key = ?').pluck().get(dataKey) as number | undefined
  if (dictionary === undefined) throw new Error(`no kept document for ${dataKey}`)
  db.prepare('UPDATE token_documents SET body = ? WHERE data_key = ?').run(codec.compress(dictionary, json), dataKey)
}
