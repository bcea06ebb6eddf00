import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadOrCreateIdentity } from '../../src-main/node/identity.js'
import { IDENTITY_FILE } from '../../src-main/node/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('node identity', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })
  const dir = (): string => { const t = tempDir(); cleanups.push(t.cleanup); return t.dir }

  it('creates an ed25519 key readable only by its owner, and loads the same peer id again', async () => {
    const d = dir()
    const first = await loadOrCreateIdentity(d, testLog)
    expect(first.created).toBe(true)
    expect(first.privateKey.type).toBe('Ed25519')
    expect(first.peerId).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/)
    expect(fs.statSync(path.join(d, IDENTITY_FILE)).mode & 0o777).toBe(0o600)

    const second = await loadOrCreateIdentity(d, testLog)
    expect(second.created).toBe(false)
    expect(second.peerId).toBe(first.peerId)
    expect(fs.readdirSync(d)).toEqual([IDENTITY_FILE])
  })

  it('tightens a key file others can read', async () => {
    const d = dir()
    await loadOrCreateIdentity(d, testLog)
    fs.chmodSync(path.join(d, IDENTITY_FILE), 0o644)
    await loadOrCreateIdentity(d, testLog)
    expect(fs.statSync(path.join(d, IDENTITY_FILE)).mode & 0o777).toBe(0o600)
  })

  it('refuses a damaged key with IdentityError and leaves the file as it was', async () => {
    const d = dir()
    const file = path.join(d, IDENTITY_FILE)
    fs.writeFileSync(file, Buffer.from('garbage garbage garbage'), { mode: 0o600 })
    await expect(loadOrCreateIdentity(d, testLog)).rejects.toMatchObject({ name: 'IdentityError', message: expect.stringContaining('not a valid key') })
    expect(fs.readFileSync(file, 'utf8')).toBe('garbage garbage garbage')
  })
})
