import { Buffer } from 'node:buffer'
import { openRegularFile, readRefusal } from '../../files/index.js'
import type { RegularFileStream } from '../../files/index.js'
import { MAX_TOKEN_ID, TOKEN_ID_PATTERN } from '../signing/index.js'
import { throwIfAborted } from './abort.js'
import { CSV_JSON_SUFFIX, CSV_NUMBER_SUFFIX, CSV_TOKEN_ID_COLUMN, CSV_TRAIT_PREFIX, MAX_CSV_COLUMNS, MAX_ITEM_BYTES, MAX_ITEM_DEPTH } from './constants.js'
import { parseCsv } from './csv.js'
import type { CsvRecord } from './csv.js'
import { ImportSourceError } from './errors.js'
import { describeJsonProblem, parseJsonText } from './json-text.js'
import { shownText } from './shown-text.js'
import type { ItemSource, SourceItem } from './sources.js'
import { unexpectedReason } from './unexpected.js'
import { KeepingBytesDecoder, LONE_SURROGATE } from './utf8.js'

/** Longest column name quoted in a reason. */
const SHOWN_COLUMN_CHARS = 80

/**
 * A CSV with a header row, one token per record. Column mapping:
 * - `token_id`: the token (required);
 * - `trait:<Name>`: an entry `{ "trait_type": "<Name>", "value": cell }` of `attributes`, in column order;
 * - `<field>:number` and `trait:<Name>:number`: the cell as a JSON number;
 * - `<field>:json`: the cell parsed as JSON (objects, arrays, booleans);
 * - any other `<field>`: the cell as a string.
 * An empty cell leaves its field (or trait) out. Items are named `line <n>`, where the record starts.
 *
 * The file must be UTF-8. Bytes that are not are kept (utf8.ts) rather than replaced, so the rows
 * holding them are refused by line, the header's refuses the file, and every other row goes in.
 * A row's problems (its CSV syntax, its length, a cell that is not UTF-8, a token id, a number, a
 * JSON cell that does not parse or nests too deep, a document too large) refuse that row only;
 * a refusal names the column, never quotes the cell.
 */
export function csvSource (file: string, onUnexpected?: (item: string, err: unknown) => void): ItemSource {
  const records = (signal?: AbortSignal): AsyncGenerator<CsvRecord> => parseCsv(decodedChunks(file, signal))
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
        let item: SourceItem
        try {
          item = { id, label: id, ...rowItem(columns, record.fields) }
        } catch (err) {
          // A generator that throws is finished: whatever went wrong stays with this row.
          onUnexpected?.(id, err)
          item = { id, label: id, error: unexpectedReason(err, 'reading the row') }
        }
        yield item
      }
      if (columns === undefined) throw new ImportSourceError(file, 'it is empty; a CSV import needs a header row naming a "token_id" column')
    },
  }
}

/**
 * The file's text, read through files/ (a regular file only, off the main thread, each chunk
 * within a deadline). A file that cannot be read is the source's failure, naming the file.
 */
async function * decodedChunks (file: string, signal?: AbortSignal): AsyncGenerator<string> {
  const decoder = new KeepingBytesDecoder()
  let stream: RegularFileStream | undefined
  try {
    stream = await openRegularFile(file)
    for await (const chunk of stream.chunks) {
      throwIfAborted(signal)
      yield decoder.decode(chunk)
    }
    yield decoder.end()
  } catch (err) {
    const reason = readRefusal(err)
    if (reason !== undefined) throw new ImportSourceError(file, reason)
    throw err
  } finally {
    await stream?.close()
  }
}

type Column =
  | { kind: 'token_id' }
  | { kind: 'field', name: string, type: 'string' | 'number' | 'json' }
  | { kind: 'trait', name: string, type: 'string' | 'number' }

