// ipfs:// snapshot of a collection as a creator takes one: `lineage-node snapshot <chainId>
// <address>`, a whole CLI process talking to a running node, which formats every token's
// tokenURI document (the gateway's bytes), builds the UnixFS folder with ipfs-unixfs-importer
// (CIDv1, raw leaves, Kubo's HAMT threshold), and commits blocks, pin and record to SQLite.
// Anchor, measured in the same run: ipfs-unixfs-importer alone, in its own Node process, importing
// the same documents already written to disk as files (read from the gateway first) into an
// in-memory blockstore with the same options: the floor for "a folder of files into IPFS".
// The bench checks that both give the same root CID. The node's peak RSS (VmHWM) is read from
// /proc, before and after, to show whether memory grows with the collection.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { TEST_NODE_ARGS } from '../test/helpers/node-config.js'
import { cliPath, startNodeProcess } from '../test/helpers/processes.js'
import { callRpc } from '../test/helpers/rpc.js'
import { documentFor } from './documents.js'

const SIZES = (process.env.SNAPSHOT_BENCH_TOKENS ?? '10000').split(',').map(Number)
const RUNS = Number(process.env.SNAPSHOT_BENCH_RUNS ?? 3)
const ADDRESS = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'
const PASSPHRASE = 'a bench passphrase, long enough'

interface Timed { seconds: number, stdout: string }

async function run (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Timed> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const code = await new Promise<number | null>(resolve => { child.on('exit', c => { resolve(c) }) })
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${String(code)}:\n${stderr}\n${stdout.slice(-2000)}`)
  return { seconds: (performance.now() - started) / 1000, stdout }
}

/** ipfs-unixfs-importer over the files of `folder`, in a process of its own; prints the root CID. */
function importerScript (folder: string): string {
  const resolve = (name: string): string => pathToFileURL(createRequire(import.meta.url).resolve(name)).href
  return `
    import fs from 'node:fs'
    import path from 'node:path'
    const { importer } = await import(${JSON.stringify(resolve('ipfs-unixfs-importer'))})
    const { MemoryBlockstore } = await import(${JSON.stringify(resolve('blockstore-core/memory'))})
    const folder = ${JSON.stringify(folder)}
    // Opened as the importer asks for them (a stream opens its file at once).
    function * files () { for (const name of fs.readdirSync(folder)) yield { path: 'folder/' + name, content: fs.createReadStream(path.join(folder, name)) } }
    let root
    for await (const entry of importer(files(), new MemoryBlockstore(), { cidVersion: 1, rawLeaves: true, shardSplitThresholdBytes: 262144, shardSplitStrategy: 'links-bytes', shardFanoutBits: 8 })) root = entry.cid
    console.log(root.toString())`
}

const peakMiB = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

describe('ipfs:// snapshot', () => {
  test(`lineage-node snapshot of ${SIZES.map(n => n.toLocaleString('en-US')).join(' and ')} tokens vs ipfs-unixfs-importer on the same files, whole processes`, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-snapshot-bench-'))
    const rows: string[] = []
    try {
      for (const tokens of SIZES) {
        const dir = path.join(work, String(tokens))
        const dataDir = path.join(dir, 'node')
        const folder = path.join(dir, 'collection')
        fs.mkdirSync(folder, { recursive: true })
        for (let id = 1; id <= tokens; id++) fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(documentFor(id)))
        await run([cliPath, 'keys', 'new', 'bench', '--type', 'ed25519', '--data-dir', dataDir], { LINEAGE_PASSPHRASE: PASSPHRASE })
        const node = await startNodeProcess(['--data-dir', dataDir, '--offline', ...TEST_NODE_ARGS], 120_000)
        try {
          await run([cliPath, 'import', folder, '--chain', '1', '--contract', ADDRESS, '--contract-id', 'erc721', '--key', 'bench', '--data-dir', dataDir], { LINEAGE_PASSPHRASE: PASSPHRASE })
          // The anchor's files: the gateway's bytes for every token, as `<tokenId>` files.
          const served = path.join(dir, 'served')
          fs.mkdirSync(served)
          let next = 1
          await Promise.all(Array.from({ length: 32 }, async () => {
            for (let id = next++; id <= tokens; id = next++) {
              const response = await fetch(`${node.url}/metadata/1/${ADDRESS}/${id}`)
              expect(response.status).toBe(200)
              fs.writeFileSync(path.join(served, String(id)), Buffer.from(await response.arrayBuffer()))
            }
          }))
          const memoryBefore = peakMiB(node.child.pid ?? 0)
          const ours: Timed[] = []
          const anchor: Timed[] = []
          const overRpc: Timed[] = []
          // Alternated, so all see the same machine.
          for (let i = 0; i < RUNS; i++) {
            anchor.push(await run(['--input-type=module', '-e', importerScript(served)]))
            ours.push(await run([cliPath, 'snapshot', '1', ADDRESS, '--data-dir', dataDir]))
            const started = performance.now()
            const answer = await callRpc(`${node.url}/rpc`, 'snapshot_create', ['1', ADDRESS], node.token) as { result?: { root_cid: string } }
            overRpc.push({ seconds: (performance.now() - started) / 1000, stdout: answer.result?.root_cid ?? '' })
          }
          const cliStart = await run([cliPath, '--version'])
          expect(overRpc[0]?.stdout).toBe(anchor[0]?.stdout.trim())
          const root = /^Root CID: (\S+)$/m.exec(ours[0]?.stdout ?? '')?.[1]
          expect(root).toBe(anchor[0]?.stdout.trim())
          const memoryAfter = peakMiB(node.child.pid ?? 0)
          const mean = (runs: Timed[]): number => runs.reduce((sum, r) => sum + r.seconds, 0) / runs.length
          const first = ours[0]?.seconds ?? 0
          const sharded = /HAMT-sharded/.test(ours[0]?.stdout ?? '') ? 'sharded' : 'flat'
          rows.push(`| anchor: \`ipfs-unixfs-importer\` on ${tokens.toLocaleString('en-US')} files on disk, in-memory blockstore | ${anchor.map(r => `${r.seconds.toFixed(2)} s`).join(', ')} | ${mean(anchor).toFixed(2)} s | 1.00× | |`)
          rows.push(`| \`snapshot_create\` over HTTP to the running node (no CLI process) | ${overRpc.map(r => `${r.seconds.toFixed(2)} s`).join(', ')} | ${mean(overRpc).toFixed(2)} s | ${(mean(overRpc) / mean(anchor)).toFixed(2)}× | |`)
          rows.push(`| (the CLI process alone: \`lineage-node --version\`) | ${cliStart.seconds.toFixed(2)} s | | | |`)
          rows.push(`| **\`lineage-node snapshot\`** of ${tokens.toLocaleString('en-US')} tokens (${sharded}; first run stores the blocks) | ${ours.map(r => `${r.seconds.toFixed(2)} s`).join(', ')} | **${mean(ours).toFixed(2)} s** | **${(mean(ours) / mean(anchor)).toFixed(2)}×** (first ${(first / mean(anchor)).toFixed(2)}×) | node peak RSS ${memoryBefore.toFixed(0)} → ${memoryAfter.toFixed(0)} MiB |`)
        } finally {
          node.child.kill('SIGTERM')
          await node.exited
        }
      }
      console.log([
        '',
        '### ipfs:// snapshot, whole processes (time, and ratio to the anchor)',
        '',
        '| case | runs | mean | vs anchor | memory |',
        '|---|---:|---:|---:|---|',
        ...rows,
        '',
      ].join('\n'))
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  }, 60 * 60_000)
})
