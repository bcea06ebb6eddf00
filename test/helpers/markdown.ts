/** Just enough Markdown for checking the repo's docs: headings' anchors (as GitHub makes them) and links. */

/** The lines of a document outside fenced code blocks. */
function proseLines (text: string): string[] {
  const out: string[] = []
  let fenced = false
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced
      continue
    }
    if (!fenced) out.push(line)
  }
  return out
}

/** GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces turned to hyphens. */
export function slug (heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
  return text.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '').replace(/\s/g, '-')
}

/** Every anchor a document offers: its headings' (duplicates numbered as GitHub does) and `<a id>`s. */
export function anchors (text: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const line of proseLines(text)) {
    const heading = /^#{1,6} (.+?)\s*#*$/.exec(line)
    if (heading?.[1] !== undefined) {
      const base = slug(heading[1])
      const n = seen.get(base) ?? 0
      seen.set(base, n + 1)
      out.add(n === 0 ? base : `${base}-${n}`)
    }
    for (const m of line.matchAll(/<a id="([^"]+)"><\/a>/g)) if (m[1] !== undefined) out.add(m[1])
  }
  return out
}

/** The targets of a document's Markdown links, outside code blocks, with their line numbers. */
export function links (text: string): Array<{ target: string, line: number }> {
  const out: Array<{ target: string, line: number }> = []
  let fenced = false
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced
      return
    }
    if (fenced) return
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) if (m[1] !== undefined) out.push({ target: m[1], line: i + 1 })
  })
  return out
}
