// Each error carries `reason`: why this one file was refused, without its path, for a report that
// names the file itself (an import item). The message names the path, for everything else.
// No message ever quotes bytes of the file.

/** The path is not a regular file (a folder, a FIFO, a device, a socket, a symbolic link). */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError'
  readonly reason: string
  constructor (readonly path: string, readonly kind: string) {
    super(`${path} is not a regular file: it is ${kind}`)
    this.reason = `not a regular file: it is ${kind}`
  }
}

/** The file lives on a file system of the kernel's (/proc, /sys, /dev…), not on one holding data. */
export class SystemFileError extends Error {
  override readonly name = 'SystemFileError'
  readonly reason: string
  constructor (readonly path: string, readonly fileSystem: string) {
    super(`${path} is on the system file system ${fileSystem}, which holds the kernel's state, not files to read or write`)
    this.reason = `it is on the system file system ${fileSystem}, which holds the kernel's state, not files to read`
  }
}

/** The file is larger than what is read of it. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError'
  readonly reason: string
  constructor (readonly path: string, readonly size: number, readonly limit: number, what = 'the limit') {
    const seen = size > limit + 1 ? `${size} bytes` : `${size} bytes or more`
    super(`${path} is larger than ${limit} bytes, ${what} (it is ${seen})`)
    this.reason = `the file is larger than ${limit} bytes, ${what} (it is ${seen})`
  }
}

/** Opening or reading the file did not finish within its deadline (a hung mount, a driver). */
export class FileTimeoutError extends Error {
  override readonly name = 'FileTimeoutError'
  readonly reason: string
  constructor (readonly path: string, readonly ms: number) {
    super(`${path} did not answer within ${ms / 1000} s; it was not read`)
    this.reason = `the file did not answer within ${ms / 1000} s; it was not read`
  }
}

/** Earlier reads are still stuck past their deadline; this one is refused rather than queued behind them. */
export class FileReadsStuckError extends Error {
  override readonly name = 'FileReadsStuckError'
  readonly reason: string
  constructor (readonly path: string, readonly stuck: number) {
    super(`${path} was not read: ${stuck} earlier file reads are still stuck (a hung mount or device); try again once they return`)
    this.reason = `not read: ${stuck} earlier file reads are still stuck (a hung mount or device)`
  }
}

/** The file system refused to open or read the file (it is gone, permission denied, an I/O error). */
export class FileAccessError extends Error {
  override readonly name = 'FileAccessError'
  readonly reason: string
  constructor (readonly path: string, readonly code: string, detail: string) {
    super(`${path} cannot be read: ${detail} (${code})`)
    this.reason = `the file cannot be read: ${detail} (${code})`
  }
}

/** A folder on the way to a file to write is a symbolic link: the file would land somewhere not named. */
export class SymlinkedPathError extends Error {
  override readonly name = 'SymlinkedPathError'
  constructor (readonly path: string, readonly link: string, readonly to: string) {
    super(`${link} is a symbolic link (to ${to}); give the real folder, so the file is written where you named it`)
  }
}

/** The file to write already exists (a regular file, or anything else). */
export class TargetExistsError extends Error {
  override readonly name = 'TargetExistsError'
  constructor (readonly path: string, kind?: string) {
    super(kind === undefined ? `${path} already exists; choose a new file name` : `${path} already exists and is not a regular file (it is ${kind}); choose a new file name`)
  }
}

/** The folder to write into is missing or is not a folder. */
export class TargetFolderError extends Error {
  override readonly name = 'TargetFolderError'
  constructor (readonly path: string, detail: string) {
    super(`the folder ${path} ${detail}`)
  }
}

/** Names of the errors that refuse a file read (each has a `reason`). */
const READ_REFUSALS = new Set(['NotRegularFileError', 'SystemFileError', 'FileTooLargeError', 'FileTimeoutError', 'FileReadsStuckError', 'FileAccessError'])

/** Why a file was not read, if `err` is one of the read refusals above; undefined for anything else. */
export function readRefusal (err: unknown): string | undefined {
  const { name, reason } = (err ?? {}) as { name?: unknown, reason?: unknown }
  return typeof name === 'string' && READ_REFUSALS.has(name) && typeof reason === 'string' ? reason : undefined
}
