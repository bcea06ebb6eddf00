// JSON for Marine calls that keeps 64-bit integers exact: bigint arguments are written as bare
// numbers, and integers beyond 2^53 in results come back as bigint.

// Node 22 has JSON.rawJSON (TC39 "JSON.parse source text access"); TypeScript's ES2023 lib does not list it.
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON

export function stringifyArgs(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? rawJSON(v.toString()) : v))
}

interface ReviverContext {
  source?: string
}

export function parseResult(text: string): unknown {
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: ReviverContext) {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source)) {
      return BigInt(context.source)
    }
    return value
  } as (this: unknown, key: string, value: unknown) => unknown)
}
