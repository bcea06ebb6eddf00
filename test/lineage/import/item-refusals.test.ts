import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FOLDER_READ_AHEAD, MAX_ITEM_BYTES, MAX_ITEM_DEPTH } from '../../../src-main/lineage/import/index.js'
import type { ImportReport } from '../../../src-main/lineage/import/index.js'
import { folderSource } from '../../../src-main/lineage/import/sources.js'
import type { SourceItem } from '../../../src-main/lineage/import/sources.js'
import type { TransactionSigner } from '../../../src-main/lineage/signing/index.js'
import { MAX_CONTENT_DEPTH } from '../../../src-main/dag/index.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { COLLECTION, createImportRig } from './setup.js'
import type { ImportRig } from './setup.js'

/** Anything a terminal or a log would interpret: controls, bidi and zero-width characters, lone surrogates. */
const RAW_UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u
const isRoot = process.getuid?.() === 0

/** `{"a":{"a":…{"leaf":1}…}}`: `levels` objects deep. */
const nested = (levels: number): string => `${'{"a":'.repeat(levels - 1)}{"leaf":1}${'}'.repeat(levels - 1)}`

const doc = (i: number): Record<string, unknown> => ({ name: `Token #${i}`, attributes: [{ trait_type: 'Index', value: i }] })

