// Lowercase hexadecimal text, two digits per byte, without a 0x prefix.

import { CodeUnitBuffer } from "./text-buffer";

const HEX_DIGITS = "0123456789abcdef";

export function hexEncode(bytes: Uint8Array): string {
  const text = new CodeUnitBuffer(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const byte = <i32>bytes[i];
    text.push(HEX_DIGITS.charCodeAt(byte >> 4));
    text.push(HEX_DIGITS.charCodeAt(byte & 0x0f));
  }
  return text.toString();
}

/** Appends `value` as `digitCount` lowercase hex digits, most significant first. */
export function pushHexDigits(text: CodeUnitBuffer, value: u32, digitCount: i32): void {
  for (let shift = (digitCount - 1) * 4; shift >= 0; shift -= 4) {
    text.push(HEX_DIGITS.charCodeAt(<i32>((value >>> shift) & 0x0f)));
  }
}
