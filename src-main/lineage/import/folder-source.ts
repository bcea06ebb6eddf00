import { Buffer } from 'node:buffer'
import type { Dirent } from 'node:fs'
import path from 'node:path'
import { checkedFolder, createFileReader, kindOf, listFolder, NotRegularFileError, readRefusal } from '../../files/index.js'
import type { FileReader } from '../../files/index.js'
import { MAX_TOKEN_ID, TOKEN_ID_PATTERN } from '../signing/index.js'
import { throwIfAborted } from './abort.js'
import { FOLDER_READ_AHEAD, MAX_ITEM_BYTES, MAX_ITEM_DEPTH, NOT_METADATA_EXTENSIONS } from './constants.js'
import { ImportSourceError } from './errors.js'
import { describeJsonProblem, parseJsonText } from './json-text.js'
import type { JsonProblem } from './json-text.js'
import { shownText } from './shown-text.js'
import type { ItemSource, SourceItem } from './sources.js'
import { unexpectedReason } from './unexpected.js'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const DOT = 0x2e
const DIGIT_0 = 0x30
const JSON_SUFFIX = Buffer.from('.json')
/** Numbered files up to 15 digits are read in id order: id × 2 + 1 stays below 2^53. */
const NUMBERED_MAX_DIGITS = 15

/** What the size limit of an item is, as a refusal says. */
const ITEM_LIMIT_NAME = 'the largest metadata document a transaction carries'

/**
 * Files of a folder, through `opendir`: numbered files (`<tokenId>.json` or `<tokenId>`) first,
 * in token id order, then every other entry in directory order. Id order is what a creator reads
 * in the progress and the report, and it writes each index keyed by token id at its end instead
 * of at random places (a 1,000,000-file import in directory order slowed as they grew:
 * docs/BENCHMARKS.md). Only the numbered files' ids are held (8 bytes each), never the listing.
 * Names are read as bytes, so a name that is not UTF-8 is still opened (and reported) as it is.
 * Every entry but a hidden one or a file that is clearly not metadata (an image, a note: told to
 * `onIgnored`, once per run) is an item; whatever is wrong with one (its name, its type, its size,
 * its bytes, an error reading it) makes that item a refusal naming it, never the job's end.
 */
