// What each entry point loads (issue 17, start time): a running node never loads the Marine build
// toolchain (the TypeScript and AssemblyScript compilers), and `lineage-node status` / `--help`
// load neither the node nor its native and network modules. Each process runs with
// test/helpers/record-loads.mjs, which lists every module URL it resolved; built code in dist/.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeystore } from '../../src-main/lineage/keys/index.js'
import { testLog } from '../helpers/logger.js'
import { cliPath, repoRoot } from '../helpers/processes.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'

const hook = pathToFileURL(path.join(repoRoot, 'test', 'helpers', 'record-loads.mjs')).href
const dist = (...parts: string[]): string => pathToFileURL(path.join(repoRoot, 'dist', ...parts)).href

interface Loaded { code: number | null, stdout: string, stderr: string, urls: string[] }

const work = tempDir('lineage-loads-')
let runs = 0

/** Runs `node --import record-loads.mjs <args>` and returns what it printed and every module it resolved. */
async function loadsOf (args: string[]): Promise<Loaded> {
  const file = path.join(work.dir, `loads-${runs++}.txt`)
  const child = spawn(process.execPath, ['--import', hook, ...args], { env: { ...process.env, LINEAGE_LOADS_FILE: file } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const code = await new Promise<number | null>(resolve => { child.on('exit', resolve) })
  return { code, stdout, stderr, urls: fs.readFileSync(file, 'utf8').split('\n').filter(u => u !== '') }
}

const packageLoaded = (loaded: Loaded, name: string): boolean => loaded.urls.some(u => u.includes(`/node_modules/${name}/`))
const importEntry = (url: string): string[] => ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`]

describe('modules loaded by each entry point', () => {
  let node: TestNode
  beforeAll(async () => { node = await startTestNode({ offline: true }) }, 60_000)
  afterAll(async () => {
    await node.stop()
    work.cleanup()
  })

  it('the build toolchain entry loads typescript, so the hook sees it when it is loaded', async () => {
    const loaded = await loadsOf(importEntry(dist('services', 'toolchain', 'builder', 'index.js')))
    expect(loaded.code).toBe(0)
    expect(packageLoaded(loaded, 'typescript')).toBe(true)
  })

  it('the node runtime loads the Marine runtime and SQLite, and neither TypeScript, AssemblyScript nor the build toolchain', async () => {
    // heavy.js: what the node loads once its API socket listens (node/index.js loads less, below).
    const loaded = await loadsOf(importEntry(dist('src-main', 'node', 'heavy.js')))
    expect(loaded.stderr).toBe('')
    expect(loaded.code).toBe(0)
    expect(loaded.urls).toContain(dist('services', 'toolchain', 'index.js'))
    expect(packageLoaded(loaded, 'better-sqlite3')).toBe(true)
    expect(packageLoaded(loaded, '@fluencelabs/marine-js')).toBe(true)
    expect(packageLoaded(loaded, 'typescript')).toBe(false)
    expect(packageLoaded(loaded, 'assemblyscript')).toBe(false)
    expect(loaded.urls.filter(u => u.includes('/services/toolchain/builder/'))).toEqual([])
  })

  it('a starting node answers node_info ("starting") before it loads libp2p, Fluence, Marine or the API app', async () => {
    const dir = tempDir()
    try {
      // Held at whileStarting (the API socket listens, nothing else has started): asks, prints, exits.
      const script = `
        const { createLineageNode, readApiToken } = await import(${JSON.stringify(dist('src-main', 'node', 'index.js'))})
        const node = createLineageNode({ dataDir: ${JSON.stringify(dir.dir)}, rpcPort: 0, p2pPort: 0, p2pHost: '127.0.0.1' }, {
          whileStarting: async () => {
            const response = await fetch(node.status().apiUrl + '/rpc', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + readApiToken(${JSON.stringify(dir.dir)}) }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info' }) })
            console.log(JSON.stringify((await response.json()).result))
            process.exit(0)
          },
        })
        await node.start()`
      const loaded = await loadsOf(['--input-type=module', '-e', script])
      expect(loaded.code).toBe(0)
      const info = JSON.parse(loaded.stdout) as { state: string, peer_id: string }
      expect(info.state).toBe('starting')
      expect(info.peer_id).toMatch(/^12D3KooW/)
      expect(packageLoaded(loaded, 'better-sqlite3')).toBe(true)
      for (const name of ['libp2p', '@libp2p/tcp', '@libp2p/kad-dht', '@fluencelabs/js-client', '@fluencelabs/marine-js', 'fastify']) {
        expect({ name, loaded: packageLoaded(loaded, name) }).toEqual({ name, loaded: false })
      }
      expect(loaded.urls).not.toContain(dist('src-main', 'node', 'heavy.js'))
    } finally {
      dir.cleanup()
    }
  })

  it('a node on the network listens for particles without loading js-client or AquaVM until one comes, nor ethers with no chain set', async () => {
    const dir = tempDir()
    try {
      const script = `
        const { createLineageNode } = await import(${JSON.stringify(dist('src-main', 'node', 'index.js'))})
        const node = createLineageNode({ dataDir: ${JSON.stringify(dir.dir)}, rpcPort: 0, p2pPort: 0, p2pHost: '127.0.0.1' })
        await node.start()
        console.log(JSON.stringify(node.info().fluence))
        await node.stop()`
      const loaded = await loadsOf(['--input-type=module', '-e', script])
      expect(loaded.code).toBe(0)
      const fluence = JSON.parse(loaded.stdout.trim().split('\n').at(-1) ?? 'null') as { peer_id: string, services: { marine: string[] } }
      expect(fluence.peer_id).toMatch(/^12D3KooW/)
      expect(fluence.services.marine).toEqual(expect.arrayContaining(['keys', 'formatter']))
      expect(packageLoaded(loaded, 'libp2p')).toBe(true)
      // ethers comes with the first chain endpoint; this node's owner set none.
      expect(loaded.urls).toContain(dist('src-main', 'chain', 'index.js'))
      for (const name of ['@fluencelabs/js-client', '@fluencelabs/avm', 'ethers']) {
        expect({ name, loaded: packageLoaded(loaded, name) }).toEqual({ name, loaded: false })
      }
    } finally {
      dir.cleanup()
    }
  })

  it('`lineage-node status` asks the running node without loading the node, SQLite, libp2p or Marine', async () => {
    const loaded = await loadsOf([cliPath, 'status', '--json', '--data-dir', node.node.config.dataDir])
    expect(loaded.stderr).toBe('')
    expect(loaded.code).toBe(0)
    const info = JSON.parse(loaded.stdout) as { state: string, peer_id: string }
    expect(info.state).toBe('running')
    expect(info.peer_id).toBe(node.node.status().peerId)
    expect(loaded.urls).toContain(dist('src-main', 'cli', 'status.js'))
    expect(loaded.urls).not.toContain(dist('src-main', 'node', 'node.js'))
    expect(loaded.urls).not.toContain(dist('src-main', 'node', 'index.js'))
    for (const name of ['better-sqlite3', 'libp2p', '@fluencelabs/marine-js', '@fluencelabs/js-client', 'fastify', 'typescript', 'assemblyscript']) {
      expect({ name, loaded: packageLoaded(loaded, name) }).toEqual({ name, loaded: false })
    }
  })

  it('`lineage-node status` with no node running says so, still without loading the node', async () => {
    const empty = tempDir()
    try {
      const loaded = await loadsOf([cliPath, 'status', '--data-dir', empty.dir])
      expect(loaded.code).toBe(1)
      expect(loaded.stderr.trim()).toBe(`Error: No Lineage node is running with data dir ${empty.dir}. Start one with \`lineage-node start\`.`)
      expect(loaded.urls).not.toContain(dist('src-main', 'node', 'node.js'))
      expect(packageLoaded(loaded, 'better-sqlite3')).toBe(false)
    } finally {
      empty.cleanup()
    }
  })

  it('`lineage-node import` with no node running opens the engine and Marine, not libp2p, Fluence or the API app, and follows what it wrote', async () => {
    const data = tempDir()
    const src = tempDir()
    try {
      await createKeystore({ log: testLog }, { dataDir: data.dir, scryptN: 1024 }).create('studio', 'ed25519', 'a long passphrase')
      for (let i = 1; i <= 3; i++) fs.writeFileSync(path.join(src.dir, `${i}.json`), JSON.stringify({ name: `#${i}` }))
      const address = '0x5af0d9827e0c53e4799bb226655a1de152a425a5'
      const child = spawn(process.execPath, ['--import', hook, cliPath, 'import', src.dir, '--chain', '1', '--contract', address, '--contract-id', 'open', '--key', 'studio', '--passphrase-env', 'LOADS_TEST_PASSPHRASE', '--data-dir', data.dir], {
        env: { ...process.env, LINEAGE_LOADS_FILE: path.join(work.dir, 'loads-import.txt'), LOADS_TEST_PASSPHRASE: 'a long passphrase' },
      })
      let stdout = ''
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
      expect(await new Promise<number | null>(resolve => { child.on('exit', resolve) })).toBe(0)
      expect(stdout).toMatch(/^Done: 3 written, 0 already there, 0 rejected/m)
      const loaded: Loaded = { code: 0, stdout, stderr: '', urls: fs.readFileSync(path.join(work.dir, 'loads-import.txt'), 'utf8').split('\n').filter(u => u !== '') }
      expect(packageLoaded(loaded, 'better-sqlite3')).toBe(true)
      expect(packageLoaded(loaded, '@fluencelabs/marine-js')).toBe(true)
      for (const name of ['libp2p', '@libp2p/gossipsub', '@libp2p/kad-dht', '@fluencelabs/js-client', 'fastify']) {
        expect({ name, loaded: packageLoaded(loaded, name) }).toEqual({ name, loaded: false })
      }
      expect(loaded.urls).not.toContain(dist('src-main', 'node', 'heavy.js'))
      // As a running node does: a collection this node wrote to is followed for replication.
      const db = new Database(path.join(data.dir, 'lineage.sqlite'), { readonly: true })
      try {
        expect(db.prepare('SELECT token_address, auto FROM follows').all()).toEqual([{ token_address: address, auto: 1 }])
      } finally {
        db.close()
      }
    } finally {
      data.cleanup()
      src.cleanup()
    }
  })

  it('`lineage-node --help` lists the commands without loading any command\'s implementation', async () => {
    const loaded = await loadsOf([cliPath, '--help'])
    expect(loaded.code).toBe(0)
    expect(loaded.stdout).toContain('status')
    expect(loaded.stdout).toContain('contract')
    // status.js is the small client the CLI's index exports (fetchNodeInfo); the others load the node or its parts.
    const commands = ['start', 'import', 'export', 'keys', 'publish', 'get', 'contract', 'files'].map(c => dist('src-main', 'cli', `${c}.js`))
    expect(loaded.urls.filter(u => commands.includes(u))).toEqual([])
    expect(loaded.urls).not.toContain(dist('src-main', 'node', 'node.js'))
    expect(packageLoaded(loaded, 'better-sqlite3')).toBe(false)
    expect(packageLoaded(loaded, 'commander')).toBe(true)
  })
})
