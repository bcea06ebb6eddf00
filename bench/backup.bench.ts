// Backup and restore as a creator runs them, each a whole `lineage-node` process on a data dir
// with no node running: `export --car` of everything, then `import <file.car>` into a fresh data
// dir. Each size is a collection imported through `lineage-node import` twice (two versions of
// every token), so it holds N tokens, 2N signed transactions and 2N version blocks.
// Anchors, measured in the same run on the same data: the creator's own first `lineage-node
// import` of the folder (restoring replays every signed write through the contract, so it is the
// work the restore repeats), and SQLite's online backup of the node's database file, the floor
// for any copy of the data. Peak memory (VmHWM) of each process is read from /proc while it runs,
// so 10,000 against 100,000 tokens shows whether memory grows with the collection.
// The round trip is checked as the tests check it at 10,000: same slot heads, the same tokenURI
// bytes and ETag for every token, and the restored node's own export byte for byte the same.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import { cliPath, startNodeProcess } from '../test/helpers/processes.js'
import { documentFor } from './documents.js'

const SIZES = (process.env.BACKUP_BENCH_TOKENS ?? '10000,100000').split(',').map(Number)
const COLLECTION = { chain: '1', address: '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e' }
const PASSPHRASE = 'a bench passphrase, long enough'

interface Run {
  seconds: number
  /** Peak resident memory of the process, MiB. */
  peakMiB: number
  stdout: string
}

/**
 * The JS heap (old space) the capped runs may use. V8 collects the old generation lazily, so a
 * long run's peak RSS says more about when it collected than about what it needed; a run that
 * finishes under this cap at every size shows its working set does not grow with the collection.
 */
const HEAP_CAP_MIB = 160

/** Runs the CLI to its end, reading its peak RSS from /proc as it goes; `heapCapMiB` caps the JS heap. */
async function cli (args: string[], heapCapMiB?: number): Promise<Run> {
  const started = performance.now()
  const flags = heapCapMiB === undefined ? [] : [`--max-old-space-size=${heapCapMiB}`]
  const child = spawn(process.execPath, [...flags, cliPath, ...args], { env: { ...process.env, LINEAGE_PASSPHRASE: PASSPHRASE } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  let peakKiB = 0
  const sample = (): void => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'))?.[1]
      if (hwm !== undefined) peakKiB = Math.max(peakKiB, Number(hwm))
    } catch {
      // The process has just ended.
    }
  }
  const timer = setInterval(sample, 25)
  const code = await new Promise<number | null>(resolve => { child.on('exit', c => { resolve(c) }) })
  clearInterval(timer)
  if (code !== 0) throw new Error(`lineage-node ${args.join(' ')} exited with ${String(code)}:\n${stderr}\n${stdout.slice(-2000)}`)
  return { seconds: (performance.now() - started) / 1000, peakMiB: peakKiB / 1024, stdout }
}

/** SQLite's online backup of the node's database, in its own process like the CLI runs. */
async function sqliteBackup (dataDir: string, target: string): Promise<Run> {
  const script = `const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))}); const db = new Database(${JSON.stringify(path.join(dataDir, 'lineage.sqlite'))}, { readonly: true }); db.backup(${JSON.stringify(target)}).then(() => db.close())`
  const started = performance.now()
  const child = spawn(process.execPath, ['-e', script])
  let peakKiB = 0
  const timer = setInterval(() => {
    try {
      peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'))?.[1] ?? 0))
    } catch {
      // The process has just ended.
    }
  }, 25)
  const code = await new Promise<number | null>(resolve => { child.on('exit', c => { resolve(c) }) })
  clearInterval(timer)
  expect(code).toBe(0)
  return { seconds: (performance.now() - started) / 1000, peakMiB: peakKiB / 1024, stdout: '' }
}

function writeFolder (folder: string, tokens: number, version: number): void {
  fs.mkdirSync(folder)
  for (let id = 1; id <= tokens; id++) {
    const document = documentFor(id)
    if (version > 1) document.description = `${String(document.description)} Revealed in version ${version}.`
    fs.writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(document))
  }
}

const heads = (dataDir: string): string[] => {
  const db = new Database(path.join(dataDir, 'lineage.sqlite'), { readonly: true })
  try {
    return db.prepare('SELECT DISTINCT head_cid FROM slots ORDER BY head_cid').pluck().all() as string[]
  } finally {
    db.close()
  }
}

/** Every token's tokenURI bytes and ETag, read from a node started on the data dir, 32 at a time. */
async function documents (dataDir: string, tokens: number): Promise<string[]> {
  const node = await startNodeProcess(['--data-dir', dataDir, '--offline', '--rpc-port', '0'], 120_000)
  try {
    const out = new Array<string>(tokens)
    let next = 1
    await Promise.all(Array.from({ length: 32 }, async () => {
      for (let id = next++; id <= tokens; id = next++) {
        const response = await fetch(`${node.url}/metadata/${COLLECTION.chain}/${COLLECTION.address}/${id}`)
        out[id - 1] = `${response.status} ${response.headers.get('etag') ?? ''} ${await response.text()}`
      }
    }))
    return out
  } finally {
    node.child.kill('SIGTERM')
    await node.exited
  }
}

