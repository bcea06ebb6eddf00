import { Buffer } from 'node:buffer'
import fs from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { lstat, open, opendir, realpath, stat as statPath, statfs } from 'node:fs/promises'
import { FILE_READ_DEADLINE_MS, FILE_STALL_MS, FILE_STREAM_CHUNK_BYTES, SYSTEM_FILE_SYSTEMS } from './constants.js'
import { withDeadline } from './deadline.js'
import { FileAccessError, FileTooLargeError, NotRegularFileError, SystemFileError } from './errors.js'

/**
 * Open flags of every file read for a client: never follow a symbolic link in the last component
 * (O_NOFOLLOW), never wait for a FIFO's writer or a device (O_NONBLOCK), never adopt a terminal
 * (O_NOCTTY). The type is then checked on the open handle (fstat), so only a regular file is read.
 */
export const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0)

/** The same, following a link: for a file the user names to their own CLI (a dotfile may well be a link). */
const READ_FLAGS_FOLLOWING = READ_FLAGS & ~(fs.constants.O_NOFOLLOW ?? 0)

export interface ReadFileOptions {
  /** Largest file read whole; a larger one is refused with FileTooLargeError, unread past this + 1 bytes. */
  maxBytes: number
  /** What the limit is, for the message ("the largest metadata document a transaction carries"). */
  limitName?: string
  /** The file as messages name it; defaults to the path (given here as bytes, say). */
  label?: string
  /** Defaults to FILE_READ_DEADLINE_MS, for opening, checking and reading the whole file. */
  deadlineMs?: number
  /**
   * What the caller already knows about the entry (a folder listing's type): a FIFO or a device
   * is then refused without being opened at all. The open handle is checked regardless.
   */
  listed?: fs.Dirent<Buffer> | fs.Dirent
  /**
   * Follow a symbolic link to the file it names (it must still be a regular file). Only for a
   * file the user names on their own command line; a path a client of the node names never is.
   */
  followLinks?: boolean
  /**
   * The device (st_dev) of a folder whose file system was already checked (checkedFolder): a
   * file on that same device needs no check of its own, which saves a call per file of a folder.
   */
  checkedDevice?: number
}

/**
 * Reads a regular file whole, without ever blocking the main thread (every step is an async call
 * on the thread pool) and bounded in size and time: it opens the path without following a link
 * or waiting on a FIFO, checks the open handle is a regular file on a file system holding data,
 * and reads at most `maxBytes` + 1 bytes.
 *
 * @throws NotRegularFileError, SystemFileError, FileTooLargeError, FileTimeoutError,
 * FileReadsStuckError, FileAccessError; each has a `reason` that does not repeat the path
 */
export async function readRegularFile (file: string | Buffer, options: ReadFileOptions): Promise<Buffer> {
  const label = options.label ?? file.toString()
  const { maxBytes } = options
  if (options.listed !== undefined) {
    const kind = kindOf(options.listed)
    if (kind !== undefined) throw new NotRegularFileError(label, kind)
  }
  const tooLarge = (size: number): FileTooLargeError => new FileTooLargeError(label, size, maxBytes, options.limitName)
  return await withDeadline(label, options.deadlineMs ?? FILE_READ_DEADLINE_MS, async gone => {
    if (options.listed === undefined) await checkListed(file, label, options.followLinks === true)
    if (gone()) return Buffer.alloc(0)
    const { handle, stat } = await openChecked(file, label, options.followLinks === true, options.checkedDevice)
    try {
      if (gone()) return Buffer.alloc(0)
      if (stat.size > maxBytes) throw tooLarge(stat.size)
      // Sized to the file, grown only if it grows while read; never past maxBytes + 1.
      let buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1)
      let length = 0
      for (;;) {
        if (gone()) return Buffer.alloc(0)
        const asked = buffer.length - length
        const { bytesRead } = await handle.read(buffer, length, asked, null)
        length += bytesRead
        // A regular file answers short only at its end: no extra call to see it end.
        if (bytesRead < asked) break
        if (length === buffer.length) {
          if (length > maxBytes) throw tooLarge(length)
          const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1))
          buffer.copy(grown, 0, 0, length)
          buffer = grown
        }
      }
      return buffer.subarray(0, length)
    } finally {
      await handle.close()
    }
  })
}

