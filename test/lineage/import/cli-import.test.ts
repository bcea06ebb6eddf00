import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { formatProgress, runImport } from '../../../src-main/cli/import.js'
import { createKeystore } from '../../../src-main/lineage/keys/index.js'
import { testLog } from '../../helpers/logger.js'
import { tempDir } from '../../helpers/temp-dir.js'

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
    const lines: string[] = []
    const output = { out: (l: string) => { lines.push(l) }, err: (l: string) => { lines.push(l) } }
    const options = { dataDir: data.dir, source: src.dir, chain: '1', contract: '0x5af0d9827e0c53e4799bb226655a1de152a425a5', contractId: 'open', key: 'studio', passphraseEnv: 'IMPORT_TEST_PASSPHRASE' }
    await expect(runImport(options, output)).rejects.toMatchObject({ name: 'CliError', exitCode: 1, message: '1 item was rejected (listed above); the others went in.' })
    expect(lines[0]).toMatch(/^Import job \S+: /)
    expect(lines.filter(l => /^imported 21\/21 \(\d+\/s(, ETA \d+ s)?\), 1 rejected$/.test(l))).toHaveLength(1)
    expect(lines.some(l => /^Done: 20 written, 0 already there, 1 rejected, 0 already done before \(job \S+\)\.$/.test(l))).toBe(true)
    expect(lines).toContain('  rejected 21.json: not valid JSON: Unexpected token \'o\', "nope" is not valid JSON')

    // The same folder again (a new job): every item is already there, and nothing new is stored.
    lines.length = 0
    await expect(runImport(options, output)).rejects.toMatchObject({ name: 'CliError', exitCode: 1 })
    expect(lines.filter(l => /^imported 21\/21 \(\d+\/s(, ETA \d+ s)?\), 1 rejected, 20 already there$/.test(l))).toHaveLength(1)
    expect(lines.some(l => /^Done: 0 written, 20 already there, 1 rejected, 0 already done before \(job \S+\)\.$/.test(l))).toBe(true)

    await expect(runImport({ ...options, passphraseEnv: 'NOT_SET_ANYWHERE' }, output)).rejects.toMatchObject({ name: 'CliError', exitCode: 2 })
    await expect(runImport({ ...options, key: 'missing' }, output)).rejects.toMatchObject({ name: 'CliError', message: 'There is no key named "missing".' })
    await expect(runImport({ ...options, source: path.join(src.dir, 'nope') }, output)).rejects.toMatchObject({ name: 'CliError', exitCode: 2 })
  })

  it('formats progress as "imported 1200/10000 (350/s, ETA 25 s), 3 rejected"', () => {
    expect(formatProgress({ type: 'lineage:import:progress', job: 'j', done: 1200, total: 10000, applied: 1197, unchanged: 0, rejected: 3, skipped: 0, rate: 350.4, eta_seconds: 25 })).toBe('imported 1200/10000 (350/s, ETA 25 s), 3 rejected')
    expect(formatProgress({ type: 'lineage:import:progress', job: 'j', done: 10, total: 9000, applied: 10, unchanged: 0, rejected: 0, skipped: 5, rate: 40, eta_seconds: 225 })).toBe('imported 10/9000 (40/s, ETA 4 min), 0 rejected, 5 already done')
    expect(formatProgress({ type: 'lineage:import:progress', job: 'j', done: 30, total: 30, applied: 30, unchanged: 25, rejected: 0, skipped: 2, rate: 10, eta_seconds: 0 })).toBe('imported 30/30 (10/s, ETA 0 s), 0 rejected, 25 already there, 2 already done')
  })
})
