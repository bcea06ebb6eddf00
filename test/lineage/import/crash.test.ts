import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImportStatusInfo, NodeInfo, TransactionInfo } from '../../../src-main/api/index.js'
import { createKeystore } from '../../../src-main/lineage/keys/index.js'
import { readApiToken } from '../../../src-main/node/index.js'
import { createStore } from '../../../src-main/store/index.js'
import type { Store } from '../../../src-main/store/index.js'
import { testLog } from '../../helpers/logger.js'
import { TEST_NODE_ARGS } from '../../helpers/node-config.js'
import { postRpc } from '../../helpers/rpc.js'
import { repoRoot, runCli, startNodeProcess } from '../../helpers/processes.js'
import type { StartedNode } from '../../helpers/processes.js'
import { seededRandom, TEST_SEED } from '../../helpers/seeded.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { waitFor } from '../../helpers/wait-for.js'

const ITEMS = 2000
const KILLS = 4
/**
 * The kill lands at a random moment: within this long of the job starting in the first round (so
 * it may hit the collection's binding), and this much later again in the others (items going in).
 */
const FIRST_KILL_WINDOW_MS = 300
const LATER_KILL_WINDOW_MS = 3500
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

/** The child's first line matching `pattern`, or undefined once it has exited without one. */
async function printed (c: Child, pattern: RegExp): Promise<RegExpExecArray | undefined> {
  const seen = await waitFor(`the import to print ${String(pattern)}`, () => pattern.exec(c.out()) ?? (c.child.exitCode !== null && 'exited'), { timeoutMs: 60_000, intervalMs: 20, detail: c.out })
  return seen === 'exited' ? undefined : seen
}

const count = (store: Store, sql: string): number => (store.db.prepare(sql).get() as { n: number }).n

describe('import crash safety', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => { for (const c of cleanups.splice(0)) c() })

  it(`survives ${KILLS} kill -9 at random moments (seed ${TEST_SEED}) and ends with exactly ${ITEMS} tokens, none twice`, async () => {
    const random = seededRandom()
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
      job = (await printed(c, /Import job (\S+):/))?.[1] ?? job
      expect(job, c.out()).toBeDefined()
      // The first kill may land while the collection is being bound; the others while items go in.
      if (round > 0) await printed(c, /imported \d+/)
      await new Promise(resolve => setTimeout(resolve, round === 0 ? random() * FIRST_KILL_WINDOW_MS : FIRST_KILL_WINDOW_MS + random() * LATER_KILL_WINDOW_MS))
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

describe('import_status after a kill -9 of the node running the import', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c() })

  /** Enough items that the kill lands long before the end, past the first saved counters maybe. */
  const NODE_ITEMS = 4000
  const ADDRESS = '0x5af0d9827e0c53e4799bb226655a1de152a425a5'

  async function start (dataDir: string): Promise<StartedNode> {
    const node = await startNodeProcess(['--data-dir', dataDir, '--offline', ...TEST_NODE_ARGS], 60_000)
    cleanups.push(async () => { if (node.child.exitCode === null) { node.child.kill('SIGKILL'); await node.exited } })
    return node
  }
  async function call<T> (node: StartedNode, dataDir: string, method: string, params: unknown[]): Promise<T> {
    const { json } = await postRpc(`${node.url}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${readApiToken(dataDir) ?? ''}` })
    const answer = json as { result?: T, error?: { message: string } }
    if (answer.error !== undefined) throw new Error(`${method}: ${answer.error.message}`)
    return answer.result as T
  }
  /** The job's transactions as the ledger holds them, by status, read through get_transactions. */
  async function ledgerCounts (node: StartedNode, dataDir: string, publicKey: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = { pending: 0, applied: 0, rejected: 0 }
    for (let from = 0; ; from += 1000) {
      const page = await call<TransactionInfo[]>(node, dataDir, 'get_transactions', [{ query: [{ column: 'public_key', op: '=', query: publicKey }, { column: 'method', op: '=', query: 'metadata' }], from, to: 1000 }])
      for (const tx of page) counts[tx.status] = (counts[tx.status] ?? 0) + 1
      if (page.length < 1000) return counts
    }
  }

  it('shows what was committed, then counts on from there when the job resumes', async () => {
    const data = tempDir('lineage-import-kill-')
    const src = tempDir('lineage-import-kill-src-')
    cleanups.push(data.cleanup, src.cleanup)
    for (let i = 1; i <= NODE_ITEMS; i++) fs.writeFileSync(path.join(src.dir, `${i}.json`), JSON.stringify({ name: `Token #${i}` }))
    const key = await createKeystore({ log: testLog }, { dataDir: data.dir, scryptN: 1024 }).create('creator', 'ed25519', PASSPHRASE)
    const options = { chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', key: 'creator', passphrase: PASSPHRASE }

    const first = await start(data.dir)
    const { job } = await call<ImportStatusInfo>(first, data.dir, 'import_folder', [src.dir, options])
    // Killed once items are going in, long before the end.
    await waitFor('300 items to go in', async () => {
      const status = await call<ImportStatusInfo>(first, data.dir, 'import_status', [job])
      expect(status.running, JSON.stringify(status)).toBe(true)
      return status.applied >= 300
    }, { timeoutMs: 60_000, intervalMs: 25 })
    first.child.kill('SIGKILL')
    await first.exited

    // The api file the killed node left names a process that is gone: the CLI says so.
    const stale = await runCli(['status', '--data-dir', data.dir])
    expect(stale.code).toBe(1)
    expect(stale.stderr).toContain(`the last one there (process ${first.child.pid ?? ''}) did not shut down cleanly`)

    const second = await start(data.dir)
    // What the validator had pending when the node died is applied at start.
    const after = await waitFor('the pending items to be applied at start', async () => {
      const status = await call<ImportStatusInfo>(second, data.dir, 'import_status', [job])
      return status.pending === 0 && status
    }, { timeoutMs: 60_000 })
    const ledger = await ledgerCounts(second, data.dir, key.publicKey)
    expect(after).toMatchObject({ state: 'paused', running: false, error: expect.stringContaining('interrupted'), total: NODE_ITEMS, pending: 0, rejected: 0 })
    expect(after.applied).toBe(ledger.applied)
    expect(after.done).toBe(ledger.applied)
    expect(after.applied).toBeGreaterThanOrEqual(300)
    expect(after.applied).toBeLessThan(NODE_ITEMS)
    const info = await call<NodeInfo>(second, data.dir, 'node_info', [])
    expect(info.stats?.slots).toBe(after.applied)

    await call<ImportStatusInfo>(second, data.dir, 'import_folder', [src.dir, { ...options, resume: job }])
    const resumed = await waitFor('the resumed import to end', async () => {
      const status = await call<ImportStatusInfo>(second, data.dir, 'import_status', [job])
      // Never less than what was in before the resume.
      expect(status.applied).toBeGreaterThanOrEqual(after.applied)
      return !status.running && status
    }, { timeoutMs: 120_000, intervalMs: 100 })
    expect(resumed).toMatchObject({ state: 'done', done: NODE_ITEMS, applied: NODE_ITEMS, rejected: 0, pending: 0, skipped: after.applied })
    expect(resumed.report).toMatchObject({ state: 'done', applied: NODE_ITEMS, skipped: after.applied })
    expect(await ledgerCounts(second, data.dir, key.publicKey)).toEqual({ pending: 0, applied: NODE_ITEMS, rejected: 0 })

    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  }, 240_000)
})
