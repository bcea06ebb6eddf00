import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { CarReader } from '@ipld/car'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ed25519Signer } from '../../helpers/signers.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { tempDir } from '../../helpers/temp-dir.js'

const ADDRESS = '0x00000000000000000000000000000000000000e2'
const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
const VICTIM_TEXT = 'the victim file, which no export may touch\n'

/** Every entry of a folder with what it is: a link's target, a file's text (small files only). */
function snapshotOf (dir: string): Record<string, string> {
  const entries: Record<string, string> = {}
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name)
    const stat = fs.lstatSync(file)
    entries[name] = stat.isSymbolicLink() ? `link → ${fs.readlinkSync(file)}` : stat.isFile() ? (stat.size < 1024 ? `file: ${fs.readFileSync(file, 'utf8')}` : `file of ${stat.size} bytes`) : 'other'
  }
  return entries
}

describe('export_car writes only where it was told, through a file it created itself', () => {
  let node: TestNode
  let out: { dir: string, cleanup: () => void }
  const signer = ed25519Signer()
  const exportTo = async (file: string): Promise<{ roots: string[], blocks: number }> => await node.node.exporter.export({ path: file })
  const refusalOf = async (file: string): Promise<{ name: string, message: string }> => {
    try {
      await exportTo(file)
    } catch (err) {
      return { name: (err as Error).name, message: (err as Error).message }
    }
    throw new Error(`the export to ${file} was not refused`)
  }

  beforeAll(async () => {
    out = tempDir('lineage-export-target-')
    node = await startTestNode()
    node.node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
    for (let id = 0; id < 20; id++) node.node.lineage.publish(await signer.sign({ ...base, token_id: String(id), data: JSON.stringify({ name: `#${id}` }) }))
    await node.node.lineage.settled()
  })
  afterAll(async () => {
    await node.stop()
    out.cleanup()
  })

  it('refuses a folder on the way that is a symbolic link to somewhere else, and writes nothing there', async () => {
    const elsewhere = path.join(out.dir, 'elsewhere')
    const named = path.join(out.dir, 'named')
    fs.mkdirSync(elsewhere)
    fs.mkdirSync(named)
    fs.symlinkSync(elsewhere, path.join(named, 'via'))
    fs.symlinkSync(named, path.join(out.dir, 'alias'))
    fs.symlinkSync('/dev', path.join(named, 'devices'))
    expect(await refusalOf(path.join(named, 'via', 'x.car'))).toEqual({
      name: 'ExportPathError',
      message: `path: ${path.join(named, 'via')} is a symbolic link (to ${elsewhere}); give the real folder, so the file is written where you named it`,
    })
    // A link higher up, and one into a system folder, are refused the same way.
    expect(await refusalOf(path.join(out.dir, 'alias', 'via', 'x.car'))).toMatchObject({ name: 'ExportPathError', message: expect.stringContaining(`${path.join(out.dir, 'alias')} is a symbolic link`) })
    expect(await refusalOf(path.join(named, 'devices', 'x.car'))).toMatchObject({ name: 'ExportPathError', message: expect.stringContaining('is a symbolic link (to /dev)') })
    expect(fs.readdirSync(elsewhere)).toEqual([])
    expect(fs.readdirSync(named).sort()).toEqual(['devices', 'via'])
    // The real folder, named as it is, is written.
    const written = await exportTo(path.join(elsewhere, 'x.car'))
    expect(written.roots).toHaveLength(1)
    expect(fs.readdirSync(elsewhere)).toEqual(['x.car'])
  })

  it('leaves a partial-looking file (a link to a victim, or a file) untouched, writes through a new temporary file, and still round-trips', async () => {
    const dir = path.join(out.dir, 'planted')
    fs.mkdirSync(dir)
    const victim = path.join(out.dir, 'victim.txt')
    fs.writeFileSync(victim, VICTIM_TEXT)
    const target = path.join(dir, 'backup.car')
    // What the old exporter would have deleted and reused, and names like the new temporary files.
    fs.symlinkSync(victim, `${target}.partial-${process.pid}`)
    fs.writeFileSync(`${target}.partial-${process.pid + 1}`, 'keep me')
    fs.symlinkSync(victim, path.join(dir, `.lineage-${'0'.repeat(24)}.partial`))
    fs.symlinkSync(path.join(dir, 'dangling'), path.join(dir, `.lineage-${'f'.repeat(24)}.partial`))
    const before = snapshotOf(dir)

    const result = await exportTo(target)
    expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(fs.existsSync(path.join(dir, 'dangling'))).toBe(false)
    const after = snapshotOf(dir)
    expect(after).toEqual({ ...before, 'backup.car': expect.stringMatching(/^file of \d+ bytes$/) })
    // The file is the one written, with the blocks reported, readable as a CAR.
    const reader = await CarReader.fromBytes(fs.readFileSync(target))
    expect((await reader.getRoots()).map(String)).toEqual(result.roots)
    let blocks = 0
    for await (const block of reader.blocks()) blocks += block.bytes.length > 0 ? 1 : 0
    expect(blocks).toBe(result.blocks)
    // Created for the owner alone (the temporary file's mode, linked into place).
    expect(fs.statSync(target).mode & 0o777).toBe(0o600)
  })

  it('refuses a target that exists, whatever it is (a file, a FIFO, a link to a victim, a dangling link), and changes none of them', async () => {
    const dir = path.join(out.dir, 'existing')
    fs.mkdirSync(dir)
    const victim = path.join(out.dir, 'victim-2.txt')
    fs.writeFileSync(victim, VICTIM_TEXT)
    fs.writeFileSync(path.join(dir, 'file.car'), 'mine')
    execFileSync('mkfifo', [path.join(dir, 'fifo.car')])
    fs.symlinkSync(victim, path.join(dir, 'link.car'))
    fs.symlinkSync(path.join(out.dir, 'created-through-link.car'), path.join(dir, 'dangling.car'))
    const before = snapshotOf(dir)
    expect(await refusalOf(path.join(dir, 'file.car'))).toEqual({ name: 'ExportPathError', message: `path: ${path.join(dir, 'file.car')} already exists; choose a new file name` })
    expect(await refusalOf(path.join(dir, 'fifo.car'))).toEqual({ name: 'ExportPathError', message: `path: ${path.join(dir, 'fifo.car')} already exists and is not a regular file (it is a named pipe (FIFO)); choose a new file name` })
    expect(await refusalOf(path.join(dir, 'link.car'))).toMatchObject({ name: 'ExportPathError', message: expect.stringContaining('already exists and is not a regular file (it is a symbolic link') })
    expect(await refusalOf(path.join(dir, 'dangling.car'))).toMatchObject({ name: 'ExportPathError', message: expect.stringContaining('already exists and is not a regular file') })
    expect(snapshotOf(dir)).toEqual(before)
    expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(fs.existsSync(path.join(out.dir, 'created-through-link.car'))).toBe(false)
  })

  it('refuses /proc, /dev and /sys (also /dev/shm, a tmpfs under /dev), and creates nothing there', async () => {
    const targets = ['/proc/lineage-export.car', '/proc/self/lineage-export.car', '/dev/lineage-export.car', '/dev/shm/lineage-export.car', '/sys/lineage-export.car']
    for (const target of targets) {
      const refused = await refusalOf(target)
      expect(refused.name).toBe('ExportPathError')
      expect(refused.message).toMatch(/is on the system file system|is a symbolic link|does not exist/)
    }
    expect(await refusalOf('/dev/lineage-export.car')).toEqual({ name: 'ExportPathError', message: 'path: /dev/lineage-export.car is on the system file system /dev, which holds the kernel\'s state, not files to read or write' })
    expect(await refusalOf('/proc/lineage-export.car')).toMatchObject({ message: expect.stringContaining('is on the system file system /proc') })
    // /proc/self is a link (to /proc/<pid>): refused as a link on the way before anything else.
    expect(await refusalOf('/proc/self/lineage-export.car')).toMatchObject({ message: expect.stringContaining('/proc/self is a symbolic link') })
    for (const target of targets) expect(fs.existsSync(target)).toBe(false)
    for (const dir of ['/dev', '/dev/shm']) expect(fs.readdirSync(dir).filter(n => n.includes('lineage'))).toEqual([])
  })

  it('refuses to finish when the named folder was swapped for a link while the file was being written', async () => {
    const parent = path.join(out.dir, 'swap')
    const named = path.join(parent, 'folder')
    const elsewhere = path.join(out.dir, 'swap-elsewhere')
    fs.mkdirSync(named, { recursive: true })
    fs.mkdirSync(elsewhere)
    let swapped = false
    const exporting = node.node.exporter.export({ path: path.join(named, 'x.car') }, {
      onProgress: () => {
        if (swapped) return
        swapped = true
        fs.renameSync(named, path.join(parent, 'moved'))
        fs.symlinkSync(elsewhere, named)
      },
    })
    await expect(exporting).rejects.toMatchObject({ name: 'ExportPathError', message: expect.stringContaining(`${named} is a symbolic link`) })
    expect(swapped).toBe(true)
    expect(fs.readdirSync(elsewhere)).toEqual([])
  })
})
