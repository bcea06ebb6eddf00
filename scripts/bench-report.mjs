// The tables a bench prints, and their home in docs/BENCHMARKS.md (used by scripts/bench.mjs).
// A table is a `### title` line followed by markdown table rows; each bench file owns one block
// of the generated section, so running one bench replaces its own block and keeps the others.

export const BEGIN = '<!-- bench:generated:begin (scripts/bench.mjs writes between these markers) -->'
export const END = '<!-- bench:generated:end -->'
const BLOCK = /^<!-- bench:block (\S+) -->$/

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g

/** Every `### title` + table found in a bench's output, each as markdown text. */
export function tablesIn (output) {
  const lines = output.replace(ANSI, '').split(/\r?\n/)
  const tables = []
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('### ')) continue
    const table = [lines[i], '']
    let j = i + 1
    while (j < lines.length && lines[j].trim() === '') j++
    while (j < lines.length && lines[j].startsWith('|')) table.push(lines[j++])
    // An untitled table printed right after (vitest heads each console.log with a 'stdout |'
    // line) belongs to the same title.
    for (;;) {
      let k = j
      while (k < lines.length && (lines[k].trim() === '' || lines[k].startsWith('stdout | ') || lines[k].startsWith('stderr | '))) k++
      if (k >= lines.length || !lines[k].startsWith('|') || table.length <= 2) break
      table.push('')
      j = k
      while (j < lines.length && lines[j].startsWith('|')) table.push(lines[j++])
    }
    if (table.length > 2) tables.push(table.join('\n'))
    i = j - 1
  }
  return tables
}

/**
 * The document with the generated section's blocks of `blocks` (bench file → markdown) replaced
 * or added, the other blocks kept, all in file order. A document without the markers gets the
 * section appended.
 */
export function replaceBenchBlocks (doc, blocks) {
  let begin = doc.indexOf(BEGIN)
  let end = doc.indexOf(END)
  if (begin === -1 || end === -1 || end < begin) {
    doc = `${doc.trimEnd()}\n\n${BEGIN}\n${END}\n`
    begin = doc.indexOf(BEGIN)
    end = doc.indexOf(END)
  }
  const kept = new Map()
  let current
  for (const line of doc.slice(begin + BEGIN.length, end).split('\n')) {
    const match = BLOCK.exec(line)
    if (match !== null) { current = match[1]; kept.set(current, []); continue }
    if (current !== undefined) kept.get(current).push(line)
  }
  const merged = new Map([...kept].map(([file, lines]) => [file, lines.join('\n').trim()]))
  for (const [file, text] of blocks) merged.set(file, text.trim())
  const body = [...merged.keys()].sort().map(file => `<!-- bench:block ${file} -->\n\n#### \`bench/${file}\`\n\n${stripHeading(merged.get(file), file)}\n`).join('\n')
  return `${doc.slice(0, begin)}${BEGIN}\n\n${body}\n${doc.slice(end)}`
}

/** A kept block's text without the heading this module adds, so a rewrite does not repeat it. */
function stripHeading (text, file) {
  const heading = `#### \`bench/${file}\``
  return text.startsWith(heading) ? text.slice(heading.length).trim() : text
}
