/**
 * Client text on its way into a response header, an error message or a log line. Node refuses
 * to send a header holding a control character or anything past U+00FF (the response becomes a
 * 500), and a raw control character in a log line can forge or hide lines. So text bound for a
 * header is percent-encoded, text repeated in a message is quoted and cut short, and text
 * bound for a log has its control characters escaped.
 */
import { MAX_QUOTED_CHARS } from './constants.js'

const encoder = new TextEncoder()
/** RFC 3986 `pchar`: what a path segment may hold unencoded (all of it legal in a header). */
const PATH_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/
const PATH_SAFE_BYTE = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/
/** RFC 5987 `attr-char`: what `filename*=` may hold unencoded. */
const ATTR_CHAR_BYTE = /[A-Za-z0-9!#$&+\-.^_`|~]/
/** Control characters (C0, DEL, C1), line and paragraph separators, and bidi overrides. */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu

function percentEncode (text: string, keep: RegExp): string {
  let out = ''
  // TextEncoder never throws: a lone surrogate becomes U+FFFD, where encodeURIComponent throws.
  for (const byte of encoder.encode(text)) {
    const char = String.fromCharCode(byte)
    out += byte < 0x80 && keep.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** One path segment as it may appear in a URL or a header: `a b/é` → `a%20b%2F%C3%A9`. */
export function encodePathSegment (segment: string): string {
  return PATH_SAFE.test(segment) ? segment : percentEncode(segment, PATH_SAFE_BYTE)
}

/**
 * A Content-Disposition value naming `filename` (RFC 6266): a plain quoted name when it is
 * printable ASCII, otherwise an ASCII stand-in plus the exact name as RFC 5987 `filename*`.
 */
export function contentDisposition (filename: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  if (fallback === filename) return `${type}; filename="${filename}"`
  return `${type}; filename="${fallback}"; filename*=UTF-8''${percentEncode(filename, ATTR_CHAR_BYTE)}`
}

/** Text for a log line: control characters become `\xNN` / `\uNNNN` escapes. */
export function printable (text: string): string {
  return text.replace(UNPRINTABLE, char => {
    const code = char.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/**
 * Client text repeated in an error message: in double quotes, escaped as for a log line, and
 * cut to `MAX_QUOTED_CHARS` characters, so a 10,000-digit id does not come back whole.
 */
export function quoted (text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return `"${printable(text)}"`
  // Do not cut a surrogate pair in half.
  const end = /[\ud800-\udbff]/.test(text[MAX_QUOTED_CHARS - 1] ?? '') ? MAX_QUOTED_CHARS - 1 : MAX_QUOTED_CHARS
  return `"${printable(text.slice(0, end))}…" (${text.length} characters)`
}
