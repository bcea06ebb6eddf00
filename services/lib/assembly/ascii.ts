// The protocol's lower() for chain ids, addresses and token ids: only A–Z change, so the
// result never depends on Unicode case tables (which differ between runtimes and versions).

const UPPER_A: i32 = 0x41;
const UPPER_Z: i32 = 0x5a;
const CASE_OFFSET: i32 = 0x20;

export function toLowerAscii(text: string): string {
  let firstUpper = -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= UPPER_A && unit <= UPPER_Z) {
      firstUpper = i;
      break;
    }
  }
  if (firstUpper < 0) return text;

  const units = new Array<i32>(text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    units[i] = unit >= UPPER_A && unit <= UPPER_Z ? unit + CASE_OFFSET : unit;
  }
  return String.fromCharCodes(units);
}
