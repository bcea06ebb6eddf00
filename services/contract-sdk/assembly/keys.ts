// Keys as the node stores and compares them. An EVM address is one key in any letter case (the
// node lower-cases it in the signed text and in every table); a base58 ed25519 key is
// case-sensitive. Compare keys, and aliases that name a key, in these forms.
import { toLowerAscii } from "@lineage/lib";

const ADDRESS_LENGTH: i32 = 42;

function isHexDigit(unit: i32): bool {
  return (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x46) || (unit >= 0x61 && unit <= 0x66);
}

/** Whether `text` is an EVM address: "0x" and 40 hex digits, any case. */
export function isAddress(text: string): bool {
  if (text.length != ADDRESS_LENGTH || text.charCodeAt(0) != 0x30 || text.charCodeAt(1) != 0x78) return false;
  for (let i = 2; i < text.length; i++) {
    if (!isHexDigit(text.charCodeAt(i))) return false;
  }
  return true;
}

/** A key in the one form the node stores: an EVM address lower-cased, anything else as given. */
export function canonicalKey(key: string): string {
  return isAddress(key) ? toLowerAscii(key) : key;
}

/**
 * An alias in the form slots store it: an alias that is the key's own EVM address, in any case,
 * is that address lower-cased; any other alias is text, as given.
 */
export function canonicalAlias(alias: string, key: string): string {
  if (!isAddress(alias)) return alias;
  const lower = toLowerAscii(alias);
  return lower == canonicalKey(key) ? lower : alias;
}
