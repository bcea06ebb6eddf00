import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RotatingLogFile } from '../../src-main/electron/index.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('rotating log file', () => {
  let t: { dir: string, cleanup: () => void }
  beforeEach(() => { t = tempDir() })
  afterEach(() => { t.cleanup() })

  it('appends lines, creating its folder', () => {
    const log = new RotatingLogFile(path.join(t.dir, 'logs'))
    log.write('one')
    log.write('two\n')
    log.close()
    expect(fs.readFileSync(path.join(t.dir, 'logs', 'lineage.log'), 'utf8')).toBe('one\ntwo\n')
    // Reopened, it appends and counts what is already there.
    const again = new RotatingLogFile(path.join(t.dir, 'logs'))
    again.write('three')
    again.close()
    expect(fs.readFileSync(again.path, 'utf8')).toBe('one\ntwo\nthree\n')
  })

  it('rotates by size, keeping the newest files and deleting the oldest', () => {
    const log = new RotatingLogFile(t.dir, { maxBytes: 100, keep: 2 })
    const line = (n: number): string => `line ${String(n).padStart(3, '0')} ${'x'.repeat(38)}` // 50 bytes with its newline
    for (let n = 1; n <= 7; n++) log.write(line(n))
    log.close()
    expect(fs.readdirSync(t.dir).sort()).toEqual(['lineage.1.log', 'lineage.2.log', 'lineage.log'])
    const read = (file: string): string[] => fs.readFileSync(path.join(t.dir, file), 'utf8').trim().split('\n').map(l => l.slice(0, 8))
    expect(read('lineage.log')).toEqual(['line 007'])
    expect(read('lineage.1.log')).toEqual(['line 005', 'line 006'])
    expect(read('lineage.2.log')).toEqual(['line 003', 'line 004'])
    for (const file of fs.readdirSync(t.dir)) expect(fs.statSync(path.join(t.dir, file)).size).toBeLessThanOrEqual(100)
  })

  it('writes a line longer than the limit whole, into a file of its own', () => {
    const log = new RotatingLogFile(t.dir, { maxBytes: 10, keep: 1 })
    log.write('short')
    log.write('a line far longer than ten bytes')
    log.close()
    expect(fs.readFileSync(log.path, 'utf8')).toBe('a line far longer than ten bytes\n')
    expect(fs.readFileSync(log.rotatedPath(1), 'utf8')).toBe('short\n')
  })
})
