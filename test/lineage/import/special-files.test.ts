import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_ITEM_BYTES } from '../../../src-main/lineage/import/index.js'
import type { ImportReport } from '../../../src-main/lineage/import/index.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { COLLECTION, createImportRig } from './setup.js'
import type { ImportRig } from './setup.js'

const isLinux = process.platform === 'linux'
const LINK = 'not a regular file: it is a symbolic link (links are not followed)'

/** Whether this process may make device nodes (CAP_MKNOD, root in most containers). */
function mknod (file: string, major: number, minor: number): boolean {
  try {
    execFileSync('mknod', [file, 'c', String(major), String(minor)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('imports never read a special file: each is refused by name, the rest goes in', () => {
  let rig: ImportRig
  let src: { dir: string, cleanup: () => void }
  beforeAll(async () => {
    rig = await createImportRig()
    src = tempDir('lineage-import-special-')
  }, 60_000)
  afterAll(async () => {
    await rig.close()
    src.cleanup()
  })

  const create = async (source: string): Promise<string> => (await rig.importer.create({ source, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })).job
  const run = async (source: string): Promise<ImportReport> => await rig.importer.run(await create(source), { signer: rig.signer })
  const reasonsOf = (report: ImportReport): Record<string, string> => Object.fromEntries(report.rejected.map(r => [r.item, r.reason]))
  const content = (tokenId: string): unknown => rig.lineage.slot({
    data_key: rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, tokenId), meta_contract_id: 'open', public_key: rig.signer.publicKey, alias: '', version: 'v1',
  })?.content
  const refusal = async (fn: () => Promise<unknown>): Promise<{ name: string, message: string }> => {
    try {
      await fn()
    } catch (err) {
      return { name: (err as Error).name, message: (err as Error).message }
    }
    throw new Error('not refused')
  }

  it('a folder of FIFOs, links to /dev/zero, /dev/urandom and /proc files, a device, and a 10 GiB sparse file beside good JSON', async () => {
    const dir = path.join(src.dir, 'system-like')
    fs.mkdirSync(dir)
    for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify({ name: `Token #${i}` }))
    const expected: Record<string, string> = {
      '10.json': 'not a regular file: it is a named pipe (FIFO)',
      '11.json': LINK,
      '12.json': LINK,
      '13.json': LINK,
      '14.json': LINK,
      '16.json': `the file is larger than ${MAX_ITEM_BYTES} bytes, the largest metadata document a transaction carries (it is ${10 * 1024 ** 3} bytes)`,
      '17': 'not a regular file: it is a named pipe (FIFO)',
    }
    execFileSync('mkfifo', [path.join(dir, '10.json')])
    execFileSync('mkfifo', [path.join(dir, '17')])
    fs.symlinkSync('/dev/zero', path.join(dir, '11.json'))
    fs.symlinkSync('/dev/urandom', path.join(dir, '12.json'))
    fs.symlinkSync('/proc/self/environ', path.join(dir, '13.json'))
    fs.symlinkSync('/proc/self/status', path.join(dir, '14.json'))
    // A device node in the folder itself (the same device as /dev/zero), where this process may make one.
    if (mknod(path.join(dir, '15.json'), 1, 5)) expected['15.json'] = 'not a regular file: it is a device'
    // Sparse: 10 GiB that take no space, refused by its size without a byte read.
    fs.closeSync(fs.openSync(path.join(dir, '16.json'), 'w'))
    fs.truncateSync(path.join(dir, '16.json'), 10 * 1024 ** 3)

    const report = await run(dir)
    const refused = Object.keys(expected).length
    expect(report).toMatchObject({ state: 'done', total: 5 + refused, applied: 5, rejected_count: refused })
    expect(reasonsOf(report)).toEqual(expected)
    for (let i = 1; i <= 5; i++) expect(content(String(i))).toEqual({ name: `Token #${i}` })
  })

  it('a CSV or CAR path that is a FIFO or a device is refused when the job is created, naming what it is', async () => {
    const fifoCsv = path.join(src.dir, 'items.csv')
    const fifoCar = path.join(src.dir, 'backup.car')
    execFileSync('mkfifo', [fifoCsv])
    execFileSync('mkfifo', [fifoCar])
    expect(await refusal(() => create(fifoCsv))).toEqual({ name: 'ImportSourceError', message: `Cannot import ${fifoCsv}: not a regular file: it is a named pipe (FIFO)` })
    expect(await refusal(() => create(fifoCar))).toEqual({ name: 'ImportSourceError', message: `Cannot import ${fifoCar}: not a regular file: it is a named pipe (FIFO)` })
    const deviceCar = path.join(src.dir, 'zero.car')
    if (mknod(deviceCar, 1, 5)) expect(await refusal(() => create(deviceCar))).toEqual({ name: 'ImportSourceError', message: `Cannot import ${deviceCar}: not a regular file: it is a device` })
    // A link to a device, or to the kernel's files, is refused as a link: the path given is the path read.
    const linked = path.join(src.dir, 'urandom.car')
    fs.symlinkSync('/dev/urandom', linked)
    expect(await refusal(() => create(linked))).toMatchObject({ name: 'ImportPathError', message: expect.stringContaining('goes through a symbolic link') })
  })

  it.skipIf(!isLinux)('a /proc file given as the path is refused (it goes through /proc/self, a link, or is not a CSV or CAR)', async () => {
    expect(await refusal(() => create('/proc/self/status'))).toMatchObject({ name: 'ImportPathError', message: expect.stringContaining('goes through a symbolic link') })
    expect(await refusal(() => create(`/proc/${process.pid}/status`))).toMatchObject({ name: 'ImportSourceError', message: expect.stringContaining('not a folder, a .csv file or a .car file') })
  })

  it.skipIf(!isLinux)('a folder of the kernel\'s (/proc/<pid>) fails the run as a whole, naming its file system; nothing in it is read', async () => {
    const folder = `/proc/${process.pid}`
    const before = rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")
    await expect(run(folder)).rejects.toMatchObject({ name: 'ImportSourceError', message: `Cannot import ${folder}: it is on the system file system proc, which holds the kernel's state, not files to read` })
    expect(rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")).toBe(before)
  })

  it('a CSV or CAR swapped for a FIFO after the job was created fails the run naming the FIFO; it does not wait for a writer', async () => {
    for (const name of ['swapped.csv', 'swapped.car']) {
      const file = path.join(src.dir, name)
      // Empty, so the FIFO that replaces it has the same size; its times are copied too, so only the open can tell.
      fs.writeFileSync(file, '')
      const job = await create(file)
      const { atimeMs, mtimeMs } = fs.statSync(file)
      fs.rmSync(file)
      execFileSync('mkfifo', [file])
      // In seconds, not Dates: a Date rounds to the millisecond, and the job compares truncated milliseconds.
      fs.utimesSync(file, atimeMs / 1000, mtimeMs / 1000)
      expect(Math.trunc(fs.statSync(file).mtimeMs)).toBe(Math.trunc(mtimeMs))
      await expect(rig.importer.run(job, { signer: rig.signer })).rejects.toMatchObject({
        name: 'ImportSourceError',
        message: `Cannot import ${file}: not a regular file: it is a named pipe (FIFO)`,
      })
    }
  })
})
