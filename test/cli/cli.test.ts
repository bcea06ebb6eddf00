import fs from 'node:fs'
import { LATEST_SCHEMA_VERSION } from '../../src-main/store/index.js'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'

describe('lineage-node CLI', () => {
  const running: StartedNode[] = []
  const cleanups: Array<() => void> = []
  afterEach(async () => {
    for (const n of running.splice(0)) {
      n.child.kill('SIGKILL')
      await n.exited
    }
    for (const c of cleanups.splice(0)) c()
  })
  const dir = (): string => { const t = tempDir(); cleanups.push(t.cleanup); return t.dir }

  it('prints help and version', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('start')
    expect(help.stdout).toContain('status')
    const startHelp = await runCli(['start', '--help'])
    expect(startHelp.stdout).toContain('--data-dir')
    expect(startHelp.stdout).toContain('--rpc-port')
    expect(startHelp.stdout).toContain('--offline')
    const version = await runCli(['--version'])
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('rejects bad usage with exit code 2 and a one-line reason', async () => {
    const unknown = await runCli(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'frobnicate'")
    const badPort = await runCli(['start', '--rpc-port', 'eighty'])
    expect(badPort.code).toBe(2)
    expect(badPort.stderr).toContain('"eighty" is not a port')
  })

  it('starts a node, reports its status, refuses a second node, and stops cleanly on SIGTERM', async () => {
    const d = dir()
    const node = await startNodeProcess(['--data-dir', d, ...TEST_NODE_ARGS])
    running.push(node)
    expect(node.output()).toContain(`${node.url}/rpc`)

    const status = await runCli(['status', '--data-dir', d])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain(`Peer id:  ${node.peerId}`)
    expect(status.stdout).toContain('State:    running')
    const json = await runCli(['status', '--data-dir', d, '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ peer_id: node.peerId, state: 'running', data_dir: d, schema_version: LATEST_SCHEMA_VERSION })

    const second = await runCli(['start', '--data-dir', d, ...TEST_NODE_ARGS])
    expect(second.code).toBe(1)
    expect(second.stderr.trim().split('\n')).toHaveLength(1)
    expect(second.stderr).toContain('already running')

    node.child.kill('SIGTERM')
    expect(await node.exited).toBe(0)
    running.pop()
    expect(fs.existsSync(path.join(d, 'api.json'))).toBe(false)
    const after = await runCli(['status', '--data-dir', d])
    expect(after.code).toBe(1)
    expect(after.stderr).toContain('No Lineage node is running')
  })

  it('after kill -9, status says not running and the next start opens the same database', async () => {
    const d = dir()
    const first = await startNodeProcess(['--data-dir', d, ...TEST_NODE_ARGS])
    first.child.kill('SIGKILL')
    await first.exited

    const stale = await runCli(['status', '--data-dir', d])
    expect(stale.code).toBe(1)
    expect(stale.stderr).toContain('No Lineage node is running')

    const second = await startNodeProcess(['--data-dir', d, ...TEST_NODE_ARGS])
    running.push(second)
    expect(second.peerId).toBe(first.peerId)
    const status = await runCli(['status', '--data-dir', d, '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({ peer_id: first.peerId, state: 'running' })
  })

  it('says in one line when a data dir cannot be used', async () => {
    const d = dir()
    fs.writeFileSync(path.join(d, 'lineage.sqlite'), 'not a database at all '.repeat(300))
    const result = await runCli(['start', '--data-dir', d, ...TEST_NODE_ARGS])
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^Error: The database .* cannot be read/)
  })
})
