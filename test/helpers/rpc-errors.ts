import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Every JSON-RPC error code docs/API.md documents (its "Errors" part: the standard codes in the
 * text and every code in the table, ranges such as `-32040`–`-32048` expanded), so a test can
 * check that the node never answers with a code a client cannot look up.
 */
export function documentedErrorCodes (): Set<number> {
  const doc = fs.readFileSync(fileURLToPath(new URL('../../docs/API.md', import.meta.url)), 'utf8')
  const start = doc.indexOf('\n# Errors\n')
  const section = doc.slice(start, doc.indexOf('\n# ', start + 1))
  const codes = new Set<number>()
  for (const [, from, to] of section.matchAll(/`(-32\d{3})`(?:[–-]`(-32\d{3})`)?/g)) {
    const a = Number(from)
    const b = to === undefined ? a : Number(to)
    for (let code = Math.max(a, b); code >= Math.min(a, b); code--) codes.add(code)
  }
  return codes
}
