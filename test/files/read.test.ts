import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listFolder, MAX_STUCK_READS, openRegularFile, readRegularFile, resolvePath, stuckReads } from '../../src-main/files/index.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const isLinux = process.platform === 'linux'

/** The error a read ends with: its name and the reason it gives (and that it names the file). */
async function refusal (read: Promise<unknown>): Promise<{ name: string, reason: string, message: string }> {
  try {
    await read
  } catch (err) {
    const e = err as Error & { reason: string }
    return { name: e.name, reason: e.reason, message: e.message }
  }
  throw new Error('the read did not fail')
}

async function collect (chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  return Buffer.concat(parts)
}

describe('reading a file a client names', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })
  const scratch = (): string => {
    const t = tempDir('lineage-files-read-')
    cleanups.push(t.cleanup)
    return t.dir
  }

  it('refuses a FIFO nobody writes to, at once, whether opened as a whole file or as a stream', async () => {
    const dir = scratch()
    const fifo = path.join(dir, 'pipe.json')
    execFileSync('mkfifo', [fifo])
    const expected = { name: 'NotRegularFileError', reason: 'not a regular file: it is a named pipe (FIFO)' }
    expect(await refusal(readRegularFile(fifo, { maxBytes: 1024 }))).toMatchObject({ ...expected, message: expect.stringContaining(fifo) })
    expect(await refusal(openRegularFile(fifo))).toMatchObject(expected)
    // Even told to follow links, and even when the path is a link to the FIFO.
    const link = path.join(dir, 'link.json')
    fs.symlinkSync(fifo, link)
    expect(await refusal(readRegularFile(link, { maxBytes: 1024, followLinks: true }))).toMatchObject(expected)
  })

  it('refuses devices and links to them: /dev/zero, /dev/urandom, /dev/null', async () => {
    const dir = scratch()
    for (const device of ['/dev/zero', '/dev/urandom', '/dev/null']) {
      expect(await refusal(readRegularFile(device, { maxBytes: 1024 }))).toMatchObject({ name: 'NotRegularFileError', reason: 'not a regular file: it is a device' })
      expect(await refusal(openRegularFile(device))).toMatchObject({ name: 'NotRegularFileError', reason: 'not a regular file: it is a device' })
      const link = path.join(dir, `${path.basename(device)}.car`)
      fs.symlinkSync(device, link)
      // A path a client names is never followed through a link…
      expect(await refusal(openRegularFile(link))).toMatchObject({ name: 'NotRegularFileError', reason: 'not a regular file: it is a symbolic link (links are not followed)' })
      // …and a CLI argument that is followed still lands on a device, refused.
      expect(await refusal(readRegularFile(link, { maxBytes: 1024, followLinks: true }))).toMatchObject({ name: 'NotRegularFileError', reason: 'not a regular file: it is a device' })
    }
  })

  it.skipIf(!isLinux)('refuses the kernel\'s "regular" files in /proc and /sys, which may be endless or change as read', async () => {
    for (const file of ['/proc/self/status', '/proc/self/environ', '/proc/self/cmdline', `/proc/${process.pid}/maps`]) {
      expect(await refusal(readRegularFile(file, { maxBytes: 1024 * 1024 }))).toMatchObject({ name: 'SystemFileError', reason: 'it is on the system file system proc, which holds the kernel\'s state, not files to read' })
    }
    expect(await refusal(openRegularFile('/proc/self/status'))).toMatchObject({ name: 'SystemFileError' })
    const sysFile = ['/sys/kernel/mm/transparent_hugepage/enabled', '/sys/devices/system/cpu/online', '/sys/kernel/profiling'].find(f => fs.existsSync(f))
    if (sysFile !== undefined) expect(await refusal(readRegularFile(sysFile, { maxBytes: 1024 }))).toMatchObject({ name: 'SystemFileError', reason: 'it is on the system file system sysfs, which holds the kernel\'s state, not files to read' })
    // /proc/self is itself a link (to /proc/<pid>): a path through it is refused as a link when followed not.
    expect(await refusal(readRegularFile('/proc/self', { maxBytes: 1024 }))).toMatchObject({ name: 'NotRegularFileError', reason: 'not a regular file: it is a symbolic link (links are not followed)' })
  })

  it('reads at most the limit: a file of exactly the limit is read whole, one byte more is refused with both sizes', async () => {
    const dir = scratch()
    const exact = path.join(dir, 'exact.json')
    const over = path.join(dir, 'over.json')
    const bytes = Buffer.alloc(4096, 0x61)
    fs.writeFileSync(exact, bytes)
    fs.writeFileSync(over, Buffer.concat([bytes, Buffer.from('b')]))
    expect((await readRegularFile(exact, { maxBytes: 4096 })).equals(bytes)).toBe(true)
    expect(await refusal(readRegularFile(over, { maxBytes: 4096, limitName: 'the test limit' }))).toMatchObject({
      name: 'FileTooLargeError',
      reason: 'the file is larger than 4096 bytes, the test limit (it is 4097 bytes or more)',
    })
    const huge = path.join(dir, 'huge.json')
    fs.writeFileSync(huge, Buffer.alloc(100_000))
    expect(await refusal(readRegularFile(huge, { maxBytes: 4096 }))).toMatchObject({ name: 'FileTooLargeError', reason: 'the file is larger than 4096 bytes, the limit (it is 100000 bytes)' })
    // A stream with a bound stops there too; without one it reads the file to its end.
    const stream = await openRegularFile(huge, { maxBytes: 65_536 })
    expect(await refusal(collect(stream.chunks))).toMatchObject({ name: 'FileTooLargeError' })
    const whole = await openRegularFile(huge)
    expect(whole.stat.size).toBe(100_000)
    expect((await collect(whole.chunks)).length).toBe(100_000)
  })

  it('names what the file system refuses without quoting a byte: a missing file, a folder, a link', async () => {
    const dir = scratch()
    fs.writeFileSync(path.join(dir, 'secret.json'), 'TOP-SECRET')
    expect(await refusal(readRegularFile(path.join(dir, 'nope.json'), { maxBytes: 10 }))).toMatchObject({ name: 'FileAccessError', reason: expect.stringContaining('(ENOENT)') })
    expect(await refusal(readRegularFile(dir, { maxBytes: 10 }))).toMatchObject({ name: 'NotRegularFileError', reason: 'not a regular file: it is a folder (folders are not read)' })
    fs.symlinkSync(path.join(dir, 'secret.json'), path.join(dir, 'link.json'))
    const linked = await refusal(readRegularFile(path.join(dir, 'link.json'), { maxBytes: 4 }))
    expect(linked).toMatchObject({ name: 'NotRegularFileError' })
    expect(linked.message).not.toContain('SECRET')
    expect((await refusal(readRegularFile(path.join(dir, 'secret.json'), { maxBytes: 4 }))).message).not.toContain('SECRET')
  })

  /**
   * Every thread of libuv's pool blocked in an open of a FIFO waiting for a writer, as a hung
   * mount would block them: nothing else that needs the pool runs until `release`.
   */
  const saturatePool = (dir: string): { release: () => Promise<void> } => {
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
    const fifos = Array.from({ length: threads }, (_, i) => path.join(dir, `.hold-${i}`))
    for (const fifo of fifos) execFileSync('mkfifo', [fifo])
    const held: Array<Promise<FileHandle>> = fifos.map(async fifo => await open(fifo, 'r'))
    return {
      release: async () => {
        // A writer lets each blocked open return.
        for (const fifo of fifos) fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK))
        for (const handle of await Promise.all(held)) await handle.close()
      },
    }
  }
  const untilNoneStuck = async (): Promise<void> => {
    await waitFor('the stuck reads to return', () => stuckReads() === 0, { intervalMs: 10, detail: () => `${stuckReads()} still stuck` })
  }

  it('a stream whose next chunk does not come, and a folder listing that does not answer, end with FileTimeoutError naming the path', async () => {
    const dir = scratch()
    const file = path.join(dir, 'big.csv')
    fs.writeFileSync(file, Buffer.alloc(200_000, 0x61))
    const stream = await openRegularFile(file, { stallMs: 200 })
    const listed = path.join(dir, 'listed')
    fs.mkdirSync(listed)
    fs.writeFileSync(path.join(listed, '1.json'), '{}')
    const pool = saturatePool(dir)
    try {
      expect(await refusal(collect(stream.chunks))).toMatchObject({ name: 'FileTimeoutError', message: `${file} did not answer within 0.2 s; it was not read` })
      // Closing does not wait for the stuck read.
      await stream.close()
      const listing = listFolder(listed, { openDeadlineMs: 200 })
      expect(await refusal(listing.next())).toMatchObject({ name: 'FileTimeoutError', message: `${listed} did not answer within 0.2 s; it was not read` })
      expect(stuckReads()).toBe(2)
    } finally {
      await pool.release()
    }
    await untilNoneStuck()
    const names: string[] = []
    for await (const entry of listFolder(listed)) names.push(entry.name.toString())
    expect(names).toEqual(['1.json'])
  })

  it('resolving a path a client names (realpath and stat) has a deadline too', async () => {
    const dir = scratch()
    const pool = saturatePool(dir)
    try {
      expect(await refusal(resolvePath(dir, 200))).toMatchObject({ name: 'FileTimeoutError', message: `${dir} did not answer within 0.2 s; it was not read` })
    } finally {
      await pool.release()
    }
    await untilNoneStuck()
    const resolved = await resolvePath(dir)
    expect(resolved.real).toBe(fs.realpathSync(dir))
    expect(resolved.stat.isDirectory()).toBe(true)
  })

  it('a read that cannot get a thread is refused by name at its deadline; past MAX_STUCK_READS stuck reads, at once; all recover when the threads return', async () => {
    const dir = scratch()
    const good = path.join(dir, '1.json')
    fs.writeFileSync(good, '{"name":"one"}')
    const pool = saturatePool(dir)
    try {
      // The pool's opens were queued first, so a read queued now waits behind them whatever the timing.
      const timedOut: Array<{ name: string, reason: string, message: string }> = []
      for (let i = 0; i < MAX_STUCK_READS; i++) timedOut.push(await refusal(readRegularFile(good, { maxBytes: 1024, deadlineMs: 200 })))
      for (const t of timedOut) expect(t).toMatchObject({ name: 'FileTimeoutError', reason: 'the file did not answer within 0.2 s; it was not read', message: expect.stringContaining(good) })
      expect(stuckReads()).toBe(MAX_STUCK_READS)
      // No more reads join the stuck ones: refused without waiting.
      expect(await refusal(readRegularFile(good, { maxBytes: 1024 }))).toMatchObject({ name: 'FileReadsStuckError', reason: `not read: ${MAX_STUCK_READS} earlier file reads are still stuck (a hung mount or device)` })
      expect(stuckReads()).toBe(MAX_STUCK_READS)
    } finally {
      await pool.release()
    }
    // The stuck reads finish (and close their files) once threads are free again.
    await untilNoneStuck()
    expect((await readRegularFile(good, { maxBytes: 1024 })).toString()).toBe('{"name":"one"}')
  })
})
