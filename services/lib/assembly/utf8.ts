// UTF-8 conversion with the same results as the WHATWG TextEncoder/TextDecoder that hosts use.
// The standard library's String.UTF8 writes lone surrogates as WTF-8 bytes instead of U+FFFD,
// which a JavaScript peer would decode differently, so this module does the work itself.

import { CodeUnitBuffer } from "./text-buffer";

const REPLACEMENT_CHARACTER: i32 = 0xfffd;

function isHighSurrogate(unit: i32): bool {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: i32): bool {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Encodes `text`; a lone surrogate becomes U+FFFD (bytes EF BF BD), as TextEncoder does. */
export function utf8Encode(text: string): Uint8Array {
  const bytes = new Uint8Array(encodedLength(text));
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    let codePoint = text.charCodeAt(i);
    if (isHighSurrogate(codePoint) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00);
      i++;
    } else if (isHighSurrogate(codePoint) || isLowSurrogate(codePoint)) {
      codePoint = REPLACEMENT_CHARACTER;
    }
    if (codePoint < 0x80) {
      bytes[at++] = <u8>codePoint;
    } else if (codePoint < 0x800) {
      bytes[at++] = <u8>(0xc0 | (codePoint >> 6));
      bytes[at++] = <u8>(0x80 | (codePoint & 0x3f));
    } else if (codePoint < 0x10000) {
      bytes[at++] = <u8>(0xe0 | (codePoint >> 12));
      bytes[at++] = <u8>(0x80 | ((codePoint >> 6) & 0x3f));
      bytes[at++] = <u8>(0x80 | (codePoint & 0x3f));
    } else {
      bytes[at++] = <u8>(0xf0 | (codePoint >> 18));
      bytes[at++] = <u8>(0x80 | ((codePoint >> 12) & 0x3f));
      bytes[at++] = <u8>(0x80 | ((codePoint >> 6) & 0x3f));
      bytes[at++] = <u8>(0x80 | (codePoint & 0x3f));
    }
  }
  return bytes;
}

function encodedLength(text: string): i32 {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      length += 1;
    } else if (unit < 0x800) {
      length += 2;
    } else if (isHighSurrogate(unit) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      length += 4;
      i++;
    } else {
      length += 3; // other BMP characters, and lone surrogates written as U+FFFD
    }
  }
  return length;
}

/**
 * Decodes `bytes`; each maximal invalid subsequence becomes one U+FFFD, following the
 * WHATWG Encoding Standard's UTF-8 decoder (the behaviour of `new TextDecoder()`).
 * A leading byte order mark is kept as U+FEFF rather than stripped.
 */
export function utf8Decode(bytes: Uint8Array): string {
  // Every byte yields at most one code unit, except 4-byte sequences, which yield two.
  const text = new CodeUnitBuffer(bytes.length);
  let codePoint = 0;
  let bytesNeeded = 0;
  let lowerBoundary = 0x80;
  let upperBoundary = 0xbf;
  let i = 0;
  while (i < bytes.length) {
    const byte = <i32>bytes[i];
    if (bytesNeeded == 0) {
      i++;
      if (byte < 0x80) {
        text.push(byte);
      } else if (byte >= 0xc2 && byte <= 0xdf) {
        bytesNeeded = 1;
        codePoint = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        // E0 and ED narrow the next byte's range to exclude overlong forms and surrogates.
        if (byte == 0xe0) lowerBoundary = 0xa0;
        if (byte == 0xed) upperBoundary = 0x9f;
        bytesNeeded = 2;
        codePoint = byte & 0x0f;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        // F0 and F4 narrow the range to exclude overlong forms and code points above U+10FFFF.
        if (byte == 0xf0) lowerBoundary = 0x90;
        if (byte == 0xf4) upperBoundary = 0x8f;
        bytesNeeded = 3;
        codePoint = byte & 0x07;
      } else {
        text.push(REPLACEMENT_CHARACTER);
      }
      continue;
    }
    if (byte < lowerBoundary || byte > upperBoundary) {
      // The sequence is cut short; this byte is not consumed and starts afresh.
      codePoint = 0;
      bytesNeeded = 0;
      lowerBoundary = 0x80;
      upperBoundary = 0xbf;
      text.push(REPLACEMENT_CHARACTER);
      continue;
    }
    i++;
    lowerBoundary = 0x80;
    upperBoundary = 0xbf;
    codePoint = (codePoint << 6) | (byte & 0x3f);
    bytesNeeded--;
    if (bytesNeeded == 0) {
      pushCodePoint(text, codePoint);
      codePoint = 0;
    }
  }
  if (bytesNeeded != 0) text.push(REPLACEMENT_CHARACTER);
  return text.toString();
}

function pushCodePoint(text: CodeUnitBuffer, codePoint: i32): void {
  if (codePoint < 0x10000) {
    text.push(codePoint);
  } else {
    const offset = codePoint - 0x10000;
    text.push(0xd800 + (offset >> 10));
    text.push(0xdc00 + (offset & 0x3ff));
  }
}
