import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createLineageNode, readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { postRpc } from '../helpers/rpc.js'

const SERVICE_TOKEN = 'remote-pinning-token-must-not-be-in-the-db-0123456789'

/** Mode of every file and folder under `dir` (itself as "."), symbolic links left out. */
function modes (dir: string): Record<string, string> {
  const found: Record<string, string> = { '.': (fs.statSync(dir).mode & 0o777).toString(8) }
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name)
      if (entry.isSymbolicLink()) continue
      found[path.relative(dir, file)] = (fs.statSync(file).mode & 0o777).toString(8)
      if (entry.isDirectory()) walk(file)
    }
  }
  walk(dir)
  return found
}

const onlyPrivate = (found: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(found).filter(([, mode]) => mode !== '600' && mode !== '700'))

/** The raw bytes of the database, its WAL and shared memory, as a copy of the folder holds them. */
function databaseBytes (dir: string): Buffer {
  return Buffer.concat(fs.readdirSync(dir).filter(name => name.startsWith('lineage.sqlite')).map(name => fs.readFileSync(path.join(dir, name))))
}

describe('the data dir is owner-only, and no credential is in the database', () => {
  const umask = process.umask()
  const roots: string[] = []
  let node: LineageNode | undefined
  beforeAll(() => { process.umask(0o022) })
  afterEach(async () => { await node?.stop() })
  afterAll(() => {
    process.umask(umask)
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true })
  })

  /** A folder made as a user's shell would make it (umask 022: 0755), under a fresh root. */
  function folder (): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-modes-'))
    roots.push(root)
    return path.join(root, 'data')
  }

  async function call (method: string, ...params: unknown[]): Promise<{ result?: unknown, error?: unknown }> {
    const running = node as LineageNode
    const token = readApiToken(running.config.dataDir) ?? ''
    return (await postRpc(`${running.status().apiUrl ?? ''}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json as { result?: unknown, error?: unknown }
  }

  it('a fresh data dir under umask 022: every file 0600 and every folder 0700, running and stopped; the token is not in the database or its WAL', async () => {
    const dir = folder()
    node = createLineageNode(testNodeConfig(dir, { offline: true }), { logger: testLogger })
    await node.start()
    expect(await call('keys_new', 'creator', 'ed25519', 'a passphrase')).toMatchObject({ result: { name: 'creator' } })
    expect(await call('remote_pin_service_add', 'psa', 'https://pins.example.com', SERVICE_TOKEN)).toMatchObject({ result: { name: 'psa', token: '********6789' } })
    const running = modes(dir)
    // The files a running node has made, each named so a new one is looked at here too.
    expect(Object.keys(running).sort()).toEqual(expect.arrayContaining(['.', 'api-token', 'api.json', 'credentials.json', 'credentials.key', 'identity.key', 'keystore', 'keystore/creator.json', 'lineage.sqlite', 'lineage.sqlite-wal', 'uploads']))
    expect(onlyPrivate(running)).toEqual({})
    expect(databaseBytes(dir).includes(SERVICE_TOKEN.slice(0, 24))).toBe(false)
    expect((await call('node_info')).result).toMatchObject({ data_dir_warnings: [] })
    await node.stop()
    expect(onlyPrivate(modes(dir))).toEqual({})
    expect(databaseBytes(dir).includes(SERVICE_TOKEN.slice(0, 24))).toBe(false)
    // The service still works from its sealed token after a restart.
    node = createLineageNode(testNodeConfig(dir, { offline: true }), { logger: testLogger })
    await node.start()
    expect((await call('remote_pin_service_ls')).result).toMatchObject([{ name: 'psa', token: '********6789' }])
  })

  it('an existing 0755 data dir with files others can read is made private, and what belongs to another user is named in node_info', async () => {
    const dir = folder()
    fs.mkdirSync(path.join(dir, 'keys'), { recursive: true, mode: 0o755 })
    fs.chmodSync(dir, 0o755)
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'left by hand', { mode: 0o644 })
    fs.writeFileSync(path.join(dir, 'keys', 'old.json'), '{}', { mode: 0o644 })
    const foreign = path.join(dir, 'foreign.txt')
    fs.writeFileSync(foreign, 'another user\'s', { mode: 0o644 })
    const root = process.getuid?.() === 0
    if (root) fs.chownSync(foreign, 4242, 4242)
    node = createLineageNode(testNodeConfig(dir, { offline: true }), { logger: testLogger })
    await node.start()
    const found = modes(dir)
    expect(onlyPrivate(found)).toEqual(root ? { 'foreign.txt': '644' } : {})
    const warnings = ((await call('node_info')).result as { data_dir_warnings: string[] }).data_dir_warnings
    if (root) expect(warnings).toEqual([expect.stringContaining(`${foreign} can be read by other users (mode 644) and belongs to another user (uid 4242)`)])
    else expect(warnings).toEqual([])
  })
})
