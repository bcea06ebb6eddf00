/** Largest token id: uint256. */
const MAX_TOKEN_ID = (1n << 256n) - 1n
const SMALL_DECIMAL = /^(0|[1-9][0-9]*)$/

/**
 * A token id from a URL: decimal (ERC-721) or the 64-hex-digit form ERC-1155 clients substitute
 * for `{id}`. Returns the canonical decimal string, or undefined when it is neither.
 */
export function parseTokenId (text: string): string | undefined {
  // Most ids are small decimals, already canonical and far below the maximum: no BigInt needed.
  if (text.length <= 15 && SMALL_DECIMAL.test(text)) return text
  let value: bigint
  if (/^[0-9a-fA-F]{64}$/.test(text)) value = BigInt(`0x${text}`)
  else if (/^(0|[1-9][0-9]{0,77})$/.test(text)) value = BigInt(text)
  else return undefined
  return value <= MAX_TOKEN_ID ? value.toString() : undefined
}
