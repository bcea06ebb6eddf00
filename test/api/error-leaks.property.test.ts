/**
 * No internals to clients (issue 15 §7): whatever a client sends, no error it gets back carries a
 * stack frame, a path on this machine it did not name itself, or a library's vocabulary.
 *
 * Properties, on a real node over real sockets, with the API token (so every call reaches its
 * handler whatever its auth rule):
 * - every JSON-RPC method the node registers (enumerated, so a method added later is covered),
 *   with hostile params (wrong types, huge and invisible strings, bad CIDs, malformed Wasm, paths
 *   to missing, special and private files): the error, and every `error`/`reason` of a result;
 * - the same calls in batches over POST /api/v0/json-rpc and over the WebSocket, and every
 *   notification the socket hears meanwhile;
 * - every gateway route (/metadata, /ta, /tk, /ipfs with ?format=raw|car and paths), the UI and
 *   unknown routes, with hostile path segments: every refusal's body.
 * A path the request named may come back (the client knows it); the data dir only then.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { RpcMethodInfo } from '../../src-main/api/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { buildServiceBytes } from '../../services/toolchain/builder/index.js'
import { fromSchema, hostileString, hostileValue, JsonObject, jsonText, obj } from '../helpers/hostile-json.js'
import type { Json, Pools, Schema } from '../helpers/hostile-json.js'
import { errorTexts, leaksIn, stringsIn } from '../helpers/leaks.js'
import { evmSigner } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const SEED = Number(process.env.LINEAGE_FUZZ_SEED ?? 715)
/** Calls per method; LINEAGE_FUZZ_RUNS explores further by hand. */
const RUNS_PER_METHOD = Number(process.env.LINEAGE_FUZZ_RUNS ?? 10)
const HOSTILE_CONTRACTS = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'hostile-contracts')

/** `wasm` with its memory section asking for `pages` 64 KiB pages at start (4 GiB at 65,536). */
function withInitialMemory (wasm: Uint8Array, pages: number): Buffer {
  const leb = (n: number): number[] => { const out: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n !== 0) b |= 0x80; out.push(b) } while (n !== 0); return out }
  const readLeb = (at: number): [number, number] => { let n = 0; let shift = 0; let i = at; for (;;) { const b = wasm[i++] ?? 0; n |= (b & 0x7f) << shift; if ((b & 0x80) === 0) return [n >>> 0, i]; shift += 7 } }
  const parts: Buffer[] = [Buffer.from(wasm.subarray(0, 8))]
  let at = 8
  while (at < wasm.length) {
    const id = wasm[at] ?? 0
    const [size, start] = readLeb(at + 1)
    const payload = id === 5 ? Buffer.from([1, 0, ...leb(pages)]) : Buffer.from(wasm.subarray(start, start + size))
    parts.push(Buffer.from([id, ...leb(payload.length)]), payload)
    at = start + size
  }
  return Buffer.concat(parts)
}

const decodeURIComponentSafe = (text: string): string => { try { return decodeURIComponent(text) } catch { return text } }
const COLLECTION = { chain_id: '1', token_address: '0x5180db8f5c931aae63c74266b211f580155ecac8' }

