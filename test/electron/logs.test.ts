import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { logLine, setupLogs } from '../../src-main/electron/logs.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('app logs', () => {
  let t: { dir: string, cleanup: () => void }
  beforeEach(() => { t = tempDir() })
  afterEach(() => { t.cleanup() })

  it('makes one clean line: no colour codes, a timestamp first', () => {
    const now = new Date('2026-01-02T03:04:05.000Z')
    expect(logLine(['  \u001B[36;1mlineage:node \u001B[0mnode %s running', '12D3'], now)).toBe('2026-01-02T03:04:05.000Z lineage:node node 12D3 running')
    expect(logLine(['2026-01-01T00:00:00.000Z lineage:api listening'], now)).toBe('2026-01-01T00:00:00.000Z lineage:api listening')
  })

  it('writes the enabled lines of the node\'s components to lineage.log, rotated by size', () => {
    const logs = setupLogs(t.dir, { namespaces: 'lineage:*,*:error', maxBytes: 4096, keep: 1 })
    const node = logs.logger.forComponent('lineage:node')
    const libp2p = logs.logger.forComponent('libp2p:dialer')
    node('node %s running, API %s', '12D3KooW', 'http://127.0.0.1:5480')
    libp2p('chatty line that is not enabled')
    libp2p.error('dial failed: %e', new Error('connection refused'))
    const text = fs.readFileSync(logs.file.path, 'utf8')
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\S+ lineage:node node 12D3KooW running, API http:\/\/127\.0\.0\.1:5480\n/)
    expect(text).toContain('libp2p:dialer:error dial failed: Error: connection refused')
    expect(text).not.toContain('chatty')
    for (let i = 0; i < 100; i++) node('line %d', i)
    logs.close()
    expect(fs.readdirSync(t.dir).sort()).toEqual(['lineage.1.log', 'lineage.log'])
    expect(fs.statSync(logs.file.path).size).toBeLessThanOrEqual(4096)
  })
})
