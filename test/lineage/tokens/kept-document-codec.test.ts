import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DICTIONARY_MAX_BYTES, KeptDocumentCodec } from '../../../src-main/lineage/tokens/kept-document-codec.js'
import { schemaStores } from '../../helpers/schema-stores.js'

describe('kept documents deflated against their collection\'s dictionary', () => {
  const { open, newDir } = schemaStores()

  it('gives back every document byte for byte, however unlike the ones its dictionary was made from', () => {
    const db = open(newDir()).db
    const codec = new KeptDocumentCodec(db)
    const dictionary = codec.dictionaryFor('tk', 'build', [JSON.stringify({ name: 'Doodle #1', attributes: [{ trait_type: 'face', value: 'happy' }] })])
    fc.assert(fc.property(fc.oneof(fc.json(), fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.string({ minLength: 20_000, maxLength: 40_000 })), json => {
      const body = codec.compress(dictionary, json)
      expect(codec.expand(dictionary, body)).toBe(json)
      // Another connection's codec (no dictionary held yet) reads it from the table.
      expect(new KeptDocumentCodec(db).expand(dictionary, body)).toBe(json)
    }), { seed: 27, numRuns: 300 })
  })

  it('makes one dictionary per collection and formatter build, of at most DICTIONARY_MAX_BYTES, and keeps it', () => {
    const db = open(newDir()).db
    const codec = new KeptDocumentCodec(db)
    expect(codec.dictionary('tk', 'build')).toBeUndefined()
    const samples = Array.from({ length: 8 }, (_, i) => JSON.stringify({ name: `Token ${i}`, description: 'x'.repeat(600) }))
    const id = codec.dictionaryFor('tk', 'build', samples)
    expect(codec.dictionaryFor('tk', 'build', ['{"other":true}'])).toBe(id)
    expect(new KeptDocumentCodec(db).dictionary('tk', 'build')).toBe(id)
    const other = codec.dictionaryFor('tk', 'build-2', ['{}'])
    expect(other).not.toBe(id)
    const bytes = db.prepare('SELECT bytes FROM document_dictionaries WHERE id = ?').pluck().get(id) as Buffer
    expect(bytes.length).toBeLessThanOrEqual(DICTIONARY_MAX_BYTES)
    expect(bytes.length).toBeGreaterThan(DICTIONARY_MAX_BYTES / 2)
    // A missing dictionary is named, not taken for an empty one.
    expect(() => codec.expand(999, Buffer.from([1, 2, 3]))).toThrow(/document dictionary 999 is missing/)
  })
})
