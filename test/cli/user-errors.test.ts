/**
 * Ordinary mistakes on the command line get one clear line on stderr and a failing exit code,
 * never a stack trace or the install path (docs/CLI.md's contract; issue 15 §7). Real child
 * processes against a real node, including a hostile contract built and deployed with the CLI.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leaksIn } from '../helpers/leaks.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, runCli, startNodeProcess } from '../helpers/processes.js'
import type { Ran, StartedNode } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'

const HOSTILE = path.join(repoRoot, 'test', 'api', 'fixtures', 'hostile-contracts', 'unknown-import')

describe('lineage-node answers ordinary mistakes in one line, without internals', () => {
  let node: StartedNode
  let data: { dir: string, cleanup: () => void }
  let files: { dir: string, cleanup: () => void }
  const env = { LINEAGE_PASSPHRASE: 'correct horse battery staple' }

  beforeAll(async () => {
    data = tempDir()
    files = tempDir('lineage-cli-errors-')
    node = await startNodeProcess(['--data-dir', data.dir, ...TEST_NODE_ARGS])
    fs.writeFileSync(path.join(files.dir, 'garbage.wasm'), 'not a module')
    fs.writeFileSync(path.join(files.dir, 'truncated.wasm'), fs.readFileSync(path.join(repoRoot, 'dist', 'services', 'open.wasm')).subarray(0, 4096))
    fs.writeFileSync(path.join(files.dir, 'key.txt'), 'not a private key')
    fs.writeFileSync(path.join(files.dir, 'bad.json'), '{"name":')
  })
  afterAll(async () => {
    node.child.kill('SIGTERM')
    await node.exited
    data.cleanup()
    files.cleanup()
  })

  /** One line on stderr, nothing leaked, and a failing exit code: 1 for a failure, 2 for a usage error. */
  function expectOneClearLine (ran: Ran, args: string[]): string {
    const context = `lineage-node ${args.join(' ')}\nstderr: ${ran.stderr}\nstdout: ${ran.stdout}`
    expect([1, 2], context).toContain(ran.code)
    // A usage error adds commander's pointer to --help on a line of its own (program.ts showHelpAfterError).
    const lines = ran.stderr.trimEnd().split('\n')
    expect(lines.length === 1 || (ran.code === 2 && lines.length === 2 && lines[1] === '(run with --help for usage)'), context).toBe(true)
    expect(ran.stderr, context).toMatch(/^(?:Error|error): \S/)
    expect(leaksIn(ran.stderr + ran.stdout, { echoed: args }), context).toEqual([])
    return ran.stderr.trim()
  }
  const run = async (args: string[], withDataDir = true): Promise<string> => {
    const full = withDataDir ? [...args, '--data-dir', data.dir] : args
    return expectOneClearLine(await runCli(full, env), full)
  }

  it('refuses a contract that is not one, missing, or that needs a function the sandbox lacks', { timeout: 120_000 }, async () => {
    // Built with the CLI itself: it compiles (Marine links the "host" namespace), and fails only in the sandbox.
    const built = path.join(files.dir, 'unknown-import.wasm')
    const [build, garbage, missing, noFolder] = await Promise.all([
      runCli(['contract', 'build', HOSTILE, '--out', built]),
      run(['contract', 'deploy', path.join(files.dir, 'garbage.wasm'), '--id', 'junk']),
      run(['contract', 'deploy', path.join(files.dir, 'missing.wasm'), '--id', 'gone']),
      run(['contract', 'build', path.join(files.dir, 'no-such-folder')], false),
    ])
    expect(garbage).toMatch(/^Error: This module is not a meta contract: not a Wasm 1\.0 binary/)
    expect(missing).toContain(path.join(files.dir, 'missing.wasm'))
    expect(noFolder).toContain('no-such-folder')
    expect(build.code, build.stderr).toBe(0)
    expect(await run(['contract', 'deploy', built, '--id', 'unknown-import'])).toBe('Error: Meta contract unknown-import cannot be loaded: it imports host.no_such_host_function, which the sandbox does not provide (a contract may import only what `lineage-node contract build` links)')
  })

  it('refuses bad keys, CIDs, addresses, files and options', { timeout: 60_000 }, async () => {
    await Promise.all([
      run(['keys', 'import', 'k', path.join(files.dir, 'key.txt')]),
      run(['pin', 'add', 'not-a-cid']),
      run(['get', '1', 'not-an-address', '1']),
      run(['publish', '--key', 'nobody', '--chain', '1', '--contract', '0x00000000000000000000000000000000000000e7', '--token', '1', '--data', path.join(files.dir, 'bad.json')]),
      run(['status', '--no-such-option'], false),
    ])
  })
})
