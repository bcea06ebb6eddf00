import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFileReader, FILE_BATCH_FILES, MAX_STUCK_READS, readRegularFile, stuckReads } from '../../src-main/files/index.js'
import type { FileReader } from '../../src-main/files/index.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const isLinux = process.platform === 'linux'

type Outcome = { bytes: string } | { name: string, reason: string, message: string }

async function outcome (read: Promise<Buffer>): Promise<Outcome> {
  try {
    return { bytes: (await read).toString('latin1') }
  } catch (err) {
    const e = err as Error & { reason: string }
    return { name: e.name, reason: e.reason, message: e.message }
  }
}

describe("a folder import's file reader (a worker thread, batches)", () => {
  const cleanups: Array<() => void | Promise<void>> = []
  afterEach(async () => { for (const c of cleanups.splice(0)) await c() })
  const scratch = (): string => {
    const t = tempDir('lineage-files-batch-')
    cleanups.push(t.cleanup)
    return t.dir
  }
  const reader = (init: Parameters<typeof createFileReader>[0]): FileReader => {
    const r = createFileReader(init)
    cleanups.unshift(async () => { await r.close() })
    return r
  }

  it('gives each file what readRegularFile gives: the same bytes, and the same refusal for a FIFO, a device link, a /proc file, a link, a folder, a missing file and one byte past the limit', async () => {
    const dir = scratch()
    const files: string[] = []
    const add = (name: string, make: (file: string) => void): void => {
      const file = path.isAbsolute(name) ? name : path.join(dir, name)
      make(file)
      files.push(file)
    }
    for (let i = 0; i < 2 * FILE_BATCH_FILES + 5; i++) add(`${i}.json`, f => { fs.writeFileSync(f, JSON.stringify({ i, pad: 'x'.repeat(i * 7) })) })
    add('limit.json', f => { fs.writeFileSync(f, Buffer.alloc(100, 0x61)) })
    add('past-limit.json', f => { fs.writeFileSync(f, Buffer.alloc(101, 0x61)) })
    add('empty.json', f => { fs.writeFileSync(f, '') })
    add('fifo.json', f => { execFileSync('mkfifo', [f]) })
    add('zero.json', f => { fs.symlinkSync('/dev/zero', f) })
    add('link.json', f => { fs.symlinkSync(path.join(dir, '0.json'), f) })
    add('folder.json', f => { fs.mkdirSync(f) })
    add('missing.json', () => {})
    if (isLinux) add('/proc/self/status', () => {})
    if (isLinux) add('/sys/kernel/mm/transparent_hugepage/enabled', () => {})

    const batched = reader({ maxBytes: 100, limitName: 'the test limit' })
    // All asked for in one turn, as a folder import asks: several batches, answered in any order.
    const got = await Promise.all(files.map(async f => await outcome(batched.read(f))))
    const expected = await Promise.all(files.map(async f => await outcome(readRegularFile(f, { maxBytes: 100, limitName: 'the test limit' }))))
    expect(got).toEqual(expected)
    // The cases above did happen (not all refused, not all read alike).
    const byName = new Map(files.map((f, i) => [path.basename(f), got[i] as Outcome & { name?: string, reason?: string }]))
    expect(byName.get('3.json')).toEqual({ bytes: JSON.stringify({ i: 3, pad: 'x'.repeat(21) }) })
    expect(byName.get('limit.json')).toEqual({ bytes: 'a'.repeat(100) })
    expect(byName.get('empty.json')).toEqual({ bytes: '' })
    expect(byName.get('past-limit.json')?.name).toBe('FileTooLargeError')
    expect(byName.get('fifo.json')?.reason).toBe('not a regular file: it is a named pipe (FIFO)')
    expect(byName.get('zero.json')?.name).toBe('NotRegularFileError')
    expect(byName.get('link.json')?.reason).toBe('not a regular file: it is a symbolic link (links are not followed)')
    expect(byName.get('folder.json')?.name).toBe('NotRegularFileError')
    expect(byName.get('missing.json')?.name).toBe('FileAccessError')
    if (isLinux) expect(byName.get('status')).toMatchObject({ name: 'SystemFileError', message: '/proc/self/status is on the system file system proc, which holds the kernel\'s state, not files to read or write' })
  })

  it('a file the worker is stuck on is refused by name at its deadline; a fresh worker reads the rest; past MAX_STUCK_READS stuck workers, reads are refused at once; all recover when the calls return', async () => {
    const dir = scratch()
    const hold = path.join(dir, '.hold')
    execFileSync('mkfifo', [hold])
    const names = Array.from({ length: 10 }, (_, i) => `${i}.json`)
    for (const name of names) fs.writeFileSync(path.join(dir, name), `{"n":"${name}"}`)
    // The worker blocks in a real system call (a blocking open of a FIFO) before opening 4.json, as on a hung mount.
    const batched = reader({ maxBytes: 1024, deadlineMs: 300, hold: { file: '/4.json', fifo: hold } })
    const release = (): void => { fs.closeSync(fs.openSync(hold, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)) }
    try {
      const got = await Promise.all(names.map(async name => await outcome(batched.read(path.join(dir, name), { label: name }))))
      expect(got[4]).toEqual({ name: 'FileTimeoutError', reason: 'the file did not answer within 0.3 s; it was not read', message: '4.json did not answer within 0.3 s; it was not read' })
      // Every other file was read, by the worker that took over, including those read before the stuck one.
      expect(got.filter((_, i) => i !== 4)).toEqual(names.filter((_, i) => i !== 4).map(name => ({ bytes: `{"n":"${name}"}` })))
      expect(stuckReads()).toBe(1)
      // A second stuck file: the cap is reached, and nothing more is read until one returns.
      expect(await outcome(batched.read(path.join(dir, '4.json'), { label: '4.json' }))).toMatchObject({ name: 'FileTimeoutError' })
      expect(stuckReads()).toBe(MAX_STUCK_READS)
      expect(await outcome(batched.read(path.join(dir, '1.json'), { label: '1.json' }))).toEqual({
        name: 'FileReadsStuckError',
        reason: `not read: ${MAX_STUCK_READS} earlier file reads are still stuck (a hung mount or device)`,
        message: `1.json was not read: ${MAX_STUCK_READS} earlier file reads are still stuck (a hung mount or device); try again once they return`,
      })
    } finally {
      // A writer lets every blocked open return at once; the abandoned workers then end.
      release()
    }
    await waitFor('the stuck reads to return', () => stuckReads() === 0, { intervalMs: 10, detail: () => `${stuckReads()} still stuck` })
    const fresh = reader({ maxBytes: 1024 })
    expect(await outcome(fresh.read(path.join(dir, '4.json')))).toEqual({ bytes: '{"n":"4.json"}' })
  })
})
