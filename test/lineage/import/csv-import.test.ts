import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CSV_RECORD_CHARS, MAX_ITEM_BYTES, MAX_ITEM_DEPTH } from '../../../src-main/lineage/import/index.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { COLLECTION, createImportRig } from './setup.js'
import type { ImportRig } from './setup.js'

describe('CSV import', () => {
  let rig: ImportRig
  let src: { dir: string, cleanup: () => void }
  beforeAll(async () => {
    rig = await createImportRig()
    src = tempDir('lineage-import-csv-')
  }, 60_000)
  afterAll(async () => {
    await rig.close()
    src.cleanup()
  })

  const content = (tokenId: string): unknown => rig.lineage.slot({
    data_key: rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, tokenId), meta_contract_id: 'open', public_key: rig.signer.publicKey, alias: '', version: 'v1',
  })?.content

  it('maps columns to fields and traits, keeps quoted commas and newlines, and reports bad rows by line', async () => {
    const file = path.join(src.dir, 'tokens.csv')
    fs.writeFileSync(file, [
      'token_id,name,description,edition:number,properties:json,trait:Hat,trait:Level:number',
      '1,"Alpha, the first","Two\nlines","1","{""rare"":true}",Beret,3',
      '2,Beta,"She said ""hi""",2,,,',
      '3,Gamma,too,many,fields,here,x,y',
      '4,Delta,d,not-a-number,,Cap,1',
      '5,"Epsilon",e,5,{bad json},,',
      'x1,Zeta,z,6,,,',
      '7,Eta,e,7,,Crown,9',
      '',
    ].join('\r\n'))
    const { job } = await rig.importer.create({ source: file, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey, version: 'v1' })
    const report = await rig.importer.run(job, { signer: rig.signer })
    expect(report).toMatchObject({ state: 'done', total: 7, done: 7, applied: 3, rejected_count: 4 })
    expect(report.rejected.map(r => r.item)).toEqual(['line 5', 'line 6', 'line 7', 'line 8'])
    expect(report.rejected[0]?.reason).toBe('the record has 8 fields; the header has 7')
    // Reasons name the column and place the mistake; they never quote the cell.
    expect(report.rejected[1]?.reason).toBe('the column "edition:number" is not a number')
    expect(report.rejected[2]?.reason).toBe('the column "properties:json" is not valid JSON (at line 1, column 2 of the cell)')
    expect(report.rejected[3]).toEqual({ item: 'line 8', reason: 'the token_id cell is not a token id (a decimal uint256 without leading zeros, such as 42)' })

    expect(content('1')).toEqual({
      name: 'Alpha, the first',
      description: 'Two\nlines',
      edition: 1,
      properties: { rare: true },
      attributes: [{ trait_type: 'Hat', value: 'Beret' }, { trait_type: 'Level', value: 3 }],
    })
    expect(content('2')).toEqual({ name: 'Beta', description: 'She said "hi"', edition: 2 })
    expect(content('7')).toMatchObject({ attributes: [{ trait_type: 'Hat', value: 'Crown' }, { trait_type: 'Level', value: 9 }] })
  })

  it('refuses each bad row by line (depth, encoding, length, token id, size) and imports every other row', async () => {
    const file = path.join(src.dir, 'hostile.csv')
    /** A JSON cell nested `levels` arrays deep, quoted for CSV. */
    const deep = (levels: number): string => `"${'['.repeat(levels - 1)}[""x""]${']'.repeat(levels - 1)}"`
    const deepValue = (levels: number): unknown => JSON.parse(`${'['.repeat(levels - 1)}["x"]${']'.repeat(levels - 1)}`)
    const rows: Array<string | Buffer> = [
      'token_id,name,props:json,lvl\u202e:number',
      '201,Good,,1',
      // The row's object is one level: the cell may nest one less than the document limit.
      `202,Deepest allowed,${deep(MAX_ITEM_DEPTH - 1)},2`,
      `203,One too deep,${deep(MAX_ITEM_DEPTH)},3`,
      `204,Thousands deep,${deep(5000)},4`,
      Buffer.concat([Buffer.from('205,Caf'), Buffer.from([0xe9]), Buffer.from(',,5')]),
      `206,"${'y'.repeat(MAX_CSV_RECORD_CHARS)}",,6`,
      `207,"${'z'.repeat(MAX_ITEM_BYTES)}",,7`,
      '01,Leading zero,,8',
      `${(1n << 256n).toString()},Too large,,9`,
      ',No token,,10',
      '210,Bad number,,SECRET-VALUE',
      '211,"Bad JSON","{""a"": SECRET}",11',
      '212,"Control \x1b[2J in a cell is data",,12',
      '213,Last good,"{""rare"":true}",13',
    ]
    fs.writeFileSync(file, Buffer.concat(rows.map(r => Buffer.concat([Buffer.from(r), Buffer.from('\n')]))))
    const { job } = await rig.importer.create({ source: file, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    const report = await rig.importer.run(job, { signer: rig.signer })
    const notToken = 'the token_id cell is not a token id (a decimal uint256 without leading zeros, such as 42)'
    expect(Object.fromEntries(report.rejected.map(r => [r.item, r.reason]))).toEqual({
      'line 4': `the column "props:json" nests ${MAX_ITEM_DEPTH} levels deep; a document nests at most ${MAX_ITEM_DEPTH}, its own object included`,
      'line 5': `the column "props:json" nests 5000 levels deep; a document nests at most ${MAX_ITEM_DEPTH}, its own object included`,
      'line 6': 'the cell of column "name" is not UTF-8 text (save the file as UTF-8)',
      'line 7': `the record is longer than ${MAX_CSV_RECORD_CHARS} characters (is a closing quote missing?)`,
      'line 8': `the row's document is ${MAX_ITEM_BYTES + 22} bytes as JSON; the largest metadata document a transaction carries is ${MAX_ITEM_BYTES} bytes`,
      'line 9': notToken,
      'line 10': notToken,
      'line 11': 'the token_id cell is empty',
      'line 12': 'the column "lvl\\u202e:number" is not a number',
      'line 13': 'the column "props:json" is not valid JSON (at line 1, column 7 of the cell)',
    })
    expect(report).toMatchObject({ state: 'done', total: 14, done: 14, applied: 4, rejected_count: 10 })
    for (const r of report.rejected) expect(r.reason).not.toMatch(/SECRET|[\p{Cc}\p{Cf}]/u)
    expect(content('201')).toEqual({ name: 'Good', 'lvl\u202e': 1 })
    expect(content('202')).toEqual({ name: 'Deepest allowed', props: deepValue(MAX_ITEM_DEPTH - 1), 'lvl\u202e': 2 })
    expect(content('212')).toEqual({ name: 'Control \x1b[2J in a cell is data', 'lvl\u202e': 12 })
    expect(content('213')).toEqual({ name: 'Last good', props: { rare: true }, 'lvl\u202e': 13 })
    for (const refused of ['203', '204', '205', '206', '207']) expect(content(refused)).toBeUndefined()
  })

  it('refuses a CSV whose header is not UTF-8 as a whole, naming the column', async () => {
    const file = path.join(src.dir, 'latin1-header.csv')
    fs.writeFileSync(file, Buffer.concat([Buffer.from('token_id,caf'), Buffer.from([0xe9]), Buffer.from('\n1,x\n')]))
    const { job } = await rig.importer.create({ source: file, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    await expect(rig.importer.run(job, { signer: rig.signer })).rejects.toMatchObject({ name: 'ImportSourceError', message: expect.stringContaining('column 2 of the header is not UTF-8 text') })
  })

  it('shows a path with control characters escaped in the error and the job row', async () => {
    const file = path.join(src.dir, 'evil\x1b[2J\u202e.csv')
    fs.writeFileSync(file, 'id,name\n1,a\n')
    const { job } = await rig.importer.create({ source: file, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    const failure = await rig.importer.run(job, { signer: rig.signer }).catch((err: unknown) => err as Error)
    expect(failure).toMatchObject({ name: 'ImportSourceError', message: expect.stringContaining('evil\\x1b[2J\\u202e.csv') })
    expect(rig.importer.status(job).error).toBe((failure as Error).message)
    expect(rig.importer.status(job).error).not.toMatch(/[\p{Cc}\p{Cf}]/u)
  })

  it('refuses a CSV without a token_id column, and a resume over a changed file', async () => {
    const bad = path.join(src.dir, 'nohead.csv')
    fs.writeFileSync(bad, 'id,name\n1,a\n')
    const { job } = await rig.importer.create({ source: bad, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    await expect(rig.importer.run(job, { signer: rig.signer })).rejects.toMatchObject({ name: 'ImportSourceError', message: expect.stringContaining('"token_id"') })

    const file = path.join(src.dir, 'grows.csv')
    fs.writeFileSync(file, 'token_id,name\n100,a\n')
    const created = await rig.importer.create({ source: file, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    fs.appendFileSync(file, '101,b\n')
    await expect(rig.importer.run(created.job, { signer: rig.signer })).rejects.toMatchObject({ name: 'ImportSourceChangedError' })
  })
})
