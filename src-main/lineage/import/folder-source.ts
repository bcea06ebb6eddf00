import { Buffer } from 'node:buffer'
import fs from 'node:fs'
import type { Dirent } from 'node:fs'
import { opendir } from 'node:fs/promises'
import path from 'node:path'
import { MAX_TOKEN_ID, TOKEN_ID_PATTERN } from '../signing/index.js'
import { throwIfAborted } from './abort.js'
import { MAX_ITEM_BYTES, MAX_ITEM_DEPTH } from './constants.js'
import { describeJsonProblem, parseJsonText } from './json-text.js'
import type { JsonProblem } from './json-text.js'
import { shownText } from './shown-text.js'
import type { ItemSource, SourceItem } from './sources.js'
import { unexpectedReason } from './unexpected.js'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const DOT = 0x2e

/**
 * Open flags of an item: never follow a link swapped in after the listing (O_NOFOLLOW), never
 * wait on a FIFO or a device (O_NONBLOCK), never adopt a terminal (O_NOCTTY). The type is then
 * checked on the open descriptor (fstat), so nothing but a regular file is ever read.
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY

/**
 * Files of a folder, in directory order, through `opendir`: a few entries in memory at a time.
 * Names are read as bytes, so a name that is not UTF-8 is still opened (and reported) as it is.
 * Every entry but a hidden one is an item; whatever is wrong with one (its name, its type, its
 * size, its bytes, an error reading it) makes that item a refusal naming it, never the job's end.
 */
