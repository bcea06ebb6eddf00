/**
 * Every relative link in the README, CONTRIBUTING.md, docs/*.md and services/README.md points at a
 * file that exists and, when it names an anchor, at a heading (or `<a id>`) that file has. Moving
 * a section without fixing the links to it fails here.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { anchors, links, slug } from '../helpers/markdown.js'
import { repoRoot } from '../helpers/processes.js'

const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  'services/README.md',
  ...fs.readdirSync(path.join(repoRoot, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`),
]

describe('links between the docs', () => {
  it.each(DOCS)('%s: every relative link reaches an existing file and anchor', (doc) => {
    const text = fs.readFileSync(path.join(repoRoot, doc), 'utf8')
    const broken: string[] = []
    for (const { target, line } of links(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue
      const [file = '', anchor] = target.split('#')
      const resolved = file === '' ? path.join(repoRoot, doc) : path.resolve(path.dirname(path.join(repoRoot, doc)), decodeURIComponent(file))
      if (!resolved.startsWith(repoRoot + path.sep)) {
        broken.push(`${doc}:${line} ${target}: outside the repository`)
        continue
      }
      if (!fs.existsSync(resolved)) {
        broken.push(`${doc}:${line} ${target}: no such file`)
        continue
      }
      if (anchor !== undefined && anchor !== '') {
        if (!resolved.endsWith('.md')) continue
        if (!anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${doc}:${line} ${target}: no heading with that anchor`)
      }
    }
    expect(broken).toEqual([])
  })

  it('makes anchors as GitHub does', () => {
    expect(slug('Signed transactions: the exact bytes')).toBe('signed-transactions-the-exact-bytes')
    expect(slug('`lineage-node pin remote add`')).toBe('lineage-node-pin-remote-add')
    expect(slug('What js-client 0.9.0 does, and what the node does about it')).toBe('what-js-client-090-does-and-what-the-node-does-about-it')
    expect(slug('Node keys: token_key and data_key')).toBe('node-keys-token_key-and-data_key')
    expect([...anchors('# A\n```\n# not a heading\n```\n## A\n<a id="x"></a>')]).toEqual(['a', 'a-1', 'x'])
  })
})
