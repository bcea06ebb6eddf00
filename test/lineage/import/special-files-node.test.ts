import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImportStatusInfo, NodeInfo } from '../../../src-main/api/index.js'
import { createKeystore } from '../../../src-main/lineage/keys/index.js'
import { readApiToken } from '../../../src-main/node/index.js'
import { testLog } from '../../helpers/logger.js'
import { TEST_NODE_ARGS } from '../../helpers/node-config.js'
import { startNodeProcess } from '../../helpers/processes.js'
import type { StartedNode } from '../../helpers/processes.js'
import { postRpc } from '../../helpers/rpc.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { waitFor } from '../../helpers/wait-for.js'

const PASSPHRASE = 'correct horse battery staple'
const ADDRESS = '0x5af0d9827e0c53e4799bb226655a1de152a425a5'
/** Enough good files that the job is still running while the test asks the node other things. */
const GOOD_ITEMS = 1000

describe('a real `lineage-node start` imports a folder of special files without stalling', () => {
  const cleanups: Array<() => void | Promise<void>> = []
  afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c() })

  it('refuses the FIFOs and device links by name, imports the good files, and answers node_info while the job runs', async () => {
    const data = tempDir('lineage-special-node-')
    const src = tempDir('lineage-special-node-src-')
    cleanups.push(data.cleanup, src.cleanup)
    for (let i = 1; i <= GOOD_ITEMS; i++) fs.writeFileSync(path.join(src.dir, `${i}.json`), JSON.stringify({ name: `Token #${i}` }))
    const expected: Record<string, string> = {
      '5001.json': 'not a regular file: it is a named pipe (FIFO)',
      '5002.json': 'not a regular file: it is a named pipe (FIFO)',
      '5003.json': 'not a regular file: it is a symbolic link (links are not followed)',
      '5004.json': 'not a regular file: it is a symbolic link (links are not followed)',
      '5005.json': 'not a regular file: it is a symbolic link (links are not followed)',
    }
    execFileSync('mkfifo', [path.join(src.dir, '5001.json')])
    execFileSync('mkfifo', [path.join(src.dir, '5002.json')])
    fs.symlinkSync('/dev/zero', path.join(src.dir, '5003.json'))
    fs.symlinkSync('/dev/urandom', path.join(src.dir, '5004.json'))
    fs.symlinkSync('/proc/self/environ', path.join(src.dir, '5005.json'))
    const fifoCar = path.join(src.dir, '..', `${path.basename(src.dir)}-fifo.car`)
    execFileSync('mkfifo', [fifoCar])
    cleanups.push(() => { fs.rmSync(fifoCar, { force: true }) })
    await createKeystore({ log: testLog }, { dataDir: data.dir, scryptN: 1024 }).create('creator', 'ed25519', PASSPHRASE)

    const node: StartedNode = await startNodeProcess(['--data-dir', data.dir, '--offline', ...TEST_NODE_ARGS], 60_000)
    cleanups.push(async () => { if (node.child.exitCode === null) { node.child.kill('SIGKILL'); await node.exited } })
    const call = async <T>(method: string, params: unknown[]): Promise<{ result?: T, error?: { code: number, message: string } }> =>
      (await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(data.dir) ?? ''}` })).json as never
    const options = { chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', key: 'creator', passphrase: PASSPHRASE }

    const started = await call<ImportStatusInfo>('import_folder', [src.dir, options])
    expect(started.result).toMatchObject({ state: 'running', running: true })
    const job = started.result?.job as string
    // Between two answers that both say the job runs, the node answers node_info with its own identity.
    let answeredWhileRunning = 0
    // Asked with only a timer turn between rounds, so answers interleave with the job's work.
    const status = await waitFor('the import to end', async () => {
      const before = (await call<ImportStatusInfo>('import_status', [job])).result as ImportStatusInfo
      const info = (await call<NodeInfo>('node_info', [])).result as NodeInfo
      expect(info.peer_id).toBe(node.peerId)
      const after = (await call<ImportStatusInfo>('import_status', [job])).result as ImportStatusInfo
      if (before.running && after.running) answeredWhileRunning++
      return !after.running && after
    }, { timeoutMs: 60_000, intervalMs: 0 })
    expect(answeredWhileRunning).toBeGreaterThan(0)
    expect(status).toMatchObject({ state: 'done', total: GOOD_ITEMS + 5, applied: GOOD_ITEMS, rejected: 5, pending: 0 })
    expect(Object.fromEntries(status.rejected_items.map(r => [r.item, r.reason]))).toEqual(expected)

    // A CAR path that is a FIFO nobody writes to is refused at once, and the node goes on answering.
    const car = await call('import_car', [fifoCar])
    expect(car.error).toMatchObject({ code: -32040, message: `Cannot import ${fifoCar}: not a regular file: it is a named pipe (FIFO)` })
    // An export into /dev is refused, and nothing is created there.
    const exported = await call('export_car', ['/dev/lineage-special-node.car'])
    expect(exported.error).toMatchObject({ code: -32602, message: expect.stringContaining('/dev/lineage-special-node.car is on the system file system /dev') })
    expect(fs.existsSync('/dev/lineage-special-node.car')).toBe(false)
    expect((await call<NodeInfo>('node_info', [])).result).toMatchObject({ peer_id: node.peerId, state: 'running' })
  })
})
