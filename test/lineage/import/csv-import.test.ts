import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
    const { job } = rig.importer.create({ source: file, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey, version: 'v1' })
    const report = await rig.importer.run(job, { signer: rig.signer })
    expect(report).toMatchObject({ state: 'done', total: 7, done: 7, applied: 3, rejected_count: 4 })
    expect(report.rejected.map(r => r.item)).toEqual(['line 5', 'line 6', 'line 7', 'line 8'])
    expect(report.rejected[0]?.reason).toBe('the record has 8 fields; the header has 7')
    expect(report.rejected[1]?.reason).toContain('"edition:number" holds "not-a-number"')
    expect(report.rejected[2]?.reason).toContain('"properties:json" is not valid JSON')
    expect(report.rejected[3]).toMatchObject({ token_id: 'x1', reason: expect.stringContaining('token_id') })

    const content = (tokenId: string): unknown => rig.lineage.slot({
      data_key: rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, tokenId), meta_contract_id: 'open', public_key: rig.signer.publicKey, alias: '', version: 'v1',
    })?.content
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

  it('refuses a CSV without a token_id column, and a resume over a changed file', async () => {
    const bad = path.join(src.dir, 'nohead.csv')
    fs.writeFileSync(bad, 'id,name\n1,a\n')
    const { job } = rig.importer.create({ source: bad, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    await expect(rig.importer.run(job, { signer: rig.signer })).rejects.toMatchObject({ name: 'ImportSourceError', message: expect.stringContaining('"token_id"') })

    const file = path.join(src.dir, 'grows.csv')
    fs.writeFileSync(file, 'token_id,name\n100,a\n')
    const created = rig.importer.create({ source: file, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    fs.appendFileSync(file, '101,b\n')
    await expect(rig.importer.run(created.job, { signer: rig.signer })).rejects.toMatchObject({ name: 'ImportSourceChangedError' })
  })
})
