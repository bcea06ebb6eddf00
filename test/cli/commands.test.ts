import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContractSandbox } from '../../src-main/marine/index.js'
import { runCli, repoRoot, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

const ADDRESS = '0x1234567890abcdef1234567890abcdef12345678'

describe('lineage-node keys, publish, get, peers, contract build', () => {
  let node: StartedNode
  let dir: string
  let cleanup: () => void
  const env = { LINEAGE_PASSPHRASE: 'correct horse battery staple' }

  beforeAll(async () => {
    const t = tempDir()
    dir = t.dir
    cleanup = t.cleanup
    node = await startNodeProcess(['--data-dir', dir, ...TEST_NODE_ARGS])
  })
  afterAll(async () => {
    node.child.kill('SIGTERM')
    await node.exited
    cleanup()
  })

  it('creates, lists and exports keys without revealing private material', async () => {
    const created = await runCli(['keys', 'new', 'studio', '--type', 'evm', '--data-dir', dir], env)
    expect(created.code).toBe(0)
    const address = /\t(0x[0-9a-f]{40})$/m.exec(created.stdout)?.[1]
    expect(address).toBeDefined()
    expect((await runCli(['keys', 'new', 'plain', '--type', 'ed25519', '--data-dir', dir], env)).code).toBe(0)

    const list = await runCli(['keys', 'list', '--json', '--data-dir', dir])
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map(k => k.name).sort()).toEqual(['plain', 'studio'])
    const exported = await runCli(['keys', 'export-public', 'studio', '--data-dir', dir])
    expect(exported.stdout.trim()).toBe(address)

    const duplicate = await runCli(['keys', 'new', 'studio', '--data-dir', dir], env)
    expect(duplicate.code).toBe(1)
    expect(duplicate.stderr.trim().split('\n')).toHaveLength(1)
    const tricky = await runCli(['keys', 'new', '../escape', '--data-dir', dir], env)
    expect(tricky.code).toBe(1)
    expect(fs.existsSync(path.join(dir, 'escape.json'))).toBe(false)
    const noPassphrase = await runCli(['keys', 'new', 'other', '--data-dir', dir], { LINEAGE_PASSPHRASE: '' })
    expect(noPassphrase.code).toBe(1)
    expect(noPassphrase.stderr).toContain('LINEAGE_PASSPHRASE')
  })

  it('binds a contract, publishes a token document, and reads it back through the gateway', async () => {
    const bind = await runCli(['publish', '--key', 'studio', '--bind', '--chain', '1', '--contract', ADDRESS, '--contract-id', 'erc721', '--data-dir', dir], env)
    expect(bind.stderr).toBe('')
    expect(bind.stdout).toContain('Applied')

    const file = path.join(dir, 'token-5.json')
    fs.writeFileSync(file, JSON.stringify({ name: 'Five', description: 'from the CLI', image: 'ipfs://bafkqaaa' }))
    const published = await runCli(['publish', '--key', 'studio', '--chain', '1', '--contract', ADDRESS, '--token', '5', '--data', file, '--data-dir', dir], env)
    expect(published.code).toBe(0)
    expect(published.stdout).toMatch(/Applied: bafyrei/)

    const got = await runCli(['get', '1', ADDRESS, '5', '--data-dir', dir])
    expect(JSON.parse(got.stdout)).toEqual({ description: 'from the CLI', image: 'ipfs://bafkqaaa', name: 'Five' })

    // The same document again stores nothing, and says which version already holds it.
    const written = /Applied: (bafyrei\S+)/.exec(published.stdout)?.[1]
    const again = await runCli(['publish', '--key', 'studio', '--chain', '1', '--contract', ADDRESS, '--token', '5', '--data', file, '--data-dir', dir], env)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`Unchanged: ${written ?? '?'} already holds this content; no new version was stored.`)

    fs.writeFileSync(file, JSON.stringify({ name: 'Five', background_color: 'red' }))
    const rejected = await runCli(['publish', '--key', 'studio', '--chain', '1', '--contract', ADDRESS, '--token', '5', '--data', file, '--data-dir', dir], env)
    expect(rejected.code).toBe(1)
    expect(rejected.stderr).toMatch(/^Error: Rejected: invalid ERC-721 metadata: background_color/)

    const wrong = await runCli(['publish', '--key', 'studio', '--chain', '1', '--contract', ADDRESS, '--token', '5', '--data', file, '--data-dir', dir], { LINEAGE_PASSPHRASE: 'wrong passphrase' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr.toLowerCase()).toContain('passphrase')

    const missing = await runCli(['get', '1', ADDRESS, '6', '--data-dir', dir])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('no metadata for token 6')
  }, 120_000)

  it('pins a version and its history, lists pins, and garbage-collects only what nothing keeps', async () => {
    expect((await runCli(['pin', 'ls', '--data-dir', dir])).stdout.trim()).toBe('No pins.')
    const got = JSON.parse((await runCli(['keys', 'list', '--json', '--data-dir', dir])).stdout) as Array<{ name: string }>
    expect(got.length).toBeGreaterThan(0)
    const head = /bafyrei[a-z2-7]+/.exec((await runCli(['publish', '--key', 'studio', '--chain', '1', '--contract', ADDRESS, '--token', '6', '--data', path.join(dir, 'token-5.json'), '--alias', 'notes', '--data-dir', dir], env)).stdout)?.[0]
    expect(head).toBeDefined()
    const added = await runCli(['pin', 'add', head ?? '', '--name', 'token 6', '--data-dir', dir])
    expect(added.stdout).toMatch(/^Pinned bafyrei\S+ \(1 blocks, \d+(\.\d)? (B|KiB)\)/)
    expect((await runCli(['pin', 'ls', '--data-dir', dir])).stdout).toContain('\trecursive\t1 blocks\t')
    expect((await runCli(['gc', '--dry-run', '--data-dir', dir])).stdout.trim()).toBe('Would free 0 blocks (0 B)')
    const bad = await runCli(['pin', 'add', 'not-a-cid', '--data-dir', dir])
    expect(bad.code).toBe(1)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect((await runCli(['pin', 'rm', head ?? '', '--data-dir', dir])).stdout.trim()).toBe(`Unpinned ${head ?? ''}`)
  }, 60_000)

  it('imports a folder through the running node, reporting the bad item by file and reason', async () => {
    const folder = path.join(dir, 'collection')
    fs.mkdirSync(folder)
    for (let id = 100; id < 120; id++) fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify({ name: `Item ${id}` }))
    fs.writeFileSync(path.join(folder, '120.json'), '{ not json')
    const collection = '0x00000000000000000000000000000000000000aa'
    const imported = await runCli(['import', folder, '--chain', '1', '--contract', collection, '--contract-id', 'open', '--key', 'studio', '--data-dir', dir], env)
    expect(imported.code).toBe(1)
    expect(imported.stdout).toContain('Done: 20 written, 0 already there, 1 rejected')
    expect(imported.stdout + imported.stderr).toMatch(/120\.json: .*JSON/)
    expect(JSON.parse((await runCli(['get', '1', collection, '107', '--data-dir', dir])).stdout)).toEqual({ name: 'Item 107' })
  }, 120_000)

  it('lists peers', async () => {
    const peers = await runCli(['peers', '--data-dir', dir])
    expect(peers.code).toBe(0)
    expect(peers.stdout.trim()).toBe('Not connected to any peer.')
  })

  it('builds the template contract into a module that loads and runs in the sandbox', async () => {
    const t = tempDir()
    try {
      fs.cpSync(path.join(repoRoot, 'services', 'template'), path.join(t.dir, 'my-contract'), { recursive: true })
      const built = await runCli(['contract', 'build', path.join(t.dir, 'my-contract')])
      expect(built.stderr).toBe('')
      expect(built.stdout).toContain('on_execute, on_mint, on_clone')
      const wasm = fs.readFileSync(path.join(t.dir, 'my-contract', 'build', 'my-contract.wasm'))
      const sandbox = createContractSandbox({ log: testLog })
      try {
        await sandbox.load('my-contract', wasm)
        expect(await sandbox.call('my-contract', 'on_clone', [])).toBeTypeOf('boolean')
      } finally {
        await sandbox.stop()
      }
      const broken = await runCli(['contract', 'build', path.join(t.dir, 'nothing-here')])
      expect(broken.code).toBe(1)
      expect(broken.stderr.trim().split('\n')).toHaveLength(1)
    } finally {
      t.cleanup()
    }
  }, 120_000)
})
