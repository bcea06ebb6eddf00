import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../../src-main/lineage/import/index.js'
import type { CsvRecord } from '../../../src-main/lineage/import/index.js'

async function parse (text: string, chunkSize = text.length, max?: number): Promise<CsvRecord[]> {
  async function * chunks (): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += Math.max(chunkSize, 1)) yield text.slice(i, i + chunkSize)
  }
  const out: CsvRecord[] = []
  for await (const record of parseCsv(chunks(), max)) out.push(record)
  return out
}

describe('streaming CSV parser', () => {
  const sample = '\uFEFFtoken_id,name,description\r\n1,"Comma, inside","Line one\nline two"\n2,"She said ""hi""",plain\n\n3,,"ends with CR LF"\r\n4,last,"no newline at end"'
  const expected = [
    { line: 1, fields: ['token_id', 'name', 'description'] },
    { line: 2, fields: ['1', 'Comma, inside', 'Line one\nline two'] },
    { line: 4, fields: ['2', 'She said "hi"', 'plain'] },
    { line: 6, fields: ['3', '', 'ends with CR LF'] },
    { line: 7, fields: ['4', 'last', 'no newline at end'] },
  ]

  it('handles quoted commas, newlines, doubled quotes, CRLF, a BOM and blank lines', async () => {
    expect(await parse(sample)).toEqual(expected)
  })

  it('gives the same records whatever the chunk boundaries (every split point)', async () => {
    for (const size of [1, 2, 3, 5, 7, 11]) expect(await parse(sample, size)).toEqual(expected)
  })

  it('reports a bad record with its line and carries on with the next', async () => {
    const records = await parse('a,b\nx"y,2\n"q"z,3\nok,4\n"never closed,5\n')
    expect(records[0]).toEqual({ line: 1, fields: ['a', 'b'] })
    expect(records[1]).toMatchObject({ line: 2, error: expect.stringContaining('quote inside the unquoted field 1') })
    expect(records[2]).toMatchObject({ line: 3, error: expect.stringContaining('after the closing quote') })
    expect(records[3]).toEqual({ line: 4, fields: ['ok', '4'] })
    expect(records[4]).toMatchObject({ line: 5, error: expect.stringContaining('never closed') })
    expect(records).toHaveLength(5)
  })

  it('bounds a record: an over-long one is reported and skipped, not buffered', async () => {
    const records = await parse(`a,b\n1,${'x'.repeat(100)}\n2,short\n`, 16, 50)
    expect(records[1]).toMatchObject({ line: 2, error: expect.stringContaining('longer than 50 characters') })
    expect(records[2]).toEqual({ line: 3, fields: ['2', 'short'] })
  })
})
