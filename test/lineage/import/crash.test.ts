import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createKeystore } from '../../../src-main/lineage/keys/index.js'
import { createStore } from '../../../src-main/store/index.js'
import type { Store } from '../../../src-main/store/index.js'
import { testLog } from '../../helpers/logger.js'
import { repoRoot } from '../../helpers/processes.js'
import { tempDir } from '../../helpers/temp-dir.js'

const ITEMS = 2000
const KILLS = 4
const PASSPHRASE = 'correct horse battery staple'
const BUILT_IMPORT = path.join(repoRoot, 'dist', 'src-main', 'cli', 'import.js')

/** A child running the built `lineage-node import` code in-process on the data dir, printing its output. */
const CHILD = `
const { runImport } = await import(${JSON.stringify(BUILT_IMPORT)})
const output = { out: line => process.stdout.write(line + '\\n'), err: line => process.stderr.write(line + '\\n') }
try {
  await runImport(JSON.parse(process.argv[2]), output)
  process.stdout.write('FINISHED\\n')
  process.exit(0)
} catch (err) {
  process.stderr.write('FAILED ' + err.message + '\\n')
  process.exit(1)
}
`

interface Child { child: ChildProcessWithoutNullStreams, out: () => string, exited: Promise<number | null> }

/** The script is a file, not `-e`: the contract sandbox's worker threads inherit execArgv. */
function startChild (script: string, options: Record<string, unknown>): Child {
  const child = spawn(process.execPath, [script, JSON.stringify(options)], { env: { ...process.env, LINEAGE_PASSPHRASE: PASSPHRASE } })
  let out = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>(resolve => { child.on('exit', code => { resolve(code) }) })
  return { child, out: () => out, exited }
}

async function waitFor (c: Child, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const match = pattern.exec(c.out())
    if (match !== null) return match
    if (c.child.exitCode !== null) return undefined
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}:\n${c.out()}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

const count = (store: Store, sql: string): number => (store.db.prepare(sql).get() as { n: number }).n

describe('import crash safety', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })

  it(`survives ${KILLS} kill -9 at random moments and ends with exactly ${ITEMS} tokens, none twice`, async () => {
    if (!fs.existsSync(BUILT_IMPORT)) throw new Error(`${BUILT_IMPORT} is missing: run \`npx tsc -p tsconfig.build.json\``)
    const data = tempDir('lineage-import-crash-')
    const src = tempDir('lineage-import-crash-src-')
    cleanups.push(data.cleanup, src.cleanup)
    const script = path.join(src.dir, '..', `${path.basename(src.dir)}-child.mjs`)
    fs.writeFileSync(script, CHILD)
    cleanups.push(() => { fs.rmSync(script, { force: true }) })
    for (let i = 1; i <= ITEMS; i++) fs.writeFileSync(path.join(src.dir, `${i}.json`), JSON.stringify({ name: `Token #${i}`, image: `ipfs://bafy${i}` }))
    await createKeystore({ log: testLog }, { dataDir: data.dir, scryptN: 1024 }).create('creator', 'ed25519', PASSPHRASE)
    const options = { dataDir: data.dir, source: src.dir, chain: '1', contract: '0x5af0d9827e0c53e4799bb226655a1de152a425a5', contractId: 'open', key: 'creator' }

    let job: string | undefined
    const pendingSeen = new Set<string>()
    for (let round = 0; round < KILLS; round++) {
      const c = startChild(script, job === undefined ? options : { ...options, resume: job })
      job = (await waitFor(c, /Import job (\S+):/))?.[1] ?? job
      expect(job, c.out()).toBeDefined()
      // The first kill may land while the collection is being bound; the others while items go in.
      if (round > 0) await waitFor(c, /imported \d+/)
      await new Promise(resolve => setTimeout(resolve, round === 0 ? Math.random() * 300 : 300 + Math.random() * 3500))
      c.child.kill('SIGKILL')
      await c.exited

      const store = createStore({ log: testLog }, { dataDir: data.dir })
      store.start()
      try {
        expect(store.integrityCheck()).toBe('ok')
        // A transaction has its receipt exactly when it is no longer pending.
        expect(count(store, `SELECT count(*) AS n FROM transactions t LEFT JOIN receipts r ON r.hash = t.hash
          WHERE (r.hash IS NULL) <> (t.status = 'pending')`)).toBe(0)
        for (const { hash } of store.db.prepare("SELECT hash FROM transactions WHERE status = 'pending'").all() as Array<{ hash: string }>) pendingSeen.add(hash)
        expect(count(store, "SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")).toBe(count(store, "SELECT count(DISTINCT token_id) AS n FROM transactions WHERE method = 'metadata'"))
      } finally {
        store.stop()
      }
    }

    const last = startChild(script, { ...options, resume: job })
    const code = await last.exited
    expect(code, last.out()).toBe(0)
    expect(last.out()).toMatch(new RegExp(`Done: ${ITEMS} written, 0 already there, 0 rejected, \\d+ already done before`))

    const store = createStore({ log: testLog }, { dataDir: data.dir })
    store.start()
    try {
      expect(store.integrityCheck()).toBe('ok')
      expect(count(store, "SELECT count(*) AS n FROM slots WHERE meta_contract_id = 'open'")).toBe(ITEMS)
      expect(count(store, "SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")).toBe(ITEMS)
      expect(count(store, "SELECT count(DISTINCT token_id) AS n FROM transactions WHERE method = 'metadata'")).toBe(ITEMS)
      expect(count(store, "SELECT count(*) AS n FROM transactions WHERE method = 'contract'")).toBe(1)
      expect(count(store, "SELECT count(*) AS n FROM transactions t JOIN receipts r ON r.hash = t.hash WHERE r.status = 'applied'")).toBe(ITEMS + 1)
      for (const hash of pendingSeen) expect((store.db.prepare('SELECT status FROM receipts WHERE hash = ?').get(hash) as { status: string } | undefined)?.status).toBe('applied')
      expect(store.db.prepare('SELECT state, done, total FROM jobs WHERE id = ?').get(job)).toEqual({ state: 'done', done: ITEMS, total: ITEMS })
    } finally {
      store.stop()
    }
  }, 180_000)
})
