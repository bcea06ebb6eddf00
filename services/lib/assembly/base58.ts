// Base58 with the Bitcoin alphabet, as used by base58btc multibase strings and peer ids.
// Each leading zero byte is written as one '1' so that leading zeros survive a round trip.

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const RADIX: u32 = 58;
const ZERO_DIGIT: i32 = 0x31; // '1'

// Maps an ASCII code unit to its digit value, or -1 when it is not in the alphabet.
const DIGIT_VALUES: StaticArray<i8> = buildDigitValues();

function buildDigitValues(): StaticArray<i8> {
  const values = new StaticArray<i8>(128);
  for (let i = 0; i < 128; i++) values[i] = -1;
  for (let digit = 0; digit < ALPHABET.length; digit++) {
    values[ALPHABET.charCodeAt(digit)] = <i8>digit;
  }
  return values;
}

export function base58Encode(data: Uint8Array): string {
  let leadingZeros = 0;
  while (leadingZeros < data.length && data[leadingZeros] == 0) leadingZeros++;

  // Base-58 digits, least significant first; each input byte multiplies the number by 256.
  const digits = new Array<u8>();
  for (let i = leadingZeros; i < data.length; i++) {
    let carry = <u32>data[i];
    for (let j = 0; j < digits.length; j++) {
      carry += <u32>digits[j] << 8;
      digits[j] = <u8>(carry % RADIX);
      carry /= RADIX;
    }
    while (carry > 0) {
      digits.push(<u8>(carry % RADIX));
      carry /= RADIX;
    }
  }

  const units = new Array<i32>(leadingZeros + digits.length);
  for (let i = 0; i < leadingZeros; i++) units[i] = ZERO_DIGIT;
  for (let i = 0; i < digits.length; i++) {
    units[leadingZeros + i] = ALPHABET.charCodeAt(digits[digits.length - 1 - i]);
  }
  return String.fromCharCodes(units);
}

/** Returns null when `text` holds a character outside the alphabet (including whitespace). */
export function base58Decode(text: string): Uint8Array | null {
  let leadingZeros = 0;
  while (leadingZeros < text.length && text.charCodeAt(leadingZeros) == ZERO_DIGIT) leadingZeros++;

  // Bytes, least significant first; each character multiplies the number by 58.
  const bytes = new Array<u8>();
  for (let i = leadingZeros; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 128) return null;
    const digit = DIGIT_VALUES[unit];
    if (digit < 0) return null;
    let carry = <u32>digit;
    for (let j = 0; j < bytes.length; j++) {
      carry += <u32>bytes[j] * RADIX;
      bytes[j] = <u8>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(<u8>(carry & 0xff));
      carry >>= 8;
    }
  }

  const decoded = new Uint8Array(leadingZeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) decoded[leadingZeros + i] = bytes[bytes.length - 1 - i];
  return decoded;
}