describe('no internals in any error a client gets', () => {
  let running: TestNode
  let token: string
  let dataDir: string
  let methods: readonly RpcMethodInfo[]
  let pools: Pools
  let files: { dir: string, cleanup: () => void }
  let work: string

  /** Modules that pass the schema and the interface check but fail in the sandbox, by name. */
  let hostileModules: Record<string, string>

  beforeAll(async () => {
    // Built with the project's own toolchain: a contract importing a host function no sandbox provides.
    const unknownImport = (await buildServiceBytes(path.join(HOSTILE_CONTRACTS, 'unknown-import'))).wasm
    running = await startTestNode({ offline: true })
    dataDir = running.node.config.dataDir
    token = readApiToken(dataDir) ?? ''
    methods = running.node.api.methods
    files = tempDir('lineage-leaks-')
    work = files.dir
    fs.mkdirSync(path.join(work, 'items'))
    fs.writeFileSync(path.join(work, 'items', '1.json'), '{"name":"One"}')
    fs.writeFileSync(path.join(work, 'items', '2.json'), '{"name":')
    fs.writeFileSync(path.join(work, 'garbage.car'), 'not a car at all')
    fs.writeFileSync(path.join(work, 'truncated.car'), Buffer.from([0x3a, 0xa2, 0x65, 0x72, 0x6f, 0x6f, 0x74]))

    const signer = evmSigner()
    const fields = { ...COLLECTION, meta_contract_id: 'erc721', alias: '', version: 'v1', mcdata: '' }
    const binding = await signer.sign({ ...fields, method: 'contract', token_id: '', data: '{}' })
    const write = await signer.sign({ ...fields, method: 'metadata', token_id: '7', data: '{"name":"Seven"}' })
    const bound = await rpc('publish', [binding])
    await rpc('publish', [write])
    await running.node.lineage.settled()
    const head = ((await rpc('get_transaction_receipt', [(bound.result as { hash: string }).hash])).result as { heads: string[] }).heads[0] ?? ''
    const open = fs.readFileSync(path.join(running.node.config.servicesDir, 'open.wasm'))
    hostileModules = {
      'unknown import': Buffer.from(unknownImport).toString('base64'),
      '4 GiB of memory': withInitialMemory(open, 65_536).toString('base64'),
      garbage: Buffer.from('garbage bytes, not a module').toString('base64'),
      'bare header': Buffer.from('\0asm\x01\0\0\0').toString('base64'),
      truncated: open.subarray(0, 4096).toString('base64'),
      'cut at the end': open.subarray(0, open.length - 7).toString('base64'),
      'flipped bytes': Buffer.from(open.map((b, i) => (i > 64 && i % 211 === 0 ? b ^ 0xff : b))).toString('base64'),
    }
    const paths = [
      work, path.join(work, 'items'), path.join(work, 'garbage.car'), path.join(work, 'truncated.car'), path.join(work, 'missing', 'x.car'),
      '/dev/null', '/proc/version', '/proc/self/status', '/nonexistent-lineage/x.car', '/nonexistent-lineage/items',
      dataDir, path.join(dataDir, 'api-token'), path.join(dataDir, 'keys'), `${work}/../escaped.car`, path.join(work, 'a'.repeat(300)), 'relative.car', '',
    ]
    pools = {
      hash: [(bound.result as { hash: string }).hash, '0'.repeat(64), 'zz'],
      cid: [head, 'bafy', 'QmNotACid', head.slice(0, -2), `${head}/x`],
      base: [head, 'bafy'],
      cursor: [head, 'bafy', '7'],
      meta_contract_id: ['erc721', 'open', 'nope'],
      id: ['erc721', 'hostile-wasm'],
      key: ['missing', 'Bad Name!'],
      passphrase: ['wrong passphrase'],
      job: ['nope', '../../etc'],
      path: paths,
      request: [binding, write, { ...write, signature: '0x00' }, { ...write, data: '{' }] as unknown as Json[],
      wasm: Object.values(hostileModules),
      private_key: ['0x00', '{"version":3}', 'not a key'],
      endpoint: ['http://127.0.0.1:9/psa', 'file:///etc/passwd', 'not a url'],
      uri: ['http://127.0.0.1:9/7', 'file:///etc/passwd', 'ipfs://QmNotACid/7', `ipfs://${head}/x`, 'not a url'],
      ipfs_gateway: ['http://127.0.0.1:9', 'file:///etc', 'not a url'],
      address: ['/ip4/127.0.0.1/tcp/9', '/unix/tmp/x.sock', 'not a multiaddr'],
      peer: ['12D3KooWnot', '/ip4/127.0.0.1/tcp/9'],
      chain_id: [COLLECTION.chain_id, 'x'],
      token_address: [COLLECTION.token_address, '0x'],
      token_id: ['7', '-1', '1'.repeat(100)],
      json: ['{', '[]', '{"a":1}'],
    }
  })
  afterAll(async () => {
    await running.stop()
    files.cleanup()
  })

  async function rpc (method: string, params: unknown): Promise<{ result?: unknown, error?: unknown }> {
    const response = await fetch(`${running.base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
    return await response.json() as { result?: unknown, error?: unknown }
  }

  /** The leaks in every error text of a reply, given what the request named. */
  function leaksOf (reply: unknown, request: unknown): string[] {
    const echoed = stringsIn(request)
    return errorTexts(reply).flatMap(text => leaksIn(text, { echoed, dataDir }))
  }

  /** Params for a method: schema-shaped with pooled and hostile values, positional or named, or anything at all. */
  function paramsFor (method: RpcMethodInfo): fc.Arbitrary<Json | undefined> {
    const names = method.params.map(p => p.name)
    const values = method.params.map(p => fc.option(fromSchema(p.schema as Schema, p.name, pools), { nil: undefined, freq: p.optional === true ? 3 : 12 }))
    return fc.oneof(
      { arbitrary: fc.tuple(...values).map(v => new JsonObject(names.flatMap((n, i) => v[i] === undefined ? [] : [[n, v[i] as Json] as const]))), weight: 4 },
      { arbitrary: fc.tuple(...values).map(v => v.map(x => x ?? null) as Json[]), weight: 4 },
      { arbitrary: hostileValue(names), weight: 1 },
    )
  }

  /**
   * An export writes where it is told and this test runs as whoever runs it (root, in CI): an
   * absolute path outside the pools is moved under the test's folder.
   */
  function confine (params: Json | undefined): Json | undefined {
    const allowed = new Set(pools.path as string[])
    const safe = (value: Json): Json => typeof value === 'string' && path.isAbsolute(value) && !allowed.has(value) ? path.join(work, 'confined', value.replace(/\.\./g, '__')) : value
    if (Array.isArray(params)) return params.map(safe)
    if (params instanceof JsonObject) return new JsonObject(params.entries.map(([k, v]) => [k, safe(v)]))
    return params
  }

  it('enumerates the API, so a method added later is covered too', () => {
    expect(methods.length).toBeGreaterThan(60)
    expect(methods.map(m => m.name)).toEqual(expect.arrayContaining(['deploy_meta_contract', 'import_car', 'import_folder', 'export_car', 'ipfs_get', 'keys_import', 'validate_metadata']))
  })

  it('refuses every malformed or hostile module with a named error in plain words', async () => {
    const answers: Record<string, unknown> = {}
    for (const [what, wasm] of Object.entries(hostileModules)) {
      const { error } = await rpc('deploy_meta_contract', ['hostile-wasm', wasm])
      answers[what] = error
      expect(leaksIn(JSON.stringify(error), { dataDir }), what).toEqual([])
    }
    expect(answers['unknown import']).toEqual({ code: RPC_ERROR_CODES.ContractModuleError, data: { name: 'ContractModuleError' }, message: expect.stringMatching(/^Meta contract hostile-wasm cannot be loaded: it imports host\.no_such_host_function, which the sandbox does not provide/) })
    expect(answers['4 GiB of memory']).toMatchObject({ code: RPC_ERROR_CODES.ContractModuleError, message: expect.stringContaining('asks for 4096 MiB of memory at start') })
    for (const what of ['garbage', 'bare header', 'truncated', 'cut at the end', 'flipped bytes']) expect(answers[what], what).toMatchObject({ code: RPC_ERROR_CODES.NotAContractError })
    expect((await rpc('get_meta_contract_by_id', ['hostile-wasm'])).result).toBeNull()
  })

  it('no error of any method, called with hostile params, shows a frame, a private path or a library name', { timeout: 240_000 }, async () => {
    const failures: string[] = []
    for (const method of methods) {
      await fc.assert(fc.asyncProperty(paramsFor(method), async raw => {
        const params = confine(raw)
        const body = jsonText(obj({ jsonrpc: '2.0', id: 3, method: method.name, ...(params === undefined ? {} : { params }) }))
        const response = await fetch(`${running.base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })
        const text = await response.text()
        const leaks = leaksOf(JSON.parse(text), JSON.parse(body))
        if (leaks.length > 0) failures.push(`${method.name} ${body.slice(0, 200)}\n  → ${leaks.join('\n  → ')}`)
      }), { seed: SEED, numRuns: RUNS_PER_METHOD })
      await running.node.lineage.settled()
    }
    expect(failures).toEqual([])
  })

  it('batches over /api/v0/json-rpc and the WebSocket, and every notification heard meanwhile, show none either', { timeout: 120_000 }, async () => {
    const socket = new WebSocket(`${running.base.replace('http', 'ws')}/rpc/ws`, ['lineage.jsonrpc', `lineage.token.${token}`], { headers: { origin: running.base } })
    const heard: unknown[] = []
    const answers = new Map<number, unknown>()
    socket.on('message', data => {
      const message = JSON.parse(String(data)) as { id?: number, method?: string }
      if (message.method !== undefined) heard.push(message)
      else for (const item of Array.isArray(message) ? message as Array<{ id: number }> : [message as { id: number }]) answers.set(item.id, item)
    })
    await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject) })

    const failures: string[] = []
    const batch = fc.array(fc.tuple(fc.constantFrom(...methods), fc.nat()), { minLength: 1, maxLength: 8 })
    let id = 100
    await fc.assert(fc.asyncProperty(batch.chain(picks => fc.tuple(...picks.map(([m]) => paramsFor(m))).map(params => picks.map(([m], i) => ({ method: m.name, params: confine(params[i]) })))), async calls => {
      const items = calls.map(call => obj({ jsonrpc: '2.0', id: ++id, method: call.method, ...(call.params === undefined ? {} : { params: call.params }) }))
      const body = jsonText(items)
      const response = await fetch(`${running.base}/api/v0/json-rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })
      const overHttp = leaksOf(JSON.parse(await response.text()), JSON.parse(body))
      // The same batch over the socket: answered once every id is back.
      const ids = items.map(() => ++id)
      const wsBody = jsonText(items.map((item, i) => new JsonObject(item.entries.map(([k, v]) => [k, k === 'id' ? ids[i] as Json : v]))))
      socket.send(wsBody)
      await waitFor('every answer of the batch over the socket', () => ids.every(i => answers.has(i)), { intervalMs: 5, detail: () => `${answers.size} answers held` })
      const overWs = leaksOf(ids.map(i => answers.get(i)), JSON.parse(wsBody))
      for (const leak of [...overHttp, ...overWs]) failures.push(`${calls.map(c => c.method).join(',')}: ${leak}`)
    }), { seed: SEED, numRuns: 25 })
    // Jobs that fail, so the socket hears failures and their statuses hold reasons: CAR files that are not CARs, an export nowhere.
    const jobs: string[] = []
    for (const file of ['garbage.car', 'truncated.car']) {
      const started = await rpc('import_car', [path.join(work, file)])
      jobs.push((started.result as { job: string }).job)
    }
    await rpc('export_car', [path.join(work, 'missing', 'x.car')])
    const ended = (job: string): boolean => heard.some(n => /^lineage:import:(?:done|failed)$/.test(String((n as { method: string }).method)) && (n as { params: { job: string } }).params.job === job)
    await waitFor('the failing imports to end', () => jobs.every(ended), { intervalMs: 10 })
    for (const job of jobs) {
      const status = await rpc('import_status', [job])
      expect(errorTexts(status).length, JSON.stringify(status).slice(0, 300)).toBeGreaterThan(0)
      for (const text of errorTexts(status)) failures.push(...leaksIn(text, { echoed: [work], dataDir }).map(l => `import_status: ${l}`))
    }
    await running.node.lineage.settled()
    socket.close()
    const echoed = pools.path?.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p)) ?? []
    for (const notification of heard) for (const text of errorTexts(notification)) failures.push(...leaksIn(text, { echoed, dataDir }).map(l => `notification: ${l}`))
    expect(failures).toEqual([])
  })

  it('no gateway, UI or unknown route shows one in a refusal', { timeout: 60_000 }, async () => {
    const head = String(pools.cid?.[0])
    const segment = fc.oneof(hostileString, fc.constantFrom(head, 'bafy', 'QmNotACid', '0x5180db8f5c931aae63c74266b211f580155ecac8', '7', '..', '%2e%2e', '%zz', '/etc/passwd', 'node_modules', `${head}%00`))
    const route = fc.tuple(fc.constantFrom('/metadata/1/', '/ta/1/', '/tk/', '/ipfs/', `/ipfs/${head}/`, '/app/', '/rpc/', '/nowhere/'), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '?format=raw', '?format=car', '?format=dag-json', '?format=car&format=raw'))
    const failures: string[] = []
    await fc.assert(fc.asyncProperty(route, async ([prefix, segments, query]) => {
      const target = `${running.base}${prefix}${segments.map(s => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?')).replace(/%25/g, '%')).join('/')}${query}`
      let response: Response
      try {
        response = await fetch(target)
      } catch {
        return // A URL fetch itself refuses to send.
      }
      const text = await response.text()
      if (response.status < 400) return
      const echoed = [...segments, ...segments.map(s => `${prefix}${s}`), new URL(target).pathname, decodeURIComponentSafe(new URL(target).pathname)]
      for (const leak of leaksIn(text, { echoed, dataDir })) failures.push(`${response.status} ${target.slice(0, 160)}: ${leak}`)
    }), { seed: SEED, numRuns: 200 })
    expect(failures).toEqual([])
  })
})
