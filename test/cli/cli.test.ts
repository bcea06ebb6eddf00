import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
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
    // A clean stop leaves nothing behind, so nothing is said about an unclean one.
    expect(after.stderr.trim()).toBe(`Error: No Lineage node is running with data dir ${d}. Start one with \`lineage-node start\`.`)
  })

  it('after kill -9, status says not running and the next start opens the same database', async () => {
    const d = dir()
    const first = await startNodeProcess(['--data-dir', d, ...TEST_NODE_ARGS])
    first.child.kill('SIGKILL')
    await first.exited

    const stale = await runCli(['status', '--data-dir', d])
    expect(stale.code).toBe(1)
    expect(stale.stderr.trim()).toBe(`Error: No Lineage node is running with data dir ${d}: the last one there (process ${first.child.pid ?? ''}) did not shut down cleanly (it was killed or crashed). Start one with \`lineage-node start\`.`)

    const second = await startNodeProcess(['--data-dir', d, ...TEST_NODE_ARGS])
    running.push(second)
    expect(second.peerId).toBe(first.peerId)
    const status = await runCli(['status', '--data-dir', d, '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({ peer_id: first.peerId, state: 'running' })
  })

  it('says a node is stopping, or not answering, only when its process is alive', async () => {
    const d = dir()
    // An address where nothing listens: a port the system gave out and took back.
    const server = net.createServer()
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
    await new Promise<void>(resolve => server.close(() => { resolve() }))
    // This test's own process stands in for a node that is alive.
    const announce = (state: string, pid = process.pid): void => { fs.writeFileSync(path.join(d, 'api.json'), JSON.stringify({ url, peerId: '12D3KooWnode', pid, state })) }

    announce('stopping')
    const stopping = await runCli(['status', '--data-dir', d])
    expect(stopping.code).toBe(1)
    expect(stopping.stderr.trim()).toBe(`Error: The Lineage node with data dir ${d} (process ${process.pid}) is stopping. Wait for it to finish, then start it again with \`lineage-node start\` if you need it.`)

    announce('running')
    const stuck = await runCli(['status', '--data-dir', d])
    expect(stuck.stderr.trim()).toBe(`Error: The Lineage node with data dir ${d} (process ${process.pid}) does not answer at ${url}: it may be busy or stuck.`)

    // A process that is gone: whatever the file says, that node did not stop cleanly.
    const gone = spawn(process.execPath, ['-e', ''])
    await new Promise(resolve => gone.on('exit', resolve))
    announce('stopping', gone.pid)
    const killed = await runCli(['status', '--data-dir', d])
    expect(killed.stderr).toContain(`the last one there (process ${gone.pid ?? ''}) did not shut down cleanly`)
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