export interface FileStreamOptions {
  label?: string
  /** Defaults to FILE_READ_DEADLINE_MS, for opening and checking the file. */
  openDeadlineMs?: number
  /** Defaults to FILE_STALL_MS, for each chunk. */
  stallMs?: number
  /** Largest file read; past it the stream throws FileTooLargeError. None by default. */
  maxBytes?: number
  limitName?: string
}

export interface RegularFileStream {
  /** The file's status as of the open, from its handle. */
  stat: fs.Stats
  /** The file's bytes, one chunk per read; each read has its own deadline. Read once. */
  chunks: AsyncIterable<Uint8Array>
  /** Closes the file; safe to call more than once, also while a read is pending. */
  close(): Promise<void>
}

/**
 * Opens a regular file for streaming, with the same checks as readRegularFile. Each chunk is a
 * fresh buffer from a read bounded by `stallMs` (FileTimeoutError past it), so a file that keeps
 * answering is read to its end whatever its size, and one that stops is refused.
 */
export async function openRegularFile (file: string, options: FileStreamOptions = {}): Promise<RegularFileStream> {
  const label = options.label ?? file
  const { handle, stat } = await withDeadline(label, options.openDeadlineMs ?? FILE_READ_DEADLINE_MS, async () => {
    await checkListed(file, label)
    return await openChecked(file, label)
  }, async late => { await late.handle.close() })
  const stallMs = options.stallMs ?? FILE_STALL_MS
  let closing: Promise<void> | undefined
  let stuck = false
  // A handle closes once its pending read returns: after a stuck read, closing is left to happen then.
  const close = async (): Promise<void> => {
    closing ??= handle.close()
    if (stuck) closing.catch(() => {})
    else await closing
  }
  async function * chunks (): AsyncGenerator<Uint8Array> {
    let total = 0
    try {
      for (;;) {
        const chunk = await withDeadline(label, stallMs, async () => {
          const buffer = Buffer.allocUnsafe(FILE_STREAM_CHUNK_BYTES)
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
          return buffer.subarray(0, bytesRead)
        }).catch((err: unknown) => {
          if ((err as Error).name === 'FileTimeoutError') stuck = true
          throw err
        })
        if (chunk.length === 0) return
        total += chunk.length
        if (options.maxBytes !== undefined && total > options.maxBytes) throw new FileTooLargeError(label, total, options.maxBytes, options.limitName)
        yield chunk
      }
    } finally {
      await close()
    }
  }
  return { stat, chunks: chunks(), close }
}

/**
 * Checks that a folder is on a file system holding data, not the kernel's, and returns its device
 * for `checkedDevice`: the files of a folder read one by one then skip that check each.
 *
 * @throws SystemFileError, FileAccessError
 */
export async function checkedFolder (dir: string): Promise<number> {
  let device: number
  try {
    device = (await statPath(dir)).dev
  } catch (err) {
    throw accessFailure(dir, err)
  }
  if (process.platform === 'linux') {
    const type = await statfs(dir).then(s => Number(s.type), () => undefined)
    const system = type === undefined ? undefined : SYSTEM_FILE_SYSTEMS.get(type)
    if (system !== undefined) throw new SystemFileError(dir, system)
  }
  return device
}

/** Refuses, before opening, what a look at the path (not following a link) already shows is not a regular file. */
async function checkListed (file: string | Buffer, label: string, followLinks = false): Promise<void> {
  let stat: fs.Stats
  try {
    stat = await (followLinks ? statPath(file) : lstat(file))
  } catch (err) {
    throw accessFailure(label, err)
  }
  const kind = kindOf(stat)
  if (kind !== undefined) throw new NotRegularFileError(label, kind)
}

/** Opens without following a link or blocking, then checks the handle: a regular file on a data file system. */
async function openChecked (file: string | Buffer, label: string, followLinks = false, checkedDevice?: number): Promise<{ handle: FileHandle, stat: fs.Stats }> {
  let handle: FileHandle
  try {
    handle = await open(file, followLinks ? READ_FLAGS_FOLLOWING : READ_FLAGS)
  } catch (err) {
    throw accessFailure(label, err)
  }
  try {
    const stat = await handle.stat()
    const kind = kindOf(stat)
    if (kind !== undefined) throw new NotRegularFileError(label, kind)
    const system = stat.dev === checkedDevice ? undefined : await systemFileSystemOf(handle)
    if (system !== undefined) throw new SystemFileError(label, system)
    return { handle, stat }
  } catch (err) {
    await handle.close()
    throw err
  }
}

