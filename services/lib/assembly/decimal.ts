// ERC-1155 substitutes a token id into `{id}` as 64 lowercase hex digits. Token ids arrive as
// decimal strings because they can exceed every native integer type (up to 2^256 − 1).

import { CodeUnitBuffer } from "./text-buffer";
import { pushHexDigits } from "./hex";

const LIMB_COUNT: i32 = 8; // 8 × 32 bits = 256 bits
const DIGIT_ZERO: i32 = 0x30;
const DIGIT_NINE: i32 = 0x39;

/**
 * Converts a non-negative decimal integer (digits only; leading zeros allowed) to 64 lowercase
 * hex digits. Returns null for an empty string, any non-digit character, or a value ≥ 2^256.
 */
export function decimalToHex64(decimal: string): string | null {
  if (decimal.length == 0) return null;
  // Little-endian 32-bit limbs of the 256-bit value.
  const limbs = new StaticArray<u32>(LIMB_COUNT);
  for (let i = 0; i < decimal.length; i++) {
    const unit = decimal.charCodeAt(i);
    if (unit < DIGIT_ZERO || unit > DIGIT_NINE) return null;
    let carry = <u64>(unit - DIGIT_ZERO);
    for (let limb = 0; limb < LIMB_COUNT; limb++) {
      const product = <u64>limbs[limb] * 10 + carry;
      limbs[limb] = <u32>product;
      carry = product >> 32;
    }
    if (carry != 0) return null;
  }

  const hex = new CodeUnitBuffer(LIMB_COUNT * 8);
  for (let limb = LIMB_COUNT - 1; limb >= 0; limb--) pushHexDigits(hex, limbs[limb], 8);
  return hex.toString();
}