export function folderSource (dir: string, onUnexpected?: (item: string, err: unknown) => void): ItemSource {
  const dirBytes = Buffer.from(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`)
  return {
    async count (signal) {
      let n = 0
      for await (const entry of await listBytes(dir)) {
        throwIfAborted(signal)
        if (entry.name[0] !== DOT) n++
      }
      return n
    },
    async * items (signal) {
      // One buffer, reused: a file is read up to one byte past the limit, never whole.
      const buffer = Buffer.allocUnsafe(MAX_ITEM_BYTES + 1)
      for await (const entry of await listBytes(dir)) {
        throwIfAborted(signal)
        // Hidden files (.DS_Store, editors' swap files) are not items.
        if (entry.name[0] === DOT) continue
        const name = entryName(entry.name)
        try {
          yield folderItem(Buffer.concat([dirBytes, entry.name]), entry, name, buffer)
        } catch (err) {
          // A generator that throws is finished: whatever went wrong stays with this item.
          onUnexpected?.(name.label, err)
          yield { id: name.id, label: name.label, error: unexpectedReason(err, 'reading it') }
        }
      }
    },
  }
}

/** `opendir` with names as bytes; Node supports the "buffer" encoding here, its typings do not. */
async function listBytes (dir: string): Promise<AsyncIterable<Dirent<Buffer>>> {
  return await opendir(dir, { encoding: 'buffer' as BufferEncoding }) as unknown as AsyncIterable<Dirent<Buffer>>
}

interface EntryName {
  /** Seeds the item's nonce: the name itself when it is UTF-8 (as every job so far), its shown form otherwise. */
  id: string
  label: string
  /** The name as text, if it is UTF-8. */
  text?: string
}

function entryName (bytes: Buffer): EntryName {
  const label = shownText(bytes)
  try {
    const text = strictUtf8.decode(bytes)
    return { id: text, label, text }
  } catch {
    return { id: label, label }
  }
}

/** The token a file name names: `<tokenId>.json` or `<tokenId>`, a canonical decimal uint256. */
function tokenOf (name: string): string | undefined {
  const tokenId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name
  return TOKEN_ID_PATTERN.test(tokenId) && BigInt(tokenId) <= MAX_TOKEN_ID ? tokenId : undefined
}

/**
 * One file as an item. Read synchronously: for files of a few KB, a blocking read costs a few
 * microseconds, while each promise-based open/read/close is a thread-pool round trip costing
 * far more than the read itself (a quarter of an import's main-thread time when it was async).
 */
function folderItem (file: Buffer, entry: Dirent<Buffer>, name: EntryName, buffer: Buffer): SourceItem {
  const { id, label } = name
  const refuse = (error: string, tokenId?: string): SourceItem => ({ id, label, error, ...(tokenId === undefined ? {} : { tokenId }) })
  // What the listing says is enough to refuse without opening; a regular file is checked again once open.
  const listed = notRegular(entry)
  if (listed !== undefined) return refuse(listed)
  if (name.text === undefined) return refuse('the file name is not valid UTF-8, so it cannot name a token; rename the file <tokenId>.json')
  const tokenId = tokenOf(name.text)
  if (tokenId === undefined) return refuse('the file name is not a token id: name each file <tokenId>.json or <tokenId>, with a decimal token id such as 42')
  const read = readRegularFile(file, buffer)
  if (typeof read === 'string') return refuse(read, tokenId)
  return { id, label, ...jsonItem(tokenId, read) }
}

/** Why a listed entry is not a regular file, or undefined if it is one (or its type is unknown). */
function notRegular (entry: Dirent<Buffer> | fs.Stats): string | undefined {
  if (entry.isFile()) return undefined
  const kind = entry.isDirectory()
    ? 'a folder (folders are not imported)'
    : entry.isSymbolicLink()
      ? 'a symbolic link (links are not followed)'
      : entry.isFIFO()
        ? 'a named pipe (FIFO)'
        : entry.isSocket()
          ? 'a socket'
          : entry.isBlockDevice() || entry.isCharacterDevice() ? 'a device' : undefined
  return kind === undefined ? undefined : `not a regular file: it is ${kind}`
}

/** The file's bytes (in `buffer`), or why it cannot be read; a file that is not regular is never read. */
function readRegularFile (file: Buffer, buffer: Buffer): Uint8Array | string {
  let fd: number
  try {
    fd = fs.openSync(file, OPEN_FLAGS)
  } catch (err) {
    return openFailure(err)
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) return notRegular(stat) ?? 'not a regular file'
    if (stat.size > MAX_ITEM_BYTES) return tooLarge(stat.size)
    let length = 0
    for (;;) {
      const bytesRead = fs.readSync(fd, buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
      // It grew since fstat.
      if (length === buffer.length) return tooLarge(length)
    }
    return buffer.subarray(0, length)
  } catch (err) {
    return `the file cannot be read (${errorCode(err)})`
  } finally {
    fs.closeSync(fd)
  }
}

function tooLarge (size: number): string {
  return `the file is larger than ${MAX_ITEM_BYTES} bytes, the largest metadata document a transaction carries (it is ${size} bytes${size === MAX_ITEM_BYTES + 1 ? ' or more' : ''})`
}

function openFailure (err: unknown): string {
  const code = errorCode(err)
  switch (code) {
    case 'ENOENT': return 'the file disappeared before it could be read (ENOENT)'
    case 'ELOOP': return 'not a regular file: it is a symbolic link (links are not followed)'
    case 'ENXIO': return 'not a regular file: it is a socket or a device without a driver (ENXIO)'
    case 'EACCES':
    case 'EPERM': return `the file cannot be read: permission denied (${code})`
    default: return `the file cannot be opened (${code})`
  }
}

/** A system error's code (EIO, EACCES…): a fixed word, never text from the file. */
function errorCode (err: unknown): string {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'unknown error'
}

/** A file's bytes as a metadata document: UTF-8 JSON holding an object, at most MAX_ITEM_DEPTH deep, written compactly. */
function jsonItem (tokenId: string, bytes: Uint8Array): { tokenId: string, data: string } | { tokenId: string, error: string } {
  let text: string
  try {
    // A UTF-8 byte order mark is dropped by the decoder.
    text = strictUtf8.decode(bytes)
  } catch {
    return { tokenId, error: 'the file is not UTF-8 text' }
  }
  const parsed = parseJsonText(text, MAX_ITEM_DEPTH)
  if (parsed.problem !== undefined) return { tokenId, error: documentProblem(parsed.problem) }
  const value = parsed.value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { tokenId, error: 'the JSON is not an object (a metadata document is {…})' }
  return { tokenId, data: JSON.stringify(value) }
}

function documentProblem (problem: JsonProblem): string {
  if (problem.kind === 'empty') return 'the file is empty'
  if (problem.kind === 'depth') return `the document is ${describeJsonProblem(problem)}`
  return describeJsonProblem(problem)
}