describe('a folder import refuses each bad item by name and imports the rest', () => {
  let rig: ImportRig
  let src: { dir: string, cleanup: () => void }
  const servers: net.Server[] = []
  beforeAll(async () => {
    rig = await createImportRig()
    src = tempDir('lineage-import-items-')
    // The collection is bound once here, so no test's run includes the binding.
    fs.mkdirSync(path.join(src.dir, 'bind'))
    fs.writeFileSync(path.join(src.dir, 'bind', '0.json'), '{}')
    expect(await run(path.join(src.dir, 'bind'))).toMatchObject({ applied: 1 })
  }, 60_000)
  afterAll(async () => {
    for (const server of servers) await new Promise(resolve => server.close(resolve))
    await rig.close()
    src.cleanup()
  })

  const content = (tokenId: string): unknown => rig.lineage.slot({
    data_key: rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, tokenId), meta_contract_id: 'open', public_key: rig.signer.publicKey, alias: '', version: 'v1',
  })?.content
  const run = async (source: string, signer: TransactionSigner = rig.signer): Promise<ImportReport> => {
    const { job } = await rig.importer.create({ source, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    return await rig.importer.run(job, { signer })
  }
  const reasonsOf = (report: ImportReport): Record<string, string> => Object.fromEntries(report.rejected.map(r => [r.item, r.reason]))

  it('refuses every kind of bad file (size, depth, encoding, syntax, type, name, link, special file) and applies every good one', async () => {
    const dir = path.join(src.dir, 'mixed')
    fs.mkdirSync(dir)
    const at = (name: string | Buffer): Buffer => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name)])
    const good: Record<string, unknown> = {}
    const writeGood = (name: string, tokenId: string, value: unknown, text = JSON.stringify(value)): void => {
      fs.writeFileSync(at(name), text)
      good[tokenId] = value
    }
    writeGood('1.json', '1', doc(1))
    writeGood('2', '2', doc(2))
    writeGood('3.json', '3', doc(3), `\uFEFF${JSON.stringify(doc(3), null, 2)}`)
    // Exactly the engine's limit: applied, and stored as written.
    writeGood('4.json', '4', JSON.parse(nested(MAX_CONTENT_DEPTH)))
    for (let i = 5; i <= 9; i++) writeGood(`${i}.json`, String(i), doc(i))

    const expected: Record<string, string> = {}
    const bad = (name: string | Buffer, shown: string, reason: string, make: (file: Buffer) => void): void => {
      make(at(name))
      expected[shown] = reason
    }
    bad('10.json', '10.json', `the file is larger than ${MAX_ITEM_BYTES} bytes, the largest metadata document a transaction carries (it is ${MAX_ITEM_BYTES + 12} bytes)`,
      f => { fs.writeFileSync(f, `{"a":"${'x'.repeat(MAX_ITEM_BYTES + 4)}"}`) })
    bad('11.json', '11.json', `the document is nested 5000 levels deep; at most ${MAX_ITEM_DEPTH}`, f => { fs.writeFileSync(f, nested(5000)) })
    bad('12.json', '12.json', `the document is nested ${MAX_CONTENT_DEPTH + 1} levels deep; at most ${MAX_ITEM_DEPTH}`, f => { fs.writeFileSync(f, nested(MAX_CONTENT_DEPTH + 1)) })
    bad('13.json', '13.json', 'the file is not UTF-8 text', f => { fs.writeFileSync(f, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])) })
    bad('14.json', '14.json', 'not valid JSON (at line 1, column 28)', f => { fs.writeFileSync(f, '{"name": "TOP-SECRET-WORD" oops}') })
    bad('15.json', '15.json', 'the JSON is not an object (a metadata document is {…})', f => { fs.writeFileSync(f, '[1, 2]') })
    bad('16.json', '16.json', 'the file is empty', f => { fs.writeFileSync(f, '') })
    const notTokenName = 'the file name is not a token id: name each file <tokenId>.json or <tokenId>, with a decimal token id such as 42'
    bad(Buffer.from([0x31, 0x37, 0xff, 0xfe, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]), '17\\xff\\xfe.json', 'the file name is not valid UTF-8, so it cannot name a token; rename the file <tokenId>.json',
      f => { fs.writeFileSync(f, JSON.stringify(doc(17))) })
    bad('18\x1b[2J\x07.json', '18\\x1b[2J\\x07.json', notTokenName, f => { fs.writeFileSync(f, JSON.stringify(doc(18))) })
    bad('evil\u202Enosj.exe', 'evil\\u202enosj.exe', notTokenName, f => { fs.writeFileSync(f, '{}') })
    bad('cover.json', 'cover.json', notTokenName, f => { fs.writeFileSync(f, '{}') })
    bad('019.json', '019.json', notTokenName, f => { fs.writeFileSync(f, '{}') })
    bad(`${(1n << 256n).toString()}.json`, `${(1n << 256n).toString()}.json`, notTokenName, f => { fs.writeFileSync(f, '{}') })
    const link = 'not a regular file: it is a symbolic link (links are not followed)'
    bad('20.json', '20.json', link, f => { fs.symlinkSync(path.join(dir, '1.json'), f) })
    bad('21.json', '21.json', link, f => { fs.symlinkSync(path.join(dir, 'nowhere.json'), f) })
    bad('22', '22', 'not a regular file: it is a folder (folders are not read)', f => { fs.mkdirSync(f) })
    // A FIFO nobody writes to: reading it would block the import forever.
    bad('23.json', '23.json', 'not a regular file: it is a named pipe (FIFO)', f => { execFileSync('mkfifo', [f.toString()]) })
    const server = net.createServer()
    servers.push(server)
    await new Promise(resolve => server.listen(path.join(dir, '24.json'), () => { resolve(undefined) }))
    expected['24.json'] = 'not a regular file: it is a socket'
    // Device nodes need CAP_MKNOD (root in most containers); without it the case is left out.
    try {
      execFileSync('mknod', [path.join(dir, '25.json'), 'c', '1', '3'], { stdio: 'ignore' })
      expected['25.json'] = 'not a regular file: it is a device'
    } catch {
      // No CAP_MKNOD: the FIFO and the socket stand for special files.
    }
    fs.writeFileSync(path.join(dir, '.hidden.json'), 'hidden files are not items')
    const names = Object.keys(expected)

    const report = await run(dir)
    const total = Object.keys(good).length + names.length
    expect(report).toMatchObject({ state: 'done', total, done: total, applied: Object.keys(good).length, rejected_count: names.length, skipped: 0 })
    expect(reasonsOf(report)).toEqual(expected)
    for (const r of report.rejected) {
      expect(r.item).not.toMatch(RAW_UNSHOWABLE)
      expect(r.reason).not.toMatch(RAW_UNSHOWABLE)
      expect(r.reason).not.toContain('SECRET')
    }
    for (const [tokenId, value] of Object.entries(good)) expect(content(tokenId)).toEqual(value)
    expect(rig.importer.status(report.job)).toMatchObject({ state: 'done', applied: Object.keys(good).length, rejected: names.length })
  })

  it.skipIf(isRoot)('refuses a file it may not read (EACCES), and imports the rest (skipped as root: root reads any file)', async () => {
    const dir = path.join(src.dir, 'unreadable')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, '31.json'), JSON.stringify(doc(31)))
    fs.writeFileSync(path.join(dir, '32.json'), JSON.stringify(doc(32)))
    fs.chmodSync(path.join(dir, '32.json'), 0o000)
    const report = await run(dir)
    expect(report).toMatchObject({ applied: 1, rejected_count: 1 })
    expect(reasonsOf(report)).toEqual({ '32.json': 'the file cannot be read: permission denied (EACCES)' })
    expect(content('31')).toEqual(doc(31))
  })

  it('refuses a file that vanished, or became a link, a FIFO or a folder, between the listing and the read', async () => {
    const dir = path.join(src.dir, 'changing')
    fs.mkdirSync(dir)
    for (let i = 41; i <= 140; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(doc(i)))
    const items = folderSource(dir).items()
    // The first item is read right away, with the next FOLDER_READ_AHEAD - 1 behind it; the last
    // four (numbered files come in token id order) are read later.
    const first = await items.next()
    expect(first.value).toMatchObject({ data: expect.any(String), label: '41.json' })
    const listing = Array.from({ length: 100 }, (_, i) => `${41 + i}.json`)
    expect(listing.length - 4).toBeGreaterThan(FOLDER_READ_AHEAD)
    const [gone, linked, piped, foldered] = listing.slice(-4) as [string, string, string, string]
    fs.rmSync(path.join(dir, gone))
    fs.rmSync(path.join(dir, linked))
    fs.symlinkSync(path.join(dir, (first.value as SourceItem).label), path.join(dir, linked))
    fs.rmSync(path.join(dir, piped))
    execFileSync('mkfifo', [path.join(dir, piped)])
    fs.rmSync(path.join(dir, foldered))
    fs.mkdirSync(path.join(dir, foldered))
    const later: SourceItem[] = []
    for await (const item of items) later.push(item)
    expect(later).toHaveLength(99)
    expect(Object.fromEntries(later.filter(i => i.error !== undefined).map(i => [i.label, i.error]))).toEqual({
      [gone]: 'the file cannot be read: it does not exist (or disappeared before it could be read) (ENOENT)',
      [linked]: 'not a regular file: it is a symbolic link (links are not followed)',
      [piped]: 'not a regular file: it is a named pipe (FIFO)',
      [foldered]: 'not a regular file: it is a folder (folders are not read)',
    })
  })

  it('reads numbered files in token id order, then every other entry; a name only numbered files share is read once', async () => {
    const dir = path.join(src.dir, 'ordered')
    fs.mkdirSync(dir)
    const numbered = ['10.json', '9.json', '2', '2.json', '100.json', '0.json', '1000000000000000.json', '999999999999999']
    const others = ['007.json', 'notes.json', '1e3.json', '12.JSON', '3.json.bak']
    for (const name of [...others, ...numbered]) fs.writeFileSync(path.join(dir, name), '{}')
    // A folder with a numbered name is not a numbered file: it is refused among the others.
    fs.mkdirSync(path.join(dir, '5.json'))
    const labels: string[] = []
    for await (const item of folderSource(dir).items()) labels.push(item.label)
    // Ids of 16 digits and more are read with the others, in directory order.
    expect(labels.slice(0, 7)).toEqual(['0.json', '2', '2.json', '9.json', '10.json', '100.json', '999999999999999'])
    expect(labels.slice(7).sort()).toEqual(['007.json', '1000000000000000.json', '12.JSON', '3.json.bak', '5.json', 'notes.json', '1e3.json'].sort())
  })

  it('a file removed after the count is not an item: the report\'s total is what the run walked', async () => {
    const dir = path.join(src.dir, 'shrinking')
    fs.mkdirSync(dir)
    for (let i = 71; i <= 75; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(doc(i)))
    const { job } = await rig.importer.create({ source: dir, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    const totals: Array<number | null> = []
    const report = await rig.importer.run(job, {
      signer: rig.signer,
      onProgress: e => {
        // The first event comes right after the count, before the folder is walked.
        if (e.type === 'lineage:import:progress' && totals.push(e.total) === 1) fs.rmSync(path.join(dir, '73.json'))
      },
    })
    expect(totals[0]).toBe(5)
    expect(report).toMatchObject({ state: 'done', total: 4, done: 4, applied: 4, rejected_count: 0 })
    expect(totals.at(-1)).toBe(4)
    expect(rig.importer.status(job)).toMatchObject({ done: 4, total: 4 })
  })

  it('a signature that fails for one item refuses that item only', async () => {
    const dir = path.join(src.dir, 'signing')
    fs.mkdirSync(dir)
    for (let i = 51; i <= 60; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(doc(i)))
    const failing: TransactionSigner = {
      type: rig.signer.type,
      publicKey: rig.signer.publicKey,
      sign: message => {
        if (new TextDecoder().decode(message).includes('\ntoken_id: 57\n')) throw new Error('the hardware key refused this one')
        return rig.signer.sign(message)
      },
    }
    const report = await run(dir, failing)
    expect(report).toMatchObject({ state: 'done', total: 10, applied: 9, rejected_count: 1 })
    expect(report.rejected).toEqual([{ item: '57.json', token_id: '57', reason: 'the hardware key refused this one' }])
    for (let i = 51; i <= 60; i++) expect(content(String(i))).toEqual(i === 57 ? undefined : doc(i))
  })

  it('a batch the engine fails as a whole is published item by item: one failing alone is refused, the rest go in, none twice', async () => {
    const dir = path.join(src.dir, 'flaky')
    fs.mkdirSync(dir)
    for (let i = 61; i <= 70; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(doc(i)))
    // The collection is bound (beforeAll), so this run reads the key once to check it, once per
    // batch it publishes, and once per item it publishes alone. Reads 2 (the batch) and 4 (the second
    // item alone) fail: a fault nobody planned for, of the kind a device-backed signer could have.
    let reads = 0
    const flaky: TransactionSigner = {
      type: rig.signer.type,
      get publicKey () {
        reads++
        if (reads === 2 || reads === 4) throw new TypeError('the signer lost its device')
        return rig.signer.publicKey
      },
      sign: message => rig.signer.sign(message),
    }
    const before = rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")
    const report = await run(dir, flaky)
    expect(report).toMatchObject({ state: 'done', total: 10, done: 10, applied: 9, rejected_count: 1 })
    expect(report.rejected[0]?.reason).toBe("an unexpected TypeError while publishing it; the node's log has the details")
    expect(rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")).toBe(before + 9)
    const refused = report.rejected[0]?.token_id as string
    for (let i = 61; i <= 70; i++) expect(content(String(i))).toEqual(String(i) === refused ? undefined : doc(i))
  })
})
