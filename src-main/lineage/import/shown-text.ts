import { MAX_SHOWN_NAME_CHARS } from './constants.js'
import { decodeKeepingBytes, escapedByte } from './utf8.js'

/**
 * Characters never shown raw: controls (C0, DEL, C1: a terminal would obey ESC sequences, and a
 * newline would forge a log line), invisible format characters (bidi overrides such as U+202E
 * reorder what follows, zero-width characters hide), line and paragraph separators, and lone
 * surrogates (bytes that were not UTF-8, see utf8.ts, or broken UTF-16).
 */
const UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u

/**
 * Text from a source (a file name, a CSV header, a reason quoting one, a path) made safe to put in
 * a report, an event, a terminal or a log line: each unshowable character is written as an escape
 * (`\x1b`, `\u202e`, `\u{e0001}`; a byte that is not UTF-8 as `\xff`), and the result is at most
 * `maxChars` long, cut with "…" between characters, never inside an escape.
 *
 * Applying it twice changes nothing (its output has nothing left to escape and fits), so every
 * place that shows such text applies it, whether or not the text was already made safe upstream.
 * Backslashes are left as they are for that reason: the escapes are for reading, not for parsing
 * back (an item's id, not its shown name, identifies it).
 */
export function shownText (value: string | Uint8Array, maxChars = MAX_SHOWN_NAME_CHARS): string {
  const text = typeof value === 'string' ? value : decodeKeepingBytes(value)
  if (text.length <= maxChars && !UNSHOWABLE.test(text)) return text
  const pieces: string[] = []
  let length = 0
  for (const char of text) {
    const piece = UNSHOWABLE.test(char) ? escape(char) : char
    pieces.push(piece)
    length += piece.length
    if (length > maxChars) break
  }
  if (length <= maxChars) return pieces.join('')
  // Too long: whole pieces are dropped until the ellipsis fits.
  while (length > maxChars - 1 && pieces.length > 0) length -= (pieces.pop() as string).length
  return `${pieces.join('')}…`
}

function escape (char: string): string {
  const code = char.codePointAt(0) as number
  const byte = escapedByte(code)
  if (byte !== undefined) return `\\x${hex(byte, 2)}`
  if (code <= 0xff) return `\\x${hex(code, 2)}`
  if (code <= 0xffff) return `\\u${hex(code, 4)}`
  return `\\u{${code.toString(16)}}`
}

function hex (n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0')
}