/**
 * The kernel file system an open file lives on, if it is one (Linux: statfs through the handle's
 * /proc/self/fd entry, which names the open file itself, not a path that could have changed).
 * Elsewhere, and without /proc, the regular-file check stands alone: devfs holds no regular files.
 */
async function systemFileSystemOf (handle: FileHandle): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined
  try {
    return SYSTEM_FILE_SYSTEMS.get(Number((await statfs(`/proc/self/fd/${handle.fd}`)).type))
  } catch {
    return undefined
  }
}

/** What an entry is if it is not a regular file; undefined for a regular file (or a type the listing did not give). */
export function kindOf (entry: fs.Dirent<Buffer> | fs.Dirent | fs.Stats): string | undefined {
  if (entry.isFile()) return undefined
  if (entry.isDirectory()) return 'a folder (folders are not read)'
  if (entry.isSymbolicLink()) return 'a symbolic link (links are not followed)'
  if (entry.isFIFO()) return 'a named pipe (FIFO)'
  if (entry.isSocket()) return 'a socket'
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device'
  return entry instanceof fs.Stats ? 'not a file' : undefined
}

/** A file system refusal as the error that names it; only a fixed code word, never text from the file. */
export function accessFailure (label: string, err: unknown): Error {
  const code = errorCode(err)
  switch (code) {
    case 'ELOOP': return new NotRegularFileError(label, 'a symbolic link (links are not followed)')
    case 'ENXIO': return new NotRegularFileError(label, 'a socket or a device without a driver')
    case 'ENOENT': return new FileAccessError(label, code, 'it does not exist (or disappeared before it could be read)')
    case 'ENOTDIR': return new FileAccessError(label, code, 'a part of its path is not a folder')
    case 'EACCES':
    case 'EPERM': return new FileAccessError(label, code, 'permission denied')
    default: return new FileAccessError(label, code, 'the file system refused it')
  }
}

/** A system error's code (EIO, EACCES…): a fixed word. */
export function errorCode (err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'unknown error'
}

/**
 * The entries of a folder, names as bytes (a name that is not UTF-8 is still listed as it is),
 * a few in memory at a time. Opening the folder has `openDeadlineMs` (FILE_READ_DEADLINE_MS) and each read of
 * entries `stallMs` (FILE_STALL_MS by default): a folder on a hung mount ends the listing with
 * FileTimeoutError instead of leaving it waiting for ever.
 */
export async function * listFolder (dir: string, options: { openDeadlineMs?: number, stallMs?: number } = {}): AsyncGenerator<fs.Dirent<Buffer>> {
  const stallMs = options.stallMs ?? FILE_STALL_MS
  // Node supports the "buffer" encoding here; its typings do not.
  const folder = await withDeadline(dir, options.openDeadlineMs ?? FILE_READ_DEADLINE_MS, async () => await opendir(dir, { encoding: 'buffer' as BufferEncoding }), async late => { await late.close() })
  let stuck = false
  try {
    for (;;) {
      const entry = await withDeadline(dir, stallMs, async () => await folder.read()).catch((err: unknown) => {
        if ((err as Error).name === 'FileTimeoutError') stuck = true
        throw err
      })
      if (entry === null) return
      yield entry as unknown as fs.Dirent<Buffer>
    }
  } finally {
    // A folder cannot be closed while a read is pending; after a stuck one it is left to the collector.
    if (!stuck) await folder.close().catch(() => {})
  }
}

/**
 * The real path of a path a client names and its status (following links, as realpath and stat
 * do), within FILE_READ_DEADLINE_MS: a path on a hung mount throws FileTimeoutError rather than
 * leaving the caller waiting. The file system's own errors (ENOENT…) come through unchanged.
 */
export async function resolvePath (file: string, deadlineMs = FILE_READ_DEADLINE_MS): Promise<{ real: string, stat: fs.Stats }> {
  return await withDeadline(file, deadlineMs, async () => {
    const real = await realpath(file)
    return { real, stat: await statPath(real) }
  })
}
