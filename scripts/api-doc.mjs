#!/usr/bin/env node
/**
 * Writes docs/API.md from what the node declares and from the prose kept beside this script.
 *
 *   npm run api-doc                    regenerate docs/API.md (needs `npm run build` first)
 *   npm run api-doc -- --check         exit 1 if docs/API.md is not what it would write
 *
 * (npm runs it with the project's Node 22, which the built node needs.)
 *
 * The methods (name, description, parameters and their JSON schemas, whether the API token is
 * needed) are read from a real node's dispatcher: an offline node started on a temporary data dir,
 * so a method only some configurations register is still listed. The error codes come from the
 * one table in src-main/api/errors.ts. What code cannot say (each method's result, the meaning of
 * each code, the sections around them) is in scripts/api-doc.source.md; a method or a code the
 * source does not describe, or one it describes that the node does not have, fails the run.
 * test/docs/api-doc.test.ts renders the same way and compares.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const SOURCE_PATH = path.join(root, 'scripts', 'api-doc.source.md')
export const OUTPUT_PATH = path.join(root, 'docs', 'API.md')

const METHODS_MARK = '<!-- generated: methods -->'
const ERRORS_MARK = '<!-- generated: errors -->'
const NOTES_MARK = '<!-- method notes -->'
const MEANINGS_MARK = '<!-- error meanings -->'

/** A mismatch between the source, the declarations and the error table, said so a person can fix it. */
export class ApiDocError extends Error {
  name = 'ApiDocError'
}

const group = n => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
const code = s => '`' + String(s).replace(/\|/g, '\\|') + '`'

