/**
 * Error text on its way out to a client (a JSON-RPC error, a gateway refusal, a job's failure, an
 * IPC reply). Messages of the node's own error classes are written for people, but many quote a
 * lower layer's message (marine-js, SQLite, Node's fs, a parser), which can carry a JavaScript
 * stack, install paths or the library's own vocabulary. `publicText` keeps the sentence and drops
 * those: it cuts the text at the first stack frame, replaces file-system paths with `…/<name>`
 * (unless the client named the path itself, see `echoed`), and cuts a clause that still speaks a
 * library's internals, pointing at the node's log, where the caller writes the original.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Stack frames, removed wherever they are (a stack may sit inside a sentence that goes on after
 * it): "at f (/x.js:1:2)", "at new X (<anonymous>)", "at async Promise.all (index 0)", a frame
 * line of a bare location ("    at /x.js:1:2"), and file, node: and wasm: locations anywhere. A
 * sentence that says "at /some/file.json:3:5" mid-line is not a frame, and stays.
 */
const STACK_FRAMES = [
  /[ \t]*(?:\r?\n)?[ \t]*\bat (?:async )?(?:new )?[^\s()]+(?: \[as [^\]\s]+\])? \((?:file:\/\/|node:|wasm:\/\/|\/|[A-Za-z]:\\|<anonymous>|native\)|index \d+\))[^()\n]*\)?/g,
  /(?:^|\r?\n)[ \t]*at (?:async )?(?:\/|[A-Za-z]:\\)[^\s()]*:\d+(?::\d+)?/g,
  /[ \t]*(?:\r?\n)?[ \t]*\bat (?:async )?(?:file:\/\/|node:|wasm:\/\/)[^\s()]*/g,
]

/**
 * Words only a library's or the runtime's internals use: a clause holding one is cut. Each is
 * specific (a JS class with its colon, a binding's wrapper, an error-code prefix), so the node's
 * own sentences never match.
 */
