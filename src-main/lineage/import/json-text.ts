/**
 * JSON from a source file, parsed so that a refusal never quotes the file. `JSON.parse`'s own
 * messages quote the text around a mistake (the very bytes that did not parse); here a syntax
 * error is located by line and column instead, found by a scan of the grammar (RFC 8259) that
 * runs only after `JSON.parse` failed. Nesting is measured without recursion, since the engine
 * refuses content deeper than MAX_CONTENT_DEPTH and `JSON.stringify` overflows the stack on
 * a few thousand levels.
 */
export type JsonParse =
  | { value: unknown, problem?: undefined }
  | { value?: undefined, problem: JsonProblem }

export type JsonProblem =
  | { kind: 'empty' }
  | { kind: 'syntax', line: number, column: number, truncated: boolean }
  /** `JSON.parse` refused the text but the scan found no mistake (it should not happen): no position. */
  | { kind: 'syntax-unplaced' }
  | { kind: 'depth', depth: number, limit: number }

export function parseJsonText (text: string, maxDepth: number): JsonParse {
  if (text.trim() === '') return { problem: { kind: 'empty' } }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    const index = jsonErrorIndex(text)
    if (index < 0) return { problem: { kind: 'syntax-unplaced' } }
    return { problem: { kind: 'syntax', ...lineAndColumn(text, index), truncated: index >= text.length } }
  }
  const depth = nestingDepth(value)
  if (depth > maxDepth) return { problem: { kind: 'depth', depth, limit: maxDepth } }
  return { value }
}

/** A problem in words, e.g. "not valid JSON (at line 3, column 14)"; `where` follows the position (" of the cell"). */
export function describeJsonProblem (problem: JsonProblem, where = ''): string {
  switch (problem.kind) {
    case 'empty': return 'empty'
    case 'syntax-unplaced': return 'not valid JSON'
    case 'syntax': return `not valid JSON (${problem.truncated ? 'it ends too early, ' : ''}at line ${problem.line}, column ${problem.column}${where})`
    case 'depth': return `nested ${problem.depth} levels deep; at most ${problem.limit}`
  }
}

/** Containers on the deepest path of a parsed JSON value: 0 for a scalar, 1 for `{}` or `[1]`. */
export function nestingDepth (value: unknown): number {
  let deepest = 0
  const stack: Array<{ value: object, depth: number }> = []
  if (typeof value === 'object' && value !== null) stack.push({ value, depth: 1 })
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.depth > deepest) deepest = top.depth
    const children: unknown[] = Array.isArray(top.value) ? top.value : Object.values(top.value)
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: top.depth + 1 })
    }
  }
  return deepest
}

function lineAndColumn (text: string, index: number): { line: number, column: number } {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  // Columns count characters (code points), as an editor does.
  return { line, column: [...text.slice(lineStart, index)].length + 1 }
}

const HEX_DIGIT = /^[0-9a-fA-F]$/
const ARRAY = 0
const OBJECT = 1

/**
 * Index of the first character at which `text` stops being a JSON text (`text.length` if it ends
 * too early), or −1 if it is one. Iterative: a stack of open containers, never the call stack.
 */
export function jsonErrorIndex (text: string): number {
  const scan = new JsonScan(text)
  return scan.run()
}

class JsonScan {
  private i = 0
  private readonly open: number[] = []

  constructor (private readonly text: string) {}

  run (): number {
    const { text } = this
    for (;;) {
      // A value is expected here.
      this.space()
      if (this.i >= text.length) return text.length
      const c = text[this.i]
      if (c === '{' || c === '[') {
        this.i++
        this.space()
        if (text[this.i] === (c === '{' ? '}' : ']')) {
          this.i++
        } else {
          this.open.push(c === '{' ? OBJECT : ARRAY)
          if (c === '{' && !this.key()) return this.i
          continue
        }
      } else if (!this.scalar()) {
        return this.i
      }
      // After a value: a separator, the end of its container(s), or the end of the text.
      for (;;) {
        this.space()
        const container = this.open.at(-1)
        if (container === undefined) return this.i === text.length ? -1 : this.i
        if (this.i >= text.length) return text.length
        const d = text[this.i]
        if (d === ',') {
          this.i++
          if (container === OBJECT && !this.key()) return this.i
          break
        }
        if (d !== (container === OBJECT ? '}' : ']')) return this.i
        this.i++
        this.open.pop()
      }
    }
  }

  private space (): void {
    const { text } = this
    while (this.i < text.length) {
      const c = text[this.i]
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return
      this.i++
    }
  }

  /** A member's name and its colon; false with `i` at the mistake. */
  private key (): boolean {
    this.space()
    if (this.text[this.i] !== '"' || !this.string()) return false
    this.space()
    if (this.text[this.i] !== ':') return false
    this.i++
    return true
  }

  private scalar (): boolean {
    const c = this.text[this.i]
    if (c === '"') return this.string()
    if (c === '-' || isDigit(this.text.charCodeAt(this.i))) return this.number()
    const word = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : undefined
    return word !== undefined && this.literal(word)
  }

  private literal (word: string): boolean {
    const { text } = this
    for (let k = 1; k < word.length; k++) {
      if (text[this.i + k] !== word[k]) {
        this.i += k
        return false
      }
    }
    this.i += word.length
    return true
  }

  private string (): boolean {
    const { text } = this
    this.i++
    while (this.i < text.length) {
      const code = text.charCodeAt(this.i)
      if (code === 0x22) {
        this.i++
        return true
      }
      if (code < 0x20) return false
      if (code === 0x5c) {
        const e = text[this.i + 1]
        if (e === 'u') {
          for (let k = 2; k < 6; k++) {
            if (!HEX_DIGIT.test(text[this.i + k] ?? '')) {
              this.i += k
              return false
            }
          }
          this.i += 6
          continue
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.i++
          return false
        }
        this.i += 2
        continue
      }
      this.i++
    }
    return false
  }

  private number (): boolean {
    const { text } = this
    if (text[this.i] === '-') this.i++
    if (text[this.i] === '0') {
      this.i++
    } else if (!this.digits()) {
      return false
    }
    if (text[this.i] === '.') {
      this.i++
      if (!this.digits()) return false
    }
    if (text[this.i] === 'e' || text[this.i] === 'E') {
      this.i++
      if (text[this.i] === '+' || text[this.i] === '-') this.i++
      if (!this.digits()) return false
    }
    return true
  }

  private digits (): boolean {
    const start = this.i
    while (isDigit(this.text.charCodeAt(this.i))) this.i++
    return this.i > start
  }
}

/** An ASCII digit (NaN, past the end, is not). */
function isDigit (code: number): boolean {
  return code >= 0x30 && code <= 0x39
}
