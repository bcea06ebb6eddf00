import fs from 'node:fs'
import type { Dirent } from 'node:fs'
import { opendir } from 'node:fs/promises'
import path from 'node:path'
import { throwIfAborted } from './abort.js'
import { CSV_JSON_SUFFIX, CSV_NUMBER_SUFFIX, CSV_TOKEN_ID_COLUMN, CSV_TRAIT_PREFIX, MAX_CSV_COLUMNS, MAX_ITEM_BYTES } from './constants.js'
import { parseCsv } from './csv.js'
import type { CsvRecord } from './csv.js'
import { ImportSourceError } from './errors.js'

/**
 * One item of a source: a token's metadata document, or why it cannot be one. `id` names it
 * within the job (it seeds the item's nonce), `label` names it for a person.
 */
export type SourceItem =
  | { id: string, label: string, tokenId: string, data: string, error?: undefined }
  | { id: string, label: string, tokenId?: string, data?: undefined, error: string }

/** A source read as a stream of items; `count` walks it once without keeping contents. */
export interface ItemSource {
  count(signal?: AbortSignal): Promise<number>
  items(signal?: AbortSignal): AsyncGenerator<SourceItem>
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Files of a folder, in directory order, through `opendir`: a few entries in memory at a time. */
export function folderSource (dir: string): ItemSource {
  return {
    async count (signal) {
      let n = 0
      for await (const entry of await opendir(dir)) {
        throwIfAborted(signal)
        if (!entry.name.startsWith('.')) n++
      }
      return n
    },
    async * items (signal) {
      // One buffer, reused: a file is read up to one byte past the limit, never whole.
      const buffer = Buffer.allocUnsafe(MAX_ITEM_BYTES + 1)
      for await (const entry of await opendir(dir)) {
        throwIfAborted(signal)
        // Hidden files (.DS_Store, editors' swap files) are not items.
        if (entry.name.startsWith('.')) continue
        yield folderItem(dir, entry, buffer)
      }
    },
  }
}

/**
 * One file as an item. Read synchronously: for files of a few KB, a blocking read costs a few
 * microseconds, while each promise-based open/read/close is a thread-pool round trip costing
 * far more than the read itself (a quarter of an import's main-thread time when it was async).
 */
function folderItem (dir: string, entry: Dirent, buffer: Buffer): SourceItem {
  const name = entry.name
  const tokenId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name
  if (!entry.isFile()) return { id: name, label: name, tokenId, error: 'not a regular file (folders and symbolic links are not imported)' }
  const read = readBounded(path.join(dir, name), buffer)
  if (read === undefined) return { id: name, label: name, tokenId, error: `the file is larger than ${MAX_ITEM_BYTES} bytes, the largest metadata document a transaction carries` }
  return { id: name, label: name, ...jsonItem(tokenId, read) }
}

function readBounded (file: string, buffer: Buffer): Uint8Array | undefined {
  // O_NOFOLLOW: a file swapped for a symbolic link after the directory was listed is not followed.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
  try {
    let length = 0
    for (;;) {
      const bytesRead = fs.readSync(fd, buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
      if (length === buffer.length) return undefined
    }
    return buffer.subarray(0, length)
  } finally {
    fs.closeSync(fd)
  }
}

/** A file's bytes as a metadata document: UTF-8 JSON holding an object, written compactly. */
function jsonItem (tokenId: string, bytes: Uint8Array): { tokenId: string, data: string } | { tokenId: string, error: string } {
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    return { tokenId, error: 'the file is not UTF-8 text' }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { tokenId, error: `not valid JSON: ${(err as Error).message}` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { tokenId, error: 'the JSON is not an object (a metadata document is {…})' }
  return { tokenId, data: JSON.stringify(value) }
}

/**
 * A CSV with a header row, one token per record. Column mapping:
 * - `token_id`: the token (required);
 * - `trait:<Name>`: an entry `{ "trait_type": "<Name>", "value": cell }` of `attributes`, in column order;
 * - `<field>:number` and `trait:<Name>:number`: the cell as a JSON number;
 * - `<field>:json`: the cell parsed as JSON (objects, arrays, booleans);
 * - any other `<field>`: the cell as a string.
 * An empty cell leaves its field (or trait) out. Items are named `line <n>`, where the record starts.
 */
export function csvSource (file: string): ItemSource {
  const records = (signal?: AbortSignal): AsyncGenerator<CsvRecord> =>
    parseCsv(abortableChunks(fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 }), signal))
  return {
    async count (signal) {
      let n = 0
      const it = records(signal)
      while ((await it.next()).done !== true) n++
      // The header row is not an item.
      return Math.max(n - 1, 0)
    },
    async * items (signal) {
      let columns: Column[] | undefined
      for await (const record of records(signal)) {
        if (columns === undefined) {
          if (record.error !== undefined) throw new ImportSourceError(file, `its header row (line ${record.line}) cannot be read: ${record.error}`)
          columns = readHeader(file, record.fields)
          continue
        }
        const id = `line ${record.line}`
        if (record.error !== undefined) {
          yield { id, label: id, error: record.error }
          continue
        }
        yield { id, label: id, ...rowItem(columns, record.fields) }
      }
      if (columns === undefined) throw new ImportSourceError(file, 'it is empty; a CSV import needs a header row naming a "token_id" column')
    },
  }
}

async function * abortableChunks (stream: fs.ReadStream, signal?: AbortSignal): AsyncGenerator<string> {
  try {
    for await (const chunk of stream) {
      throwIfAborted(signal)
      yield chunk as string
    }
  } finally {
    stream.destroy()
  }
}

type Column =
  | { kind: 'token_id' }
  | { kind: 'field', name: string, type: 'string' | 'number' | 'json' }
  | { kind: 'trait', name: string, type: 'string' | 'number' }

function readHeader (file: string, names: string[]): Column[] {
  if (names.length > MAX_CSV_COLUMNS) throw new ImportSourceError(file, `its header has ${names.length} columns; the limit is ${MAX_CSV_COLUMNS}`)
  const seen = new Set<string>()
  const columns = names.map((raw, i): Column => {
    const name = raw.trim()
    if (name === '') throw new ImportSourceError(file, `column ${i + 1} of the header has no name`)
    if (seen.has(name)) throw new ImportSourceError(file, `the column "${name}" appears twice in the header`)
    seen.add(name)
    if (name === CSV_TOKEN_ID_COLUMN) return { kind: 'token_id' }
    let type: 'string' | 'number' | 'json' = 'string'
    let base = name
    if (name.endsWith(CSV_NUMBER_SUFFIX)) {
      type = 'number'
      base = name.slice(0, -CSV_NUMBER_SUFFIX.length)
    } else if (name.endsWith(CSV_JSON_SUFFIX)) {
      type = 'json'
      base = name.slice(0, -CSV_JSON_SUFFIX.length)
    }
    if (base.startsWith(CSV_TRAIT_PREFIX)) {
      const trait = base.slice(CSV_TRAIT_PREFIX.length)
      if (trait === '' || type === 'json') throw new ImportSourceError(file, `the column "${name}" is not a trait column: use trait:<Name> or trait:<Name>:number`)
      return { kind: 'trait', name: trait, type }
    }
    if (base === '') throw new ImportSourceError(file, `the column "${name}" names no field`)
    return { kind: 'field', name: base, type }
  })
  if (!columns.some(c => c.kind === 'token_id')) throw new ImportSourceError(file, `its header row has no "${CSV_TOKEN_ID_COLUMN}" column`)
  return columns
}

function rowItem (columns: Column[], cells: string[]): { tokenId: string, data: string } | { tokenId?: string, error: string } {
  if (cells.length !== columns.length) return { error: `the record has ${cells.length} fields; the header has ${columns.length}` }
  let tokenId = ''
  const document: Record<string, unknown> = {}
  const attributes: Array<{ trait_type: string, value: unknown }> = []
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as Column
    const cell = cells[i] as string
    if (column.kind === 'token_id') {
      tokenId = cell.trim()
      continue
    }
    if (cell === '') continue
    const label = column.kind === 'trait' ? `${CSV_TRAIT_PREFIX}${column.name}` : column.name
    let value: unknown = cell
    if (column.type === 'number') {
      value = Number(cell.trim())
      if (cell.trim() === '' || !Number.isFinite(value)) return { tokenId, error: `the column "${label}${CSV_NUMBER_SUFFIX}" holds "${cell.slice(0, 40)}", which is not a number` }
    } else if (column.type === 'json') {
      try {
        value = JSON.parse(cell)
      } catch (err) {
        return { tokenId, error: `the column "${label}${CSV_JSON_SUFFIX}" is not valid JSON: ${(err as Error).message}` }
      }
    }
    if (column.kind === 'trait') attributes.push({ trait_type: column.name, value })
    else document[column.name] = value
  }
  if (attributes.length > 0) document.attributes = attributes
  return { tokenId, data: JSON.stringify(document) }
}

/** The format a path holds, by what it is and its extension. */
export function detectFormat (source: string, stat: fs.Stats): 'folder' | 'csv' | 'car' | undefined {
  if (stat.isDirectory()) return 'folder'
  if (!stat.isFile()) return undefined
  const ext = path.extname(source).toLowerCase()
  return ext === '.csv' ? 'csv' : ext === '.car' ? 'car' : undefined
}
