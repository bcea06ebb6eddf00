/**
 * What must never reach a client in an error (issue 15 §7): stack frames, paths on this machine
 * and the vocabulary of the libraries and runtime under the node. Written independently of the
 * node's own scrubber (src-main/api/public-text.ts), so a test using it checks that, not itself.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { repoRoot } from './processes.js'

const FRAMES: ReadonlyArray<[string, RegExp]> = [
  ['stack frame', /\bat .+:\d+:\d+/],
  ['stack frame line', /^\s*at \S/m],
  ['native frame', /<anonymous>|\(native\)|wasm-function\[|wasm:\/\//],
]

/** Names only a library or the runtime uses. */
const INTERNALS: ReadonlyArray<[string, RegExp]> = [
  ['marine-js wrapper', /JsValue\(|Wasm backend error|`call-core|Failed to apply func|Unrecognized error/],
  ['Wasm engine class', /\b(?:Link|Compile|Runtime)Error: |WebAssembly\.\w+\(/],
  ['JavaScript error text', /\b(?:Type|Reference|Range|Syntax)Error: |Cannot read propert|is not a function|\[object Object\]|undefined is not/],
  ['library code', /\bFST_[A-Z_]+|\bSQLITE_[A-Z]+|SqliteError|\bERR_[A-Z_]{3,}|\bHPE_[A-Z_]+|@fluencelabs|better-sqlite3|node_modules/],
  ['file URL', /file:\/\//],
]

/** Paths that give away where the node is installed or whose computer it runs on. */
function privateRoots (extra: readonly string[]): string[] {
  const roots = new Set<string>([repoRoot, os.tmpdir(), os.homedir(), '/home/', '/root/', '/work/', '/Users/', ...extra])
  for (const root of [...roots]) {
    try { roots.add(fs.realpathSync(root)) } catch { /* not on this machine */ }
  }
  // node_modules is a symlink to another checkout in this repository's worktrees.
  try { roots.add(path.dirname(fs.realpathSync(path.join(repoRoot, 'node_modules')))) } catch { /* none */ }
  return [...roots].filter(root => root !== '/' && root !== '')
}

/** Control characters as the node escapes client text it repeats (http-text.ts `printable`, import's `shownText`). */
const escapeControls = (text: string): string => text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, c => {
  const code = c.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
})

/** The ways a message may repeat a client's string: as is, JSON-escaped, with controls escaped, cut short. */
function forms (sent: string): string[] {
  const all = new Set<string>()
  for (const form of [sent, escapeControls(sent), JSON.stringify(sent).slice(1, -1)]) {
    all.add(form)
    for (const cut of [100, 99, 80, 79]) if (form.length > cut) all.add(form.slice(0, cut))
  }
  return [...all].filter(form => form.length >= 3)
}

/**
 * Every leak in `text`, described; empty when there is none. `echoed` is what the request sent
 * (its strings, its path): a message may repeat that, and paths under a path it named, since the
 * client gave them. Everything else is checked.
 */
export function leaksIn (text: string, { echoed = [], dataDir }: { echoed?: readonly string[], dataDir?: string } = {}): string[] {
  let scrubbed = text
  // Longest first, so a path under an echoed one is removed whole.
  for (const form of echoed.flatMap(forms).sort((a, b) => b.length - a.length)) scrubbed = scrubbed.split(form).join('<echoed>')
  const found: string[] = []
  for (const [what, pattern] of [...FRAMES, ...INTERNALS]) {
    const match = pattern.exec(scrubbed)
    if (match !== null) found.push(`${what}: ${JSON.stringify(scrubbed.slice(Math.max(0, match.index - 40), match.index + 80))}`)
  }
  for (const root of privateRoots(dataDir === undefined ? [] : [dataDir])) {
    const at = scrubbed.indexOf(root)
    if (at !== -1) found.push(`path ${root}: ${JSON.stringify(scrubbed.slice(Math.max(0, at - 40), at + 80))}`)
  }
  return found
}

/** Every string in a request (keys too), at any depth a message could quote. */
export function stringsIn (value: unknown, depth = 0): string[] {
  if (depth > 32) return []
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(item => stringsIn(item, depth + 1))
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => [key, ...stringsIn(item, depth + 1)])
  return []
}

/** The texts of a JSON-RPC reply a client reads as an error: the error object, and every `error`/`reason` field of a result. */
export function errorTexts (reply: unknown): string[] {
  const texts: string[] = []
  const visit = (value: unknown, key: string, depth: number): void => {
    if (depth > 8) return
    if (typeof value === 'string') {
      if (/^(?:error|reason|last_error|metadata_error|error_string)$/.test(key)) texts.push(value)
      return
    }
    if (Array.isArray(value)) { for (const item of value) visit(item, key, depth + 1); return }
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'error' && typeof v === 'object' && v !== null) texts.push(JSON.stringify(v))
        else visit(v, k, depth + 1)
      }
    }
  }
  visit(reply, '', 0)
  return texts
}
