import { MAX_CSV_RECORD_CHARS } from './constants.js'

/** One CSV record: its fields, or why it could not be read. `line` is where it starts (1-based). */
export type CsvRecord =
  | { line: number, fields: string[], error?: undefined }
  | { line: number, fields?: undefined, error: string }

const QUOTE = 34 // "
const COMMA = 44 // ,
const LF = 10
const CR = 13

/**
 * A streaming RFC 4180 parser: records end at LF or CRLF outside quotes; a field that starts with
 * `"` is quoted and may hold commas, newlines and `""` (one quote). Memory is one record, bounded
 * by `maxRecordChars`. A bad record (a quote inside an unquoted field, text after a closing quote,
 * a quote never closed, a record too long) is yielded with `error`, and parsing resumes at the
 * next line break, so one mistake costs one row. A leading BOM is dropped; blank lines are skipped.
 *
 * Written here rather than taken from a package: the rules are short, and the per-record error
 * recovery and line numbers are what an import report needs.
 */
export async function * parseCsv (chunks: AsyncIterable<string>, maxRecordChars = MAX_CSV_RECORD_CHARS): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(maxRecordChars)
  for await (const chunk of chunks) yield * parser.push(chunk)
  yield * parser.end()
}

type State = 'start' | 'unquoted' | 'quoted' | 'quote' | 'skip'

class CsvParser {
  private fields: string[] = []
  private field = ''
  private chars = 0
  /** At the 'start' of a field, in an 'unquoted' or 'quoted' one, at a 'quote' inside a quoted one, or 'skip'ping a bad record. */
  private state: State = 'start'
  private error = ''
  private line = 1
  private recordLine = 1
  private pendingCr = false
  private first = true

  constructor (private readonly maxRecordChars: number) {}

  push (text: string): CsvRecord[] {
    const out: CsvRecord[] = []
    let chunk = text
    if (this.first && chunk.length > 0) {
      this.first = false
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
    }
    // Plain characters are copied in runs (slices), not one at a time.
    let run = -1
    const flush = (end: number): void => {
      if (run >= 0) this.field += chunk.slice(run, end)
      run = -1
    }
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i)
      if (this.pendingCr) {
        this.pendingCr = false
        // A CR not followed by LF is an ordinary character.
        if (c !== LF && this.state !== 'skip') this.field += '\r'
      }
      if (c === LF) this.line++
      if (this.state !== 'skip' && ++this.chars > this.maxRecordChars) {
        run = -1
        this.fail(`the record is longer than ${this.maxRecordChars} characters (is a closing quote missing?)`)
      }
      if (this.state === 'start') {
        if (c === QUOTE) {
          this.state = 'quoted'
          continue
        }
        this.state = 'unquoted'
      }
      switch (this.state) {
        case 'skip':
          // Where the bad record's quotes were is unknown; it ends at the next line break.
          if (c === LF) this.endRecord(out)
          break
        case 'unquoted':
          if (c === COMMA) {
            flush(i)
            this.nextField()
          } else if (c === LF) {
            flush(i)
            this.endRecord(out)
          } else if (c === CR) {
            flush(i)
            this.pendingCr = true
          } else if (c === QUOTE) {
            run = -1
            this.fail(`a quote inside the unquoted field ${this.fields.length + 1} (quote the whole field and double its quotes: "a ""b"" c")`)
          } else if (run < 0) {
            run = i
          }
          break
        case 'quoted':
          if (c === QUOTE) {
            flush(i)
            this.state = 'quote'
          } else if (run < 0) {
            run = i
          }
          break
        case 'quote':
          if (c === QUOTE) {
            this.field += '"'
            this.state = 'quoted'
          } else if (c === COMMA) {
            this.nextField()
          } else if (c === LF) {
            this.endRecord(out)
          } else if (c === CR) {
            this.pendingCr = true
          } else {
            this.fail(`text after the closing quote of field ${this.fields.length + 1}`)
          }
          break
      }
    }
    flush(chunk.length)
    return out
  }

  end (): CsvRecord[] {
    const out: CsvRecord[] = []
    if (this.pendingCr && this.state !== 'skip') this.field += '\r'
    this.pendingCr = false
    if (this.state === 'quoted') this.fail(`the quoted field ${this.fields.length + 1} is never closed`)
    this.endRecord(out)
    return out
  }

  private nextField (): void {
    this.fields.push(this.field)
    this.field = ''
    this.state = 'start'
  }

  private fail (why: string): void {
    this.state = 'skip'
    this.error = why
    this.fields = []
    this.field = ''
  }

  private endRecord (out: CsvRecord[]): void {
    if (this.state === 'skip') {
      out.push({ line: this.recordLine, error: this.error })
    } else {
      this.fields.push(this.field)
      // A blank line is one empty field: not a record.
      if (!(this.fields.length === 1 && this.fields[0] === '')) out.push({ line: this.recordLine, fields: this.fields })
    }
    this.fields = []
    this.field = ''
    this.chars = 0
    this.state = 'start'
    this.recordLine = this.line
  }
}
