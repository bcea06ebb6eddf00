import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { Database, Statement } from 'better-sqlite3'

/**
 * A dictionary is made from a collection's first documents, this many bytes of them at most: on
 * 500-byte documents 2 KiB deflates them as well as 4 KiB within 6 bytes, and inflates faster
 * (zlib copies the dictionary into its window on every read).
 */
export const DICTIONARY_MAX_BYTES = 2048

/** Output chunk of an inflate (zlib's default is 16 KiB). */
const INFLATE_CHUNK_BYTES = 1024

/**
 * Kept documents deflated against a dictionary of their collection (store migration 27, table
 * `document_dictionaries`). The documents of one collection share most of their bytes (keys,
 * description, trait names, the image's prefix), so DEFLATE with a preset dictionary made from
 * the first of them stores each in a few dozen bytes. Dictionaries never change once written, so
 * each connection holds the ones it has used.
 */
export class KeptDocumentCodec {
  private readonly bytesById = new Map<number, Buffer>()
  /** formatter build → token_key → dictionary id. */
  private readonly idByCollection = new Map<string, Map<string, number>>()
  private readonly byId: Statement<[number], Buffer>
  private readonly byCollection: Statement<[string, string], number>
  private readonly insert: Statement<[string, string, Buffer], number>

  constructor (db: Database) {
    this.byId = db.prepare<[number], Buffer>('SELECT bytes FROM document_dictionaries WHERE id = ?').pluck()
    this.byCollection = db.prepare<[string, string], number>('SELECT id FROM document_dictionaries WHERE token_key = ? AND formatter = ?').pluck()
    this.insert = db.prepare<[string, string, Buffer], number>('INSERT INTO document_dictionaries (token_key, formatter, bytes) VALUES (?, ?, ?) RETURNING id').pluck()
  }

  /**
   * The dictionary of a collection's documents made by a formatter build, if one was made. Not
   * held when missing: another connection may make it.
   */
  dictionary (tokenKey: string, formatter: string): number | undefined {
    let id = this.idByCollection.get(formatter)?.get(tokenKey)
    if (id === undefined) {
      id = this.byCollection.get(tokenKey, formatter)
      if (id !== undefined) this.remember(tokenKey, formatter, id)
    }
    return id
  }

  /** The collection's dictionary, made from `samples` (its documents, the first few) when it has none. */
  dictionaryFor (tokenKey: string, formatter: string, samples: readonly string[]): number {
    const found = this.dictionary(tokenKey, formatter)
    if (found !== undefined) return found
    let text = ''
    for (const sample of samples) {
      if (text.length > 0 && text.length + sample.length > DICTIONARY_MAX_BYTES) break
      text += sample
    }
    // DEFLATE reaches back 32 KiB; the end of a dictionary is what it matches best.
    const bytes = Buffer.from(text, 'utf8').subarray(-DICTIONARY_MAX_BYTES)
    const id = this.insert.get(tokenKey, formatter, bytes)
    if (id === undefined) throw new Error(`could not keep the document dictionary of collection ${tokenKey}`)
    this.bytesById.set(id, bytes)
    this.remember(tokenKey, formatter, id)
    return id
  }

  private remember (tokenKey: string, formatter: string, id: number): void {
    let byToken = this.idByCollection.get(formatter)
    if (byToken === undefined) {
      byToken = new Map()
      this.idByCollection.set(formatter, byToken)
    }
    byToken.set(tokenKey, id)
  }

  /** A document as stored under a dictionary. */
  compress (dictionary: number, json: string): Buffer {
    return deflateRawSync(json, { dictionary: this.bytes(dictionary) })
  }

  /** A stored document's JSON again. */
  expand (dictionary: number, body: Buffer): string {
    // 1 KiB output chunks instead of zlib's 16 KiB: a document is about 500 bytes, and allocating
    // the larger chunk was half of an inflate's time (4.3 against 5.5–9 µs).
    return inflateRawSync(body, { dictionary: this.bytes(dictionary), chunkSize: INFLATE_CHUNK_BYTES }).toString('utf8')
  }

  private bytes (id: number): Buffer {
    let bytes = this.bytesById.get(id)
    if (bytes === undefined) {
      bytes = this.byId.get(id)
      if (bytes === undefined) throw new Error(`document dictionary ${id} is missing`)
      this.bytesById.set(id, bytes)
    }
    return bytes
  }
}