const INTERNALS = [
  /JsValue\(/, /wasm-function\[/, /wasm:\/\//, /WebAssembly\.\w+\(/, /`call-core \d+`/, /\bcall-core \d+/,
  // A runtime class followed by its colon is a stringified error; "an unexpected TypeError while…" is a sentence.
  /\b(?:Link|Compile|Runtime|Type|Reference|Range|Syntax|Eval|URI|Sqlite)Error: /, /\bSQLITE_[A-Z_]+/,
  /\bFST_[A-Z_]+/, /\bERR_[A-Z_]{3,}/, /\bHPE_[A-Z_]+/, /\[object \w+\]/, /Cannot read propert/, /is not a function\b/,
  /\bUnrecognized error\b/, /\bengine error: /, /Wasm backend error/, /\bExecution error: /, /Failed to apply func/, /node_modules/, /file:\/\//,
]

/** Names that start the node's own URL paths and multiaddrs: `/app/…`, `/ipfs/…`, `/ip4/…` are not files. */
const URL_ROOTS = new Set(['app', 'ipfs', 'ipns', 'metadata', 'ta', 'tk', 'rpc', 'api', 'ip4', 'ip6', 'dns', 'dns4', 'dns6', 'dnsaddr', 'tcp', 'udp', 'ws', 'wss', 'p2p', 'quic', 'quic-v1', 'webrtc', 'webtransport', 'p2p-circuit', 'http', 'https', 'tls'])
/** Top-level entries of the file system root (`/home`, `/usr`, `/tmp`…): a token starting with one is a path. */
const ROOT_ENTRIES = readRootEntries()
/** An absolute path: `/`, then a name at the root, then anything up to a space, quote or bracket. Windows drive paths too. */
const ABSOLUTE_PATH = new RegExp(String.raw`(?<![\w.~%/-])(?:file:\/\/)?(?:\/(?:${ROOT_ENTRIES.map(escapeRegExp).join('|')})(?=[/\s"'\x60)\],;:]|$)|[A-Za-z]:\\)[^\s"'\x60<>|)\],;]*`, 'g')
/** A relative path into a library's install folder. */
const LIBRARY_PATH = /[^\s"'`(]*node_modules[^\s"'`)\],;]*/g
/** What the log has and the client does not. */
export const SEE_LOG = "the node's log has the details"

function readRootEntries (): string[] {
  const entries = new Set(['home', 'root', 'tmp', 'Users', 'private', 'var', 'opt', 'usr', 'etc', 'proc', 'dev', 'sys', 'mnt', 'media', 'srv', 'run', 'Volumes', 'Applications', 'Library', 'System'])
  try {
    for (const name of fs.readdirSync('/')) if (/^[\w.@+-]+$/.test(name)) entries.add(name)
  } catch {
    // No readable root (Windows, a jail): the usual names above are kept.
  }
  for (const dir of [os.homedir(), os.tmpdir(), process.cwd()]) {
    const top = dir.split(path.sep)[1]
    if (path.isAbsolute(dir) && top !== undefined && top !== '') entries.add(top)
  }
  return [...entries].filter(name => !URL_ROOTS.has(name)).sort((a, b) => b.length - a.length)
}

function escapeRegExp (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Whether `candidate` is `named`, lies under it, or is one of its folders (the client wrote those too). */
function isUnder (candidate: string, named: string): boolean {
  const base = named.endsWith('/') || named.endsWith('\\') ? named.slice(0, -1) : named
  if (candidate === base || candidate.startsWith(`${base}/`) || candidate.startsWith(`${base}\\`)) return true
  return candidate.length > 1 && (base.startsWith(`${candidate}/`) || base.startsWith(`${candidate}\\`))
}

/** `/home/ann/.lineage/keys/a.json` → `…/a.json`; a library's file → `…`. */
function hidePath (found: string): string {
  if (found.includes('node_modules')) return '…'
  const trimmed = found.replace(/[.:]+$/, '')
  const rest = found.slice(trimmed.length)
  const name = trimmed.split(/[/\\]/).filter(s => s !== '').pop()
  return `${name === undefined || /^[A-Za-z]:$/.test(name) ? '…' : `…/${name}`}${rest}`
}

/**
 * `message` as a client may see it. `echoed` are the absolute paths the request itself named: a
 * path equal to or under one of them stays, since the client knows it already (an import's file
 * names, an export's target). Everything else on the disk is `…/<name>`.
 */
export function publicText (message: string, echoed: readonly string[] = []): string {
  let text = message
  // Stack frames go; the lines left are the message, and the copies of it a stack starts with.
  for (const frame of STACK_FRAMES) text = text.replace(frame, '')
  const lines = text.split(/\r?\n/).map(line => line.trim()).filter(line => line !== '')
  text = lines.filter((line, i) => !lines.slice(0, i).some(earlier => earlier.includes(line.replace(/^\w+Error: /, '')))).join(' ')

  text = text.replace(ABSOLUTE_PATH, (found: string) => {
    // A path that ends a clause carries its punctuation ("Cannot import /a/b.car: …").
    const plain = (found.startsWith('file://') ? found.slice('file://'.length) : found).replace(/[.:,;]+$/, '')
    return echoed.some(named => isUnder(plain, named)) ? found : hidePath(found)
  })
  text = text.replace(LIBRARY_PATH, '…')

  // A clause that still speaks a library's internals is cut, with a pointer to the log.
  const internal = INTERNALS.map(pattern => pattern.exec(text)?.index).filter((i): i is number => i !== undefined)
  if (internal.length > 0) {
    const first = Math.min(...internal)
    const clauseStart = Math.max(text.lastIndexOf(': ', first), text.lastIndexOf(' (', first), text.lastIndexOf('; ', first))
    const kept = clauseStart > 0 ? text.slice(0, clauseStart).replace(/[\s:;(,]+$/, '') : ''
    text = kept === '' ? `The request failed; ${SEE_LOG}.` : `${kept} (${SEE_LOG})`
  }
  text = text.replace(/\s+$/, '')
  return text === '' ? `The request failed; ${SEE_LOG}.` : text
}

/** The absolute paths among a request's params (strings, anywhere in them), for `publicText`'s `echoed`. */
export function namedPaths (params: unknown): string[] {
  const found: string[] = []
  const visit = (value: unknown, depth: number): void => {
    if (found.length >= 16 || depth > 4) return
    if (typeof value === 'string') {
      if (value.length > 1 && value.length <= 4096 && (path.posix.isAbsolute(value) || path.win32.isAbsolute(value)) && !value.includes('\0')) found.push(value)
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1)
    } else if (typeof value === 'object' && value !== null) {
      for (const item of Object.values(value)) visit(item, depth + 1)
    }
  }
  visit(params, 0)
  return found
}

/**
 * A job's status or report with every `error` and `reason` in it made public: these are the
 * node's own records, whose only free text is why something failed. Other fields are as they were.
 */
export function publicReasons<T> (value: T, echoed: readonly string[]): T {
  const visit = (item: unknown, depth: number): unknown => {
    if (depth > 6 || typeof item !== 'object' || item === null) return item
    if (Array.isArray(item)) return item.map(entry => visit(entry, depth + 1))
    return Object.fromEntries(Object.entries(item).map(([key, field]) => [key, (key === 'error' || key === 'reason') && typeof field === 'string' && field !== '' ? publicText(field, echoed) : visit(field, depth + 1)]))
  }
  return visit(value, 0) as T
}