/** A JSON schema as a short phrase: `string, 1–128 characters`, `integer 1–100`, `object { a, b? }`. */
export function describeSchema (schema) {
  if (schema === true || schema === undefined) return 'any JSON value'
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map(describeSchema).join(', or ')
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(v => code(JSON.stringify(v))).join(', ')}`
  switch (schema.type) {
    case 'string': {
      const parts = ['string']
      if (schema.minLength !== undefined && schema.maxLength !== undefined) parts.push(`${group(schema.minLength)}–${group(schema.maxLength)} characters`)
      else if (schema.maxLength !== undefined) parts.push(`at most ${group(schema.maxLength)} characters`)
      else if (schema.minLength !== undefined) parts.push(`at least ${group(schema.minLength)} characters`)
      if (schema.pattern !== undefined) parts.push(`matching ${code(schema.pattern)}`)
      return parts.join(', ')
    }
    case 'integer':
    case 'number': {
      const kind = schema.type === 'integer' ? 'integer' : 'number'
      if (schema.minimum !== undefined && schema.maximum !== undefined) return `${kind} ${group(schema.minimum)}–${group(schema.maximum)}`
      if (schema.minimum !== undefined) return `${kind} ≥ ${group(schema.minimum)}`
      if (schema.maximum !== undefined) return `${kind} ≤ ${group(schema.maximum)}`
      return kind
    }
    case 'boolean': return 'boolean'
    case 'array': {
      const items = schema.items === undefined ? 'any JSON values' : describeSchema(schema.items)
      const count = schema.minItems !== undefined && schema.maxItems !== undefined
        ? `, ${group(schema.minItems)}–${group(schema.maxItems)} items`
        : schema.maxItems !== undefined ? `, at most ${group(schema.maxItems)} items` : ''
      return `array of (${items})${count}`
    }
    case 'object': {
      const properties = Object.entries(schema.properties ?? {})
      if (properties.length === 0) return 'object'
      const required = new Set(schema.required ?? [])
      const fields = properties.map(([name, s]) => `${code(name + (required.has(name) ? '' : '?'))}: ${describeSchema(s)}`)
      const closed = schema.additionalProperties === false ? '' : '; other fields allowed'
      return `object { ${fields.join('; ')} }${closed}`
    }
    default: return code(JSON.stringify(schema))
  }
}

/** Splits text at `## `/`### ` headings: [{ level, title, body }]. */
function sections (text) {
  const out = []
  let current
  for (const line of text.split('\n')) {
    const m = /^(#{2,3}) (.+)$/.exec(line)
    if (m !== null) {
      current = { level: m[1].length, title: m[2].trim(), body: [] }
      out.push(current)
    } else if (current !== undefined) {
      current.body.push(line)
    } else if (line.trim() !== '') {
      throw new ApiDocError(`scripts/api-doc.source.md: text before the first heading of a block: ${JSON.stringify(line.slice(0, 80))}`)
    }
  }
  return out.map(s => ({ ...s, body: s.body.join('\n').trim() }))
}

/** The source's parts: the page (with its two marks), the notes of each method by group, the meaning of each code. */
export function parseSource (source) {
  const notesAt = source.indexOf(NOTES_MARK)
  const meaningsAt = source.indexOf(MEANINGS_MARK)
  if (notesAt < 0 || meaningsAt < notesAt) throw new ApiDocError(`scripts/api-doc.source.md must hold "${NOTES_MARK}" and then "${MEANINGS_MARK}" after the page`)
  const page = source.slice(0, notesAt).trimEnd()
  for (const mark of [METHODS_MARK, ERRORS_MARK]) {
    if (page.split(mark).length !== 2) throw new ApiDocError(`scripts/api-doc.source.md: the page must hold "${mark}" exactly once`)
  }
  const groups = []
  for (const s of sections(source.slice(notesAt + NOTES_MARK.length, meaningsAt))) {
    if (s.level === 2) {
      if (s.body !== '') throw new ApiDocError(`scripts/api-doc.source.md: group "${s.title}" has text of its own; put it under a method`)
      groups.push({ title: s.title, methods: [] })
    } else {
      const name = /^`?([a-z0-9_]+)`?$/.exec(s.title)?.[1]
      if (name === undefined) throw new ApiDocError(`scripts/api-doc.source.md: "### ${s.title}" is not a method name`)
      if (groups.length === 0) throw new ApiDocError(`scripts/api-doc.source.md: method ${name} comes before any "## group" heading`)
      if (s.body === '') throw new ApiDocError(`scripts/api-doc.source.md: method ${name} says nothing (write at least its result)`)
      groups.at(-1).methods.push({ name, notes: s.body })
    }
  }
  const meanings = new Map()
  for (const line of source.slice(meaningsAt + MEANINGS_MARK.length).split('\n')) {
    if (line.trim() === '') continue
    const m = /^- `(-\d+)`: (.+)$/.exec(line)
    if (m === null) throw new ApiDocError(`scripts/api-doc.source.md: an error meaning is "- \`<code>\`: <meaning>", not ${JSON.stringify(line.slice(0, 80))}`)
    if (meanings.has(Number(m[1]))) throw new ApiDocError(`scripts/api-doc.source.md: code ${m[1]} has two meanings`)
    meanings.set(Number(m[1]), m[2])
  }
  return { page, groups, meanings }
}

/** Code → the error class names that produce it, in the table's order. */
function namesByCode (errorCodes) {
  const byCode = new Map()
  for (const [name, value] of Object.entries(errorCodes)) byCode.set(value, [...(byCode.get(value) ?? []), name])
  return byCode
}

const anchorOf = n => `error-${String(n).replace('-', '')}`

function renderMethod (method, notes, byCode) {
  const lines = [`### \`${method.name}\``, '']
  lines.push(method.requiresToken === true
    ? '🔑 Needs the API token.'
    : 'No API token needed.')
  lines.push('', method.description, '')
  if (method.params.length === 0) {
    lines.push('Params: none.')
  } else {
    lines.push('| # | param | type |', '|---|---|---|')
    method.params.forEach((p, i) => {
      lines.push(`| ${i + 1} | \`${p.name}\`${p.optional === true ? ' (optional)' : ''} | ${describeSchema(p.schema)} |`)
    })
  }
  lines.push('', notes, '')
  const errors = []
  if (method.requiresToken === true) errors.push(`[\`-32004\`](#${anchorOf(-32004)}) without the token`)
  if (method.params.length > 0) errors.push(`[\`-32602\`](#${anchorOf(-32602)}) when a param does not match its type (\`data.field\` names it)`)
  const named = [...new Set([...notes.matchAll(/`(-3\d{4})`/g)].map(m => Number(m[1])))]
  for (const n of named) {
    if (!byCode.has(n)) throw new ApiDocError(`scripts/api-doc.source.md: ${method.name} names error code ${n}, which src-main/api/errors.ts does not have`)
    if (n === -32004 || n === -32602) continue
    errors.push(`[\`${n}\`](#${anchorOf(n)}) ${byCode.get(n).join(', ')}`)
  }
  lines.push(`Errors: ${errors.length === 0 ? 'only the ones any call may get (see [Errors](#errors)).' : errors.join(' · ') + '.'}`, '')
  return lines.join('\n')
}

/**
 * docs/API.md from the declared methods (as a dispatcher lists them), the error table
 * (`RPC_ERROR_CODES`) and the source text. Throws ApiDocError naming what disagrees.
 */
export function renderApiDoc ({ methods, errorCodes, source }) {
  const { page, groups, meanings } = parseSource(source)
  const declared = new Map(methods.map(m => [m.name, m]))
  const described = groups.flatMap(g => g.methods.map(m => m.name))
  const problems = []
  for (const name of declared.keys()) if (!described.includes(name)) problems.push(`the node declares ${name}, which scripts/api-doc.source.md does not describe: add "### ${name}" with its result under a group`)
  for (const name of described) if (!declared.has(name)) problems.push(`scripts/api-doc.source.md describes ${name}, which the node does not declare: remove it or fix its name`)
  const seen = new Set()
  for (const name of described) {
    if (seen.has(name)) problems.push(`scripts/api-doc.source.md describes ${name} twice`)
    seen.add(name)
  }
  const byCode = namesByCode(errorCodes)
  for (const n of byCode.keys()) if (!meanings.has(n)) problems.push(`src-main/api/errors.ts has code ${n} (${byCode.get(n).join(', ')}), which scripts/api-doc.source.md gives no meaning: add "- \`${n}\`: …" under ${MEANINGS_MARK}`)
  for (const n of meanings.keys()) if (!byCode.has(n)) problems.push(`scripts/api-doc.source.md gives a meaning to ${n}, which src-main/api/errors.ts does not have`)
  if (problems.length > 0) throw new ApiDocError(problems.join('\n'))

  const index = groups.map(g => `- **${g.title}**: ${g.methods.map(m => `[\`${m.name}\`](#${m.name})${declared.get(m.name).requiresToken === true ? ' 🔑' : ''}`).join(', ')}`)
  const reference = [
    ...index, '',
    ...groups.flatMap(g => [`## ${g.title}`, '', ...g.methods.map(m => renderMethod(declared.get(m.name), m.notes, byCode))]),
  ].join('\n').trimEnd()

  const codes = [...byCode.keys()].sort((a, b) => b - a)
  const table = [
    '| code | error names | meaning |', '|---|---|---|',
    ...codes.map(n => `| <a id="${anchorOf(n)}"></a>\`${n}\` | ${byCode.get(n).map(x => `\`${x}\``).join(', ')} | ${meanings.get(n)} |`),
  ].join('\n')

  const header = '<!-- Generated by `npm run api-doc` (scripts/api-doc.mjs) from the node\'s method declarations (src-main/api/rpc/), its error table (src-main/api/errors.ts) and scripts/api-doc.source.md. Edit those, then run it; test/docs/api-doc.test.ts fails while this file and the code disagree. -->'
  return `${header}\n\n${page.replace(METHODS_MARK, () => reference).replace(ERRORS_MARK, () => table)}\n`
}

/** The methods of a real node: an offline one on a temporary data dir, built from dist/. */
export async function declaredMethods () {
  const { createLineageNode } = await import(pathToFileURL(path.join(root, 'dist', 'src-main', 'node', 'index.js')).href)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-api-doc-'))
  const node = createLineageNode({ dataDir, offline: true, rpcPort: 0 })
  try {
    await node.start()
    return node.api.methods.map(({ name, description, params, requiresToken }) => ({ name, description, params, requiresToken }))
  } finally {
    await node.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main () {
  if (Number(process.versions.node.split('.')[0]) < 22) {
    throw new ApiDocError(`The node this starts needs Node.js 22 or newer, but this is ${process.version}: run \`npm run api-doc\`, which uses the project's Node 22.`)
  }
  const check = process.argv.includes('--check')
  const { RPC_ERROR_CODES } = await import(pathToFileURL(path.join(root, 'dist', 'src-main', 'api', 'index.js')).href)
  const text = renderApiDoc({ methods: await declaredMethods(), errorCodes: RPC_ERROR_CODES, source: fs.readFileSync(SOURCE_PATH, 'utf8') })
  if (check) {
    const current = fs.existsSync(OUTPUT_PATH) ? fs.readFileSync(OUTPUT_PATH, 'utf8') : ''
    if (current !== text) {
      console.error('docs/API.md is not what the code declares: run `npm run api-doc` (after `npm run build`) and commit it.')
      process.exit(1)
    }
    console.log('docs/API.md matches the code.')
    return
  }
  fs.writeFileSync(OUTPUT_PATH, text)
  console.log(`Wrote docs/API.md (${group(text.length)} characters).`)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch(err => {
    console.error(err.name === 'ApiDocError' ? err.message : err)
    process.exit(1)
  })
}
