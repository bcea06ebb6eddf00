// JSON string literals: escapes decoded, control characters and lone surrogates (raw or
// escaped) rejected, so every parsed string is well-formed UTF-16 and encodes to UTF-8
// without loss.

import { CodeUnitBuffer } from "../text-buffer";
import {
  JsonCursor,
  QUOTE,
  BACKSLASH,
  SLASH,
  SPACE,
  TAB,
  LINE_FEED,
  CARRIAGE_RETURN,
  END_OF_INPUT,
  DIGIT_ZERO,
  DIGIT_NINE,
  isHighSurrogate,
  isLowSurrogate,
  codePointLabel,
} from "./cursor";

const LETTER_U: i32 = 0x75;

/** Reads the string whose '"' is at the cursor; returns its value, or null after `cursor.fail`. */
export function readJsonString(cursor: JsonCursor): string | null {
  const text = cursor.text;
  const start = cursor.position;
  cursor.position++;
  // Created at the first escape; a string without escapes is returned as one substring.
  let unescaped: CodeUnitBuffer | null = null;
  let runStart = cursor.position;
  while (true) {
    if (cursor.position >= text.length) {
      cursor.fail("unterminated string", start);
      return null;
    }
    const unit = text.charCodeAt(cursor.position);
    if (unit == QUOTE) {
      const end = cursor.position;
      cursor.position++;
      if (unescaped == null) return text.substring(runStart, end);
      unescaped.pushRange(text, runStart, end);
      return unescaped.toString();
    }
    if (unit == BACKSLASH) {
      if (unescaped == null) unescaped = new CodeUnitBuffer(cursor.position - runStart + 16);
      unescaped.pushRange(text, runStart, cursor.position);
      if (!readEscape(cursor, unescaped, start)) return null;
      runStart = cursor.position;
    } else if (unit < SPACE) {
      cursor.fail("control character " + codePointLabel(unit) + " in string", cursor.position);
      return null;
    } else if (isHighSurrogate(unit) && isLowSurrogate(cursor.peekAt(cursor.position + 1))) {
      cursor.position += 2;
    } else if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
      cursor.fail("lone surrogate " + codePointLabel(unit) + " in string", cursor.position);
      return null;
    } else {
      cursor.position++;
    }
  }
}

/** Decodes the escape whose '\' is at the cursor into `out`. */
function readEscape(cursor: JsonCursor, out: CodeUnitBuffer, stringStart: i32): bool {
  const escapeOffset = cursor.position;
  const letter = cursor.peekAt(escapeOffset + 1);
  let decoded = 0;
  switch (letter) {
    case QUOTE:
    case BACKSLASH:
    case SLASH:
      decoded = letter;
      break;
    case 0x62: // b
      decoded = 0x08;
      break;
    case 0x66: // f
      decoded = 0x0c;
      break;
    case 0x6e: // n
      decoded = LINE_FEED;
      break;
    case 0x72: // r
      decoded = CARRIAGE_RETURN;
      break;
    case 0x74: // t
      decoded = TAB;
      break;
    case LETTER_U:
      return readUnicodeEscape(cursor, out);
    case END_OF_INPUT:
      cursor.fail("unterminated string", stringStart);
      return false;
    default:
      cursor.fail("invalid escape character " + cursor.describeCharacter(escapeOffset + 1), escapeOffset);
      return false;
  }
  out.push(decoded);
  cursor.position = escapeOffset + 2;
  return true;
}

/** Decodes `\uXXXX`; a high surrogate must be followed by a `\uXXXX` low surrogate. */
function readUnicodeEscape(cursor: JsonCursor, out: CodeUnitBuffer): bool {
  const escapeOffset = cursor.position;
  const unit = unicodeEscapeAt(cursor, escapeOffset);
  if (unit < 0) {
    cursor.fail("invalid unicode escape", escapeOffset);
    return false;
  }
  if (isHighSurrogate(unit)) {
    const next = unicodeEscapeAt(cursor, escapeOffset + 6);
    if (isLowSurrogate(next)) {
      out.push(unit);
      out.push(next);
      cursor.position = escapeOffset + 12;
      return true;
    }
  }
  if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
    cursor.fail("lone surrogate " + codePointLabel(unit) + " in string", escapeOffset);
    return false;
  }
  out.push(unit);
  cursor.position = escapeOffset + 6;
  return true;
}

/** The code unit of a well-formed `\uXXXX` at `offset`, or -1. */
function unicodeEscapeAt(cursor: JsonCursor, offset: i32): i32 {
  if (cursor.peekAt(offset) != BACKSLASH || cursor.peekAt(offset + 1) != LETTER_U) return -1;
  let unit = 0;
  for (let i = 2; i < 6; i++) {
    const digit = hexDigitValue(cursor.peekAt(offset + i));
    if (digit < 0) return -1;
    unit = (unit << 4) | digit;
  }
  return unit;
}

function hexDigitValue(unit: i32): i32 {
  if (unit >= DIGIT_ZERO && unit <= DIGIT_NINE) return unit - DIGIT_ZERO;
  if (unit >= 0x61 && unit <= 0x66) return unit - 0x61 + 10; // a-f
  if (unit >= 0x41 && unit <= 0x46) return unit - 0x41 + 10; // A-F
  return -1;
}
