// String quoting exactly as JavaScript's JSON.stringify does it (ECMA-262 QuoteJSONString):
// short escapes for \b \f \n \r \t " \, \u00xx for other control characters, \udxxx for
// lone surrogates, and every other character written as itself.

import { CodeUnitBuffer } from "../text-buffer";
import { pushHexDigits } from "../hex";

const QUOTE: i32 = 0x22;
const BACKSLASH: i32 = 0x5c;

export function writeJsonString(out: CodeUnitBuffer, value: string): void {
  out.push(QUOTE);
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    let escapeLetter = 0;
    let needsUnicodeEscape = false;
    if (unit == QUOTE || unit == BACKSLASH) {
      escapeLetter = unit;
    } else if (unit < 0x20) {
      escapeLetter = shortEscapeLetter(unit);
      needsUnicodeEscape = escapeLetter == 0;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      const pairsWithNext = unit <= 0xdbff && i + 1 < value.length && isLowSurrogate(value.charCodeAt(i + 1));
      if (pairsWithNext) {
        i++;
        continue;
      }
      needsUnicodeEscape = true;
    } else {
      continue;
    }
    out.pushRange(value, runStart, i);
    out.push(BACKSLASH);
    if (needsUnicodeEscape) {
      out.push(0x75); // 'u'
      pushHexDigits(out, <u32>unit, 4);
    } else {
      out.push(escapeLetter);
    }
    runStart = i + 1;
  }
  out.pushRange(value, runStart, value.length);
  out.push(QUOTE);
}

/** The JSON string of `value` on its own, for messages that name a key. */
export function quoteJsonString(value: string): string {
  const out = new CodeUnitBuffer(value.length + 2);
  writeJsonString(out, value);
  return out.toString();
}

function isLowSurrogate(unit: i32): bool {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function shortEscapeLetter(unit: i32): i32 {
  switch (unit) {
    case 0x08:
      return 0x62; // b
    case 0x09:
      return 0x74; // t
    case 0x0a:
      return 0x6e; // n
    case 0x0c:
      return 0x66; // f
    case 0x0d:
      return 0x72; // r
    default:
      return 0;
  }
}