function readHeader (file: string, names: string[]): Column[] {
  if (names.length > MAX_CSV_COLUMNS) throw new ImportSourceError(file, `its header has ${names.length} columns; the limit is ${MAX_CSV_COLUMNS}`)
  // A refused header is named by column numbers, never quoted: the file may not be a CSV of
  // metadata at all (a credentials file given by mistake), and its first line may be a secret.
  const seen = new Map<string, number>()
  const columns = names.map((raw, i): Column => {
    const name = raw.trim()
    if (LONE_SURROGATE.test(name)) throw new ImportSourceError(file, `column ${i + 1} of the header is not UTF-8 text; save the file as UTF-8`)
    if (name === '') throw new ImportSourceError(file, `column ${i + 1} of the header has no name`)
    const earlier = seen.get(name)
    if (earlier !== undefined) throw new ImportSourceError(file, `column ${i + 1} of the header has the same name as column ${earlier + 1}`)
    seen.set(name, i)
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
      if (trait === '' || type === 'json') throw new ImportSourceError(file, `column ${i + 1} of the header is not a trait column: use trait:<Name> or trait:<Name>:number`)
      return { kind: 'trait', name: trait, type }
    }
    if (base === '') throw new ImportSourceError(file, `column ${i + 1} of the header names no field`)
    return { kind: 'field', name: base, type }
  })
  if (!columns.some(c => c.kind === 'token_id')) throw new ImportSourceError(file, `its header row has no "${CSV_TOKEN_ID_COLUMN}" column`)
  return columns
}

/** A column's header name, as a reason quotes it. */
function columnLabel (column: Column): string {
  if (column.kind === 'token_id') return CSV_TOKEN_ID_COLUMN
  const base = column.kind === 'trait' ? `${CSV_TRAIT_PREFIX}${column.name}` : column.name
  const suffix = column.type === 'number' ? CSV_NUMBER_SUFFIX : column.type === 'json' ? CSV_JSON_SUFFIX : ''
  return shownText(`${base}${suffix}`, SHOWN_COLUMN_CHARS)
}

function rowItem (columns: Column[], cells: string[]): { tokenId: string, data: string } | { tokenId?: string, error: string } {
  if (cells.length !== columns.length) return { error: `the record has ${cells.length} fields; the header has ${columns.length}` }
  const notUtf8 = cells.findIndex(cell => LONE_SURROGATE.test(cell))
  if (notUtf8 >= 0) return { error: `the cell of column "${columnLabel(columns[notUtf8] as Column)}" is not UTF-8 text (save the file as UTF-8)` }
  let tokenId: string | undefined
  const document: Record<string, unknown> = {}
  const attributes: Array<{ trait_type: string, value: unknown }> = []
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as Column
    const cell = cells[i] as string
    if (column.kind === 'token_id') {
      const candidate = cell.trim()
      if (candidate === '') return { error: `the ${CSV_TOKEN_ID_COLUMN} cell is empty` }
      if (!TOKEN_ID_PATTERN.test(candidate) || BigInt(candidate) > MAX_TOKEN_ID) return { error: `the ${CSV_TOKEN_ID_COLUMN} cell is not a token id (a decimal uint256 without leading zeros, such as 42)` }
      tokenId = candidate
      continue
    }
    if (cell === '') continue
    let value: unknown = cell
    if (column.type === 'number') {
      value = Number(cell.trim())
      if (cell.trim() === '' || !Number.isFinite(value)) return withToken(tokenId, `the column "${columnLabel(column)}" is not a number`)
    } else if (column.type === 'json') {
      // The cell's value sits inside the row's document: one level less is left for it.
      const parsed = parseJsonText(cell, MAX_ITEM_DEPTH - 1)
      if (parsed.problem !== undefined) {
        const problem = parsed.problem.kind === 'depth'
          ? `nests ${parsed.problem.depth} levels deep; a document nests at most ${MAX_ITEM_DEPTH}, its own object included`
          : parsed.problem.kind === 'empty' ? 'is blank' : `is ${describeJsonProblem(parsed.problem, ' of the cell')}`
        return withToken(tokenId, `the column "${columnLabel(column)}" ${problem}`)
      }
      value = parsed.value
    }
    if (column.kind === 'trait') attributes.push({ trait_type: column.name, value })
    else document[column.name] = value
  }
  if (tokenId === undefined) return { error: `the row has no ${CSV_TOKEN_ID_COLUMN}` }
  if (attributes.length > 0) document.attributes = attributes
  const data = JSON.stringify(document)
  const bytes = Buffer.byteLength(data, 'utf8')
  if (bytes > MAX_ITEM_BYTES) return { tokenId, error: `the row's document is ${bytes} bytes as JSON; the largest metadata document a transaction carries is ${MAX_ITEM_BYTES} bytes` }
  return { tokenId, data }
}

function withToken (tokenId: string | undefined, error: string): { tokenId?: string, error: string } {
  return tokenId === undefined ? { error } : { tokenId, error }
}