const row = (name: string, runs: Run[], anchor: Run[]): string =>
  `| ${name} | ${runs.map((r, i) => `${r.seconds.toFixed(1)} s (${(r.seconds / (anchor[i]?.seconds ?? r.seconds)).toFixed(2)}×)`).join(' | ')} | ${runs.map(r => `${r.peakMiB.toFixed(0)} MiB`).join(' | ')} |`

describe('backup and restore', () => {
  test(`lineage-node export and import of ${SIZES.map(n => n.toLocaleString('en-US')).join(' and ')} tokens, whole processes`, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-backup-bench-'))
    const results: Array<{ tokens: number, firstImport: Run, sqlite: Run, exported: Run, restored: Run, cappedExport: Run, cappedRestore: Run, bytes: number }> = []
    try {
      for (const tokens of SIZES) {
        const dir = path.join(work, String(tokens))
        const source = path.join(dir, 'source')
        fs.mkdirSync(dir)
        await cli(['keys', 'new', 'bench', '--type', 'ed25519', '--data-dir', source])
        writeFolder(path.join(dir, 'v1'), tokens, 1)
        writeFolder(path.join(dir, 'v2'), tokens, 2)
        const importArgs = ['--chain', COLLECTION.chain, '--contract', COLLECTION.address, '--contract-id', 'erc721', '--key', 'bench', '--data-dir', source]
        const firstImport = await cli(['import', path.join(dir, 'v1'), ...importArgs])
        await cli(['import', path.join(dir, 'v2'), ...importArgs])

        const sqlite = await sqliteBackup(source, path.join(dir, 'sqlite-backup.sqlite'))
        const file = path.join(dir, 'backup.car')
        const exported = await cli(['export', '--car', file, '--data-dir', source])
        expect(exported.stdout).toMatch(new RegExp(`^Exported ${2 * tokens + 1} transactions, ${tokens} slot heads,`, 'm'))
        const target = path.join(dir, 'restored')
        // A fresh data dir: the import opens it in process, as on a new laptop.
        const restored = await cli(['import', file, '--data-dir', target])
        expect(restored.stdout).toContain(`Slot heads: ${tokens} of the ${tokens} in the file are current here.`)

        // The round trip, checked.
        expect(heads(target)).toEqual(heads(source))
        const again = path.join(dir, 'backup-of-restore.car')
        await cli(['export', '--car', again, '--data-dir', target])
        expect(fs.readFileSync(again).equals(fs.readFileSync(file))).toBe(true)
        const [original, copy] = [await documents(source, tokens), await documents(target, tokens)]
        expect(original.filter((d, i) => d !== copy[i])).toEqual([])
        expect(original.every(d => d.startsWith('200 '))).toBe(true)

        // The same two commands with the JS heap capped: they finish, so what they keep is bounded.
        const cappedFile = path.join(dir, 'capped.car')
        const cappedExport = await cli(['export', '--car', cappedFile, '--data-dir', source], HEAP_CAP_MIB)
        expect(fs.readFileSync(cappedFile).equals(fs.readFileSync(file))).toBe(true)
        const cappedRestore = await cli(['import', file, '--data-dir', path.join(dir, 'capped-restore')], HEAP_CAP_MIB)
        expect(heads(path.join(dir, 'capped-restore'))).toEqual(heads(source))

        results.push({ tokens, firstImport, sqlite, exported, restored, cappedExport, cappedRestore, bytes: fs.statSync(file).size })
        fs.rmSync(path.join(dir, 'v1'), { recursive: true, force: true })
        fs.rmSync(path.join(dir, 'v2'), { recursive: true, force: true })
      }
      const sizes = results.map(r => `${r.tokens.toLocaleString('en-US')} tokens`)
      console.log([
        '',
        '### backup and restore, whole `lineage-node` processes (time, and ratio to the anchor of its group)',
        '',
        `| case | ${sizes.join(' | ')} | peak RSS ${sizes.join(' | peak RSS ')} |`,
        `|---|${sizes.map(() => '---:').join('|')}|${sizes.map(() => '---:').join('|')}|`,
        row('anchor: SQLite online backup of the node\'s database', results.map(r => r.sqlite), results.map(r => r.sqlite)),
        row('**`lineage-node export --car`** (everything)', results.map(r => r.exported), results.map(r => r.sqlite)),
        row('anchor: the creator\'s first `lineage-node import` of the folder', results.map(r => r.firstImport), results.map(r => r.firstImport)),
        row('**`lineage-node import backup.car`** into a fresh data dir (2 versions a token)', results.map(r => r.restored), results.map(r => r.firstImport)),
        row(`\`export\`, JS heap capped at ${HEAP_CAP_MIB} MiB (vs the SQLite backup)`, results.map(r => r.cappedExport), results.map(r => r.sqlite)),
        row(`\`import backup.car\`, JS heap capped at ${HEAP_CAP_MIB} MiB (vs the first import)`, results.map(r => r.cappedRestore), results.map(r => r.firstImport)),
        '',
        `CAR sizes: ${results.map(r => `${r.tokens.toLocaleString('en-US')} tokens ${(r.bytes / 1048576).toFixed(1)} MiB`).join(', ')}.`,
        '',
      ].join('\n'))
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  }, 3 * 60 * 60_000)
})
