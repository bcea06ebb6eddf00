/**
 * The README's quickstart works as written: its five commands run in order against a real
 * `lineage-node` (child processes of bin/lineage-node.js, as `npx lineage-node` runs it), on a
 * fresh data dir, and the tokenURI answers the document the README says. Only what a test must
 * change is changed: the data dir comes from LINEAGE_DATA_DIR, the node listens on free ports, and
 * the curl goes to the port it got.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, runCli, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'

const readme = fs.readFileSync(`${repoRoot}/README.md`, 'utf8')
const section = readme.slice(readme.indexOf('## Quickstart'), readme.indexOf('\n## ', readme.indexOf('## Quickstart') + 1))
const commands = (/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '').trim().split('\n').map(line => line.replace(/\s+# \d\..*$/, ''))
const CLI = 'npx lineage-node '

/** A command line's words: only plain words and single-quoted strings, which is all the quickstart uses. */
const words = (line: string): string[] => [...line.matchAll(/'([^']*)'|(\S+)/g)].map(m => m[1] ?? m[2] ?? '')

describe('the README quickstart', () => {
  const data = tempDir('lineage-quickstart-')
  const work = tempDir('lineage-quickstart-cwd-')
  const env = { LINEAGE_DATA_DIR: data.dir, LINEAGE_PASSPHRASE: 'correct horse battery staple' }
  let node: StartedNode | undefined
  afterAll(async () => {
    node?.child.kill('SIGTERM')
    await node?.exited
    data.cleanup()
    work.cleanup()
  })

  it('has five commands: a key, the node, a collection, its import, its tokenURI', () => {
    expect(commands).toHaveLength(5)
    const starts = ['npx lineage-node keys new ', 'npx lineage-node start', 'printf ', 'npx lineage-node import tokens.csv ', 'curl -s http://127.0.0.1:5480/metadata/']
    expect(commands.map((c, i) => c.startsWith(starts[i] ?? '?'))).toEqual([true, true, true, true, true])
  })

  it('runs from a key to a live tokenURI that answers what the README says', { timeout: 120_000 }, async () => {
    const [keys = '', start = '', write = '', load = '', curl = ''] = commands

    const key = await runCli(words(keys.slice(CLI.length)), env)
    expect(key.stderr).toBe('')
    expect(key.stdout).toMatch(/^Created creator\tevm\t0x[0-9a-f]{40}\n$/)

    expect(start).toBe('npx lineage-node start')
    node = await startNodeProcess(['--data-dir', data.dir, ...TEST_NODE_ARGS])

    const made = spawnSync('sh', ['-c', write], { cwd: work.dir, encoding: 'utf8' })
    expect(made.status).toBe(0)

    // The CSV is named relative to where the commands run.
    const args = words(load.slice(CLI.length)).map(a => a === 'tokens.csv' ? `${work.dir}/tokens.csv` : a)
    const imported = await runCli(args, env)
    expect(imported.code).toBe(0)
    const done = /`(Done: [^`]*)…`/.exec(section)?.[1] ?? 'the README names no Done line'
    expect(imported.stdout).toContain(done)

    const url = (/curl -s (\S+)/.exec(curl)?.[1] ?? '').replace('http://127.0.0.1:5480', node.url)
    const response = await fetch(url)
    expect(response.status).toBe(200)
    const promised = /step 5 answers\s+`([^`]+)`/.exec(section)?.[1] ?? 'the README names no answer'
    expect(await response.text()).toBe(promised)
  })
})
