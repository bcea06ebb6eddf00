import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { formatProgress, runImport } from '../../../src-main/cli/import.js'
import { createKeystore } from '../../../src-main/lineage/keys/index.js'
import { testLog } from '../../helpers/logger.js'
import { cliPath, repoRoot } from '../../helpers/processes.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { waitFor } from '../../helpers/wait-for.js'

describe('lineage-node import (runImport, in-process when no node runs)', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })

  it('prints progress lines, the rejected items, and fails with a clear line when some were rejected', async () => {
    const data = tempDir()
    const src = tempDir()
    cleanups.push(data.cleanup, src.cleanup, () => { delete process.env.IMPORT_TEST_PASSPHRASE })
    await createKeystore({ log: testLog }, { dataDir: data.dir, scryptN: 1024 }).create('studio', 'secp256k1', 'a long passphrase')
    process.env.IMPORT_TEST_PASSPHRASE = 'a long passphrase'
    for (let i = 1; i <= 20; i++) fs.writeFileSync(path.join(src.dir, `${i}.json`), JSON.stringify({ name: `#${i}` }))
    fs.writeFileSync(path.join(src.dir, '21.json'), 'nope')
    // Names that would drive a terminal, or are not UTF-8: printed escaped, never raw.
    fs.writeFileSync(path.join(src.dir, '22\x1b[2J\x1b]0;pwned\x07.json'), '{}')
    fs.writeFileSync(Buffer.concat([Buffer.from(`${src.dir}/`), Buffer.from([0x32, 0x33, 0xff, 0x2e, 0x6a, 0x73, 0x6f, 0x6e])]), '{}')
    const lines: string[] = []
    const output = { out: (l: string) => { lines.push(l) }, err: (l: string) => { lines.push(l) } }
    const options = { dataDir: data.dir, source: src.dir, chain: '1', contract: '0x5af0d9827e0c53e4799bb226655a1de152a425a5', contractId: 'open', key: 'studio', passphraseEnv: 'IMPORT_TEST_PASSPHRASE' }
    await expect(runImport(options, output)).rejects.toMatchObject({ name: 'CliError', exitCode: 1, message: '3 items were rejected (listed above); the others went in.' })
    expect(lines[0]).toMatch(/^Import job \S+: /)
    expect(lines.filter(l => /^imported 23\/23 \(\d+\/s(, ETA \d+ s)?\), 3 rejected$/.test(l))).toHaveLength(1)
    expect(lines.some(l => /^Done: 20 written, 0 already there, 3 rejected, 0 already done before \(job \S+\)\.$/.test(l))).toBe(true)
    // The reason places the mistake and never quotes the file (JSON.parse's own message would).
    expect(lines).toContain('  rejected 21.json: not valid JSON (at line 1, column 2)')
    expect(lines).toContain('  rejected 22\\x1b[2J\\x1b]0;pwned\\x07.json: the file name is not a token id: name each file <tokenId>.json or <tokenId>, with a decimal token id such as 42')
    expect(lines).toContain('  rejected 23\\xff.json: the file name is not valid UTF-8, so it cannot name a token; rename the file <tokenId>.json')
    for (const line of lines) expect(line).not.toMatch(/[\p{Cc}\p{Cf}]/u)

    // The same folder again (a new job): every item is already there, and nothing new is stored.
    lines.length = 0
    await expect(runImport(options, output)).rejects.toMatchObject({ name: 'CliError', exitCode: 1 })
    expect(lines.filter(l => /^imported 23\/23 \(\d+\/s(, ETA \d+ s)?\), 3 rejected, 20 already there$/.test(l))).toHaveLength(1)
    expect(lines.some(l => /^Done: 0 written, 20 already there, 3 rejected, 0 already done before \(job \S+\)\.$/.test(l))).toBe(true)

    await expect(runImport({ ...options, passphraseEnv: 'NOT_SET_ANYWHERE' }, output)).rejects.toMatchObject({ name: 'CliError', exitCode: 2 })
    await expect(runImport({ ...options, key: 'missing' }, output)).rejects.toMatchObject({ name: 'CliError', message: 'There is no key named "missing".' })
    await expect(runImport({ ...options, source: path.join(src.dir, 'nope') }, output)).rejects.toMatchObject({ name: 'CliError', exitCode: 2 })
  })

  it('prints a resume command after Ctrl+C that, run exactly as printed, finishes the job', async () => {
    const root = tempDir()
    cleanups.push(root.cleanup)
    // Spaces and a quote in both paths: the printed command must quote them for the shell.
    const data = path.join(root.dir, "data dir's")
    const src = path.join(root.dir, 'my collection')
    fs.mkdirSync(data)
    fs.mkdirSync(src)
    const items = 3000
    for (let i = 1; i <= items; i++) fs.writeFileSync(path.join(src, `${i}.json`), JSON.stringify({ name: `#${i}` }))
    await createKeystore({ log: testLog }, { dataDir: data, scryptN: 1024 }).create('studio', 'ed25519', 'a long passphrase')
    const env = { ...process.env, RESUME_TEST_PASSPHRASE: 'a long passphrase' }

    const first = spawn(process.execPath, [cliPath, 'import', src, '--chain', '1', '--contract', '0x5af0d9827e0c53e4799bb226655a1de152a425a5', '--contract-id', 'open', '--key', 'studio', '--passphrase-env', 'RESUME_TEST_PASSPHRASE', '--data-dir', data], { env })
    let out = ''
    first.stdout.on('data', (d: Buffer) => { out += d.toString() })
    first.stderr.on('data', (d: Buffer) => { out += d.toString() })
    const exited = new Promise<number | null>(resolve => { first.on('exit', code => { resolve(code) }) })
    // Ctrl+C once the first progress line shows the import under way.
    await waitFor('the first progress line', () => {
      if (first.exitCode !== null) throw new Error(`the import ended before it could be interrupted:\n${out}`)
      return /^imported \d+/m.test(out)
    }, { intervalMs: 20, detail: () => out })
    first.kill('SIGINT')
    expect(await exited, out).toBe(1)
    const hint = /Resume it with: (.+)$/m.exec(out)?.[1]
    expect(hint, out).toBeDefined()
    const words = shellWords(hint ?? '')
    expect(words.slice(0, 3)).toEqual(['lineage-node', 'import', src])
    expect(words).toEqual(expect.arrayContaining(['--data-dir', data, '--key', 'studio', '--passphrase-env', 'RESUME_TEST_PASSPHRASE']))

    // Through a shell, as a person pastes it: `lineage-node` as npm links it, on this Node.
    const second = spawn('sh', ['-c', hint ?? ''], { env: { ...env, PATH: [path.dirname(process.execPath), path.join(repoRoot, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) } })
    let resumed = ''
    second.stdout.on('data', (d: Buffer) => { resumed += d.toString() })
    second.stderr.on('data', (d: Buffer) => { resumed += d.toString() })
    expect(await new Promise<number | null>(resolve => { second.on('exit', code => { resolve(code) }) }), resumed).toBe(0)
    expect(resumed).toMatch(new RegExp(`^Done: ${items} written, 0 already there, 0 rejected, \\d+ already done before \\(job ${words[words.indexOf('--resume') + 1] ?? ''}\\)\\.$`, 'm'))
  }, 180_000)

  it('formats progress as "imported 1200/10000 (350/s, ETA 25 s), 3 rejected"', () => {
    expect(formatProgress({ type: 'lineage:import:progress', job: 'j', phase: 'items', done: 1200, total: 10000, applied: 1197, unchanged: 0, rejected: 3, skipped: 0, rate: 350.4, eta_seconds: 25 })).toBe('imported 1200/10000 (350/s, ETA 25 s), 3 rejected')
    expect(formatProgress({ type: 'lineage:import:progress', job: 'j', phase: 'items', done: 10, total: 9000, applied: 10, unchanged: 0, rejected: 0, skipped: 5, rate: 40, eta_seconds: 225 })).toBe('imported 10/9000 (40/s, ETA 4 min), 0 rejected, 5 already done')
    // A CAR import reads its blocks, then replays its transactions.
    expect(formatProgress({ type: 'lineage:import:progress', job: 'j', phase: 'blocks', done: 5000, total: null, applied: 0, unchanged: 0, rejected: 1, skipped: 0, rate: 2500, eta_seconds: null })).toBe('read 5000 blocks (2500/s), 1 refused')
    expect(formatProgress({ type: 'lineage:import:progress', job: 'j', phase: 'transactions', done: 300, total: 1000, applied: 290, unchanged: 0, rejected: 0, skipped: 10, rate: 100, eta_seconds: 7 })).toBe('replayed 300/1000 transactions (100/s, ETA 7 s), 0 rejected, 10 already here')
    expect(formatProgress({ type: 'lineage:import:progress', job: 'j', phase: 'items', done: 30, total: 30, applied: 30, unchanged: 25, rejected: 0, skipped: 2, rate: 10, eta_seconds: 0 })).toBe('imported 30/30 (10/s, ETA 0 s), 0 rejected, 25 already there, 2 already done')
  })
})

/** Splits a command line as a POSIX shell does, for the quoting the CLI prints: plain words, '…' and \\x. */
function shellWords (line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? ''
    if (c === ' ') {
      if (word !== undefined) words.push(word)
      word = undefined
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unclosed quote in ${line}`)
      word = (word ?? '') + line.slice(i + 1, end)
      i = end
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '')
    } else {
      word = (word ?? '') + c
    }
  }
  if (word !== undefined) words.push(word)
  return words
}