export function folderSource (dir: string, onUnexpected?: (item: string, err: unknown) => void, onIgnored?: (name: string) => void): ItemSource {
  const dirBytes = Buffer.from(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`)
  return {
    async count (signal) {
      let n = 0
      for await (const entry of listBytes(dir)) {
        throwIfAborted(signal)
        if (entry.name[0] !== DOT && !notMetadata(entry.name)) n++
      }
      return n
    },
    async * items (signal) {
      let device: number
      try {
        device = await checkedFolder(dir)
      } catch (err) {
        const reason = readRefusal(err)
        if (reason !== undefined) throw new ImportSourceError(dir, reason)
        throw err
      }
      // Files are read in batches by a worker thread (files/ createFileReader), a batch ahead of
      // the one the import takes next, so the next files are read while these are signed.
      const reader = createFileReader({ maxBytes: MAX_ITEM_BYTES, limitName: ITEM_LIMIT_NAME })
      let ending = false
      const item = async (fileName: Buffer, entry: Dirent<Buffer> | undefined): Promise<SourceItem> => {
        const name = entryName(fileName)
        try {
          return await folderItem(reader, Buffer.concat([dirBytes, fileName]), entry, name, device)
        } catch (err) {
          // Whatever went wrong stays with this item (unless the import ended and dropped it).
          if (!ending) onUnexpected?.(name.label, err)
          return { id: name.id, label: name.label, error: unexpectedReason(err, 'reading it') }
        }
      }
      const reading: Array<Promise<SourceItem>> = []
      try {
        // A file added or removed between the two listings is read by neither or refused as gone,
        // as a directory-order listing may do with a file changed while it is listed.
        const numbered = await numberedFiles(dir, signal)
        for (const code of numbered) {
          throwIfAborted(signal)
          reading.push(item(Buffer.from(numberedName(code), 'latin1'), undefined))
          if (reading.length >= FOLDER_READ_AHEAD) yield await (reading.shift() as Promise<SourceItem>)
        }
        for await (const entry of listBytes(dir)) {
          throwIfAborted(signal)
          // Hidden files (.DS_Store, editors' swap files) are not items.
          if (entry.name[0] === DOT || readAlready(numbered, entry.name)) continue
          if (notMetadata(entry.name)) {
            onIgnored?.(shownText(entry.name))
            continue
          }
          reading.push(item(entry.name, entry))
          if (reading.length >= FOLDER_READ_AHEAD) yield await (reading.shift() as Promise<SourceItem>)
        }
        for (let next = reading.shift(); next !== undefined; next = reading.shift()) {
          throwIfAborted(signal)
          yield await next
        }
      } finally {
        ending = true
        await reader.close()
      }
    },
  }
}

/** The folder's entries, each read of them within a deadline; a folder that stops answering fails the import, naming it. */
async function * listBytes (dir: string): AsyncGenerator<Dirent<Buffer>> {
  try {
    yield * listFolder(dir)
  } catch (err) {
    const reason = readRefusal(err)
    if (reason !== undefined) throw new ImportSourceError(dir, reason)
    throw err
  }
}

/**
 * A numbered regular file's place in token id order: id × 2, plus 1 when it is named
 * `<id>.json` (so `42` comes just before `42.json`). Only ids up to NUMBERED_MAX, so the code is
 * an exact double; a larger id (or any other name) is read in directory order.
 */
function numberedCode (name: Buffer): number | undefined {
  let end = name.length
  const json = end > JSON_SUFFIX.length && name.subarray(end - JSON_SUFFIX.length).equals(JSON_SUFFIX)
  if (json) end -= JSON_SUFFIX.length
  if (end === 0 || end > NUMBERED_MAX_DIGITS || (name[0] === DIGIT_0 && end > 1)) return undefined
  let id = 0
  for (let i = 0; i < end; i++) {
    const digit = (name[i] ?? 0) - DIGIT_0
    if (digit < 0 || digit > 9) return undefined
    id = id * 10 + digit
  }
  return id * 2 + (json ? 1 : 0)
}

function numberedName (code: number): string {
  const id = Math.floor(code / 2)
  return code % 2 === 1 ? `${id}.json` : `${id}`
}

/** Whether a name was among the numbered files (whatever it has become since). */
function readAlready (numbered: Float64Array, name: Buffer): boolean {
  const code = numberedCode(name)
  if (code === undefined) return false
  let low = 0
  let high = numbered.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((numbered[middle] ?? 0) < code) low = middle + 1
    else high = middle
  }
  return numbered[low] === code
}

/** The folder's numbered regular files, as numberedCode, in token id order. */
async function numberedFiles (dir: string, signal?: AbortSignal): Promise<Float64Array> {
  let codes = new Float64Array(1024)
  let n = 0
  for await (const entry of listBytes(dir)) {
    throwIfAborted(signal)
    const code = entry.isFile() ? numberedCode(entry.name) : undefined
    if (code === undefined) continue
    if (n === codes.length) {
      const grown = new Float64Array(codes.length * 2)
      grown.set(codes)
      codes = grown
    }
    codes[n++] = code
  }
  return codes.subarray(0, n).sort()
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

/** A name whose extension says it is an image, media, a note…: not a metadata document. */
function notMetadata (name: Buffer): boolean {
  const dot = name.lastIndexOf(DOT)
  return dot > 0 && NOT_METADATA_EXTENSIONS.has(name.subarray(dot + 1).toString('latin1').toLowerCase())
}

/** The token a file name names: `<tokenId>.json` or `<tokenId>`, a canonical decimal uint256. */
function tokenOf (name: string): string | undefined {
  const tokenId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name
  return TOKEN_ID_PATTERN.test(tokenId) && BigInt(tokenId) <= MAX_TOKEN_ID ? tokenId : undefined
}

/**
 * One file as an item, read through files/: only a regular file (checked on the open handle),
 * opened without waiting on a FIFO, off the main thread, at most MAX_ITEM_BYTES + 1 bytes and
 * within a deadline. Whatever the file system refuses is this item's reason, naming no bytes.
 */
async function folderItem (reader: FileReader, file: Buffer, entry: Dirent<Buffer> | undefined, name: EntryName, checkedDevice: number): Promise<SourceItem> {
  const { id, label } = name
  const refuse = (error: string, tokenId?: string): SourceItem => ({ id, label, error, ...(tokenId === undefined ? {} : { tokenId }) })
  // What the listing says is enough to refuse without opening; a regular file is checked again once open.
  const listed = entry === undefined ? undefined : kindOf(entry)
  if (listed !== undefined) return refuse(new NotRegularFileError(label, listed).reason)
  if (name.text === undefined) return refuse('the file name is not valid UTF-8, so it cannot name a token; rename the file <tokenId>.json')
  const tokenId = tokenOf(name.text)
  if (tokenId === undefined) return refuse('the file name is not a token id: name each file <tokenId>.json or <tokenId>, with a decimal token id such as 42')
  let bytes: Uint8Array
  try {
    bytes = await reader.read(file, { label, ...(entry === undefined ? {} : { listed: entry }), checkedDevice })
  } catch (err) {
    const reason = readRefusal(err)
    if (reason !== undefined) return refuse(reason, tokenId)
    throw err
  }
  return { id, label, ...jsonItem(tokenId, bytes) }
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
