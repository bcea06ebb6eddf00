import fs from 'node:fs'
import path from 'node:path'
import { CarReader } from '@ipld/car'
import type { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startNodeProcess } from '../helpers/processes.js'
import { callRpc } from '../helpers/rpc.js'
import type { StartedNode } from '../helpers/processes.js'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { tempDir } from '../helpers/temp-dir.js'
import { startPinningService } from '../remote-pinning/pinning-service-server.js'
import type { PinningServiceServer } from '../remote-pinning/pinning-service-server.js'
import { entryNames, readEntry } from '../lineage/snapshots/helpers.js'

const ADDRESS = '0x00000000000000000000000000000000000000fa'
const SERVICE_TOKEN = 'snapshot-cli-token-0123456789abcd'
const IDS = ['1', '2', '3', '7', '12']

describe('lineage-node snapshot and snapshots, real processes', () => {
  let node: StartedNode
  let service: PinningServiceServer
  let work: { dir: string, cleanup: () => void }
  let dataDir: string
  const env = { LINEAGE_PASSPHRASE: 'a snapshot test passphrase' }

  beforeAll(async () => {
    work = tempDir()
    dataDir = path.join(work.dir, 'node')
    service = await startPinningService({ token: SERVICE_TOKEN })
    expect((await runCli(['keys', 'new', 'studio', '--type', 'ed25519', '--data-dir', dataDir], env)).code).toBe(0)
    node = await startNodeProcess(['--data-dir', dataDir, '--offline', ...TEST_NODE_ARGS])
    const folder = path.join(work.dir, 'collection')
    fs.mkdirSync(folder)
    for (const id of IDS) fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify({ name: `Piece ${id}`, description: 'naïve — “quoted”', image: `ipfs://bafkqaaa/${id}.png` }))
    const imported = await runCli(['import', folder, '--chain', '1', '--contract', ADDRESS, '--contract-id', 'open', '--key', 'studio', '--data-dir', dataDir], env)
    expect(imported.stderr).toBe('')
    expect(imported.code).toBe(0)
    const tokenFile = path.join(work.dir, 'psa.token')
    fs.writeFileSync(tokenFile, SERVICE_TOKEN, { mode: 0o600 })
    expect((await runCli(['pin', 'remote', 'service', 'add', 'psa', service.url, '--token-file', tokenFile, '--data-dir', dataDir])).code).toBe(0)
  }, 120_000)
  afterAll(async () => {
    node?.child.kill('SIGTERM')
    await node?.exited
    await service?.close()
    work.cleanup()
  })

  it('prints the root CID and ipfs:// baseURI, writes a CAR of it, and sends it to a pinning service', async () => {
    const car = path.join(work.dir, 'snapshot.car')
    const ran = await runCli(['snapshot', '1', ADDRESS, '--json-suffix', '--car', car, '--remote-pin', 'psa', '--data-dir', dataDir])
    expect(ran.stderr).toBe('')
    expect(ran.code).toBe(0)
    const root = /^Root CID: (bafybei[a-z2-7]+)$/m.exec(ran.stdout)?.[1] ?? ''
    expect(ran.stdout.split('\n').filter(line => !line.startsWith('snapshot: '))).toEqual([
      expect.stringMatching(new RegExp(`^Snapshot of ${ADDRESS} on chain 1: 5 tokens \\(each also as <id>\\.json\\), \\d+(\\.\\d)? (B|KiB), pinned on this node\\.$`)),
      `Root CID: ${root}`,
      `baseURI:  ipfs://${root}/`,
      expect.stringMatching(new RegExp(`^Wrote ${car.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(6 blocks, .+\\): upload it to any pinning provider\\.$`)),
      `Sent ${root} to psa: queued. See \`lineage-node pin remote ls\` for its status.`,
      '',
    ])

    // The CAR alone holds the folder: every entry is the gateway's bytes for its token.
    const reader = await CarReader.fromBytes(fs.readFileSync(car))
    expect((await reader.getRoots()).map(String)).toEqual([root])
    const fromCar = { get: async function * (cid: CID) { const block = await reader.get(cid); if (block === undefined) throw new Error(`${cid.toString()} is not in the CAR`); yield block.bytes } }
    expect(await entryNames(fromCar, root)).toEqual(IDS.flatMap(id => [id, `${id}.json`]))
    for (const id of IDS) {
      const served = Buffer.from(await (await fetch(`${node.url}/metadata/1/${ADDRESS}/${id}`)).arrayBuffer())
      expect(Buffer.from((await readEntry(fromCar, root, id)).bytes).equals(served)).toBe(true)
      expect(Buffer.from((await readEntry(fromCar, root, `${id}.json`)).bytes).equals(served)).toBe(true)
    }
    // The service was asked for the root, under the local pin's dated name, and follows it to pinned.
    expect(service.posted).toEqual([expect.objectContaining({ cid: root, name: expect.stringMatching(new RegExp(`^snapshot 1/${ADDRESS} \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`)) })])
    const remotePins = async (): Promise<unknown> => (await callRpc(`${node.url}/rpc`, 'remote_pin_ls', [], node.token) as { result?: unknown }).result
    await expect.poll(remotePins, { timeout: 30_000, interval: 100 }).toEqual([expect.objectContaining({ cid: root, service: 'psa', status: 'pinned' })])

    // --ipns names the collection's folder (here a second snapshot, without the .json names).
    const named = await runCli(['snapshot', '1', ADDRESS, '--ipns', '--data-dir', dataDir])
    expect(named.code).toBe(0)
    const name = /^IPNS name: ipns:\/\/(k51[a-z0-9]+)\/ \(now \/ipfs\/(bafybei[a-z2-7]+), sequence 0\); each new snapshot of this collection moves it\.$/m.exec(named.stdout)
    const plainRoot = /^Root CID: (\S+)$/m.exec(named.stdout)?.[1]
    expect(name?.[2]).toBe(plainRoot)
    const served = await fetch(`${node.url}/ipns/${name?.[1] ?? ''}/1`, { redirect: 'manual' })
    expect([served.status, served.headers.get('location')]).toEqual([302, `/ipfs/${plainRoot ?? ''}/1`])

    const listed = await runCli(['snapshots', '1', ADDRESS, '--data-dir', dataDir])
    expect(listed.code).toBe(0)
    const line = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\t'
    expect(listed.stdout).toMatch(new RegExp(`^${line}ipfs://${plainRoot ?? ''}/\t5 tokens\t[^\t]+\n${line}ipfs://${root}/\t5 tokens\t.+\t\\.json too\n$`))
  })

  it('says what is wrong, with the CLI\'s exit codes, and keeps nothing', async () => {
    const badAddress = await runCli(['snapshot', '1', '0x12', '--data-dir', dataDir])
    expect(badAddress.code).toBe(2)
    expect(badAddress.stderr).toContain('"0x12" is not a contract address')
    const unknown = await runCli(['snapshot', '1', '0x00000000000000000000000000000000000000fb', '--data-dir', dataDir])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe('Error: This node has no collection 0x00000000000000000000000000000000000000fb on chain 1 (no meta contract is bound to it), so there is nothing to snapshot.\n')
    const none = await runCli(['snapshots', '1', '0x00000000000000000000000000000000000000fb', '--data-dir', dataDir])
    expect(none.stdout).toBe('No snapshots of 0x00000000000000000000000000000000000000fb on chain 1. Take one with `lineage-node snapshot 1 0x00000000000000000000000000000000000000fb`.\n')
    const noNode = await runCli(['snapshot', '1', ADDRESS, '--data-dir', path.join(work.dir, 'nobody')])
    expect(noNode.code).toBe(1)
    expect(noNode.stderr).toContain('No Lineage node is running with data dir')
  })
})
