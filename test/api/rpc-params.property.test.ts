/**
 * Hostile params for every JSON-RPC method, over real HTTP on a real node (issue 14 §7).
 *
 * Properties, for every method the node registers (enumerated from the API, so a method added
 * later is fuzzed too), with params of every shape (named, positional, too many, missing, wrong
 * types, huge and invisible strings, odd numbers, deep nesting, `__proto__` keys), with and
 * without the API token:
 * - the answer is HTTP 200 with a JSON-RPC response carrying the request's id, and either a
 *   result or an error whose code is documented in docs/API.md, never -32603;
 * - an invalid-params error names the parameter in `data.field`, and its message mentions it;
 * - a method that needs the token answers -32004 without it;
 * - a refused call changes nothing: every SQLite table, the keystore and the files under the
 *   test's folder, peers and replication state are the same before and after.
 *
 * Params that name things on disk point into a temp folder, addresses and endpoints at closed
 * loopback ports, and a pinning service that a call manages to add is removed at once: valid
 * calls run for real, but cannot reach outside the test.
 */
import fs from 'node:fs'
import path from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { base58btc } from 'multiformats/bases/base58'
import { identity } from 'multiformats/hashes/identity'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { RpcMethodInfo } from '../../src-main/api/index.js'
import { createKeystore } from '../../src-main/lineage/keys/index.js'
import { registryMessage, REGISTRY_FIELDS } from '../../src-main/lineage/registry/index.js'
import { fieldLabel, UNSIGNED_FIELDS } from '../../src-main/lineage/signing/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { fromSchema, hostileValue, JsonObject, jsonText, obj, PROTOTYPE_KEYS, RawJson } from '../helpers/hostile-json.js'
import type { Json, Pools, Schema } from '../helpers/hostile-json.js'
import { testLog } from '../helpers/logger.js'
import { nodeState } from '../helpers/node-state.js'
import { documentedErrorCodes } from '../helpers/rpc-errors.js'
import { evmSigner, freshNonce } from '../helpers/signers.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

/** Fixed, so CI is reproducible; LINEAGE_FUZZ_SEED and LINEAGE_FUZZ_RUNS explore further by hand. */
const SEED = Number(process.env.LINEAGE_FUZZ_SEED ?? 1414)
/** Runs per method and per node: about 6,000 calls in all, each checked against a state snapshot. */
const RUNS_PER_METHOD = Number(process.env.LINEAGE_FUZZ_RUNS ?? 40)
const BINDER_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'
const COLLECTION = { chain_id: '137', token_address: '0x7d1afa7b718fb893db30a3abc0cfc608aacfebb0' }
const PASSPHRASE = 'fuzz passphrase'

interface Reply { jsonrpc?: unknown, id?: unknown, result?: unknown, error?: { code?: unknown, message?: unknown, data?: { field?: unknown } } }

/** A node with a bound collection, a token with a version, a pin, keys and a registry entry. */
interface Fixture {
  running: TestNode
  url: string
  token: string
  /** The folder every path param points into. */
  work: string
  pools: Pools
  cleanup(): void
}

async function startFixture (offline: boolean): Promise<Fixture> {
  const data = tempDir('lineage-fuzz-data-')
  const files = tempDir('lineage-fuzz-files-')
  // Keys made with a small scrypt N, so the many wrong-passphrase unlocks the fuzz tries stay cheap.
  const keystore = createKeystore({ log: testLog }, { dataDir: data.dir, scryptN: 1024 })
  const edKey = await keystore.create('fuzz-ed', 'ed25519', PASSPHRASE)
  await keystore.create('fuzz-evm', 'secp256k1', PASSPHRASE)
  const running = await startTestNode({ dataDir: data.dir, offline })
  const { node } = running
  const token = readApiToken(node.config.dataDir) ?? ''
  const url = `${running.base}/rpc`
  const call = async (method: string, params: unknown): Promise<Reply> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
    return await response.json() as Reply
  }
  const must = async <T>(method: string, params: unknown): Promise<T> => {
    const reply = await call(method, params)
    if (reply.error !== undefined) throw new Error(`${method}: ${JSON.stringify(reply.error)}`)
    return reply.result as T
  }

  const binder = evmSigner(BINDER_KEY)
  const fields = { ...COLLECTION, meta_contract_id: 'erc721', alias: '', version: 'v1', mcdata: '' }
  const binding = await binder.sign({ ...fields, method: 'contract', token_id: '', data: '{}' })
  const bound = await must<{ hash: string }>('publish', [binding])
  const write = await binder.sign({ ...fields, method: 'metadata', token_id: '7', data: '{"name":"Seven","image":"ipfs://x"}' })
  const written = await must<{ hash: string }>('publish', [write])
  await node.lineage.settled()
  const receipt = await must<{ heads: string[] }>('get_transaction_receipt', [written.hash])
  const head = receipt.heads[0] ?? ''
  await must('pin_add', [head])
  const tokenKey = await must<string>('generate_token_key', [COLLECTION.chain_id, COLLECTION.token_address])
  const dataKey = await must<string>('generate_data_key', [COLLECTION.chain_id, COLLECTION.token_address, '7'])
  const registryWrite = { registry_id: 'fuzz.entry', registry_name: 'Fuzz', meta_contract_id: 'erc721', public_key: binder.publicKey, nonce: freshNonce() }
  const signedRegistryWrite = { ...registryWrite, signature: await new Wallet(BINDER_KEY).signMessage(registryMessage(registryWrite)) }
  await must('registry_set', [signedRegistryWrite])
  if (!offline) await must('follow_add', [COLLECTION.chain_id, COLLECTION.token_address])
  await node.lineage.settled()
  await node.api.gatewaySettled()

  // Things on disk for path params: a folder of items, a CSV, a file that is not a CAR, a file in the way.
  const work = path.join(files.dir, 'work')
  fs.mkdirSync(path.join(work, 'items'), { recursive: true })
  fs.writeFileSync(path.join(work, 'items', '1.json'), '{"name":"One"}')
  fs.writeFileSync(path.join(work, 'items.csv'), 'token_id,name\n1,One\n')
  fs.writeFileSync(path.join(work, 'garbage.car'), 'not a car')
  fs.writeFileSync(path.join(work, 'file.json'), '{}')

  // CIDs of the head's digest that this node does not hold, and an identity CID: offline only, since
  // the online node would wait for peers to send them.
  const headCid = CID.parse(head)
  const missing = offline
    ? [CID.createV1(0x55, headCid.multihash).toString(), CID.createV0(headCid.multihash as Parameters<typeof CID.createV0>[0]).toString(), CID.createV1(0x71, identity.digest(new TextEncoder().encode('{}'))).toString(), headCid.toString(base58btc), head.toUpperCase()]
    : []
  const openModule = fs.readFileSync(path.join(node.config.servicesDir, 'open.wasm'))
  const strangerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const ownId = node.peerId ?? ''
  const ownAddress = node.status().listenAddresses[0] ?? ''
  const checksummed = binder.publicKey
  const pools: Pools = {
    hash: [bound.hash, written.hash, '0'.repeat(64)],
    data_key: [dataKey, tokenKey],
    token_key: [tokenKey, dataKey],
    meta_contract_id: ['erc721', 'open', 'collab', 'nope'],
    public_key: [checksummed.toLowerCase(), checksummed, edKey.publicKey],
    alias: ['', 'attributes'],
    version: ['v1', ''],
    chain_id: [COLLECTION.chain_id, '1'],
    token_address: [COLLECTION.token_address, COLLECTION.token_address.toUpperCase().replace('0X', '0x')],
    token_id: ['7', '0', ((1n << 256n) - 1n).toString()],
    // Only CIDs this node holds: a missing one would wait for peers (20 s a block) on the online node.
    cid: [head, ...missing],
    base: [head, ...missing],
    cursor: [head, '7', ...missing],
    registry_id: ['fuzz.entry', 'nope'],
    key: ['fuzz-ed', 'fuzz-evm', 'missing'],
    name: ['fuzz-ed', 'fuzz-evm', 'new-key', 'svc'],
    type: ['ed25519', 'secp256k1'],
    passphrase: [PASSPHRASE, 'wrong passphrase'],
    job: ['nope'],
    peer: [ownId, ownAddress].filter(p => p !== ''),
    peer_id: [ownId, strangerId].filter(p => p !== ''),
    address: [`/ip4/127.0.0.1/tcp/9/p2p/${strangerId}`, ownAddress].filter(p => p !== ''),
    endpoint: ['http://127.0.0.1:9/psa'],
    // check_token_uri fetches: only closed loopback ports and this node's own gateway.
    uri: ['http://127.0.0.1:9/metadata/1/x/7', `ipfs://${head}/7`, 'ftp://127.0.0.1/x'],
    ipfs_gateway: ['http://127.0.0.1:9'],
    service: ['svc'],
    id: ['erc721', 'fuzz-contract'],
    path: [
      work, path.join(work, 'items'), `${path.join(work, 'items')}/`, path.join(work, 'items.csv'), path.join(work, 'garbage.car'),
      path.join(work, 'new.car'), path.join(work, 'file.json', 'x.car'), path.join(work, 'a'.repeat(300)), path.join(work, 'missing', 'x.car'),
      `${work}/../escaped.car`, `${work}/./dot.car`, `${work}/x\u0000y.car`, 'relative.car', '',
    ],
    request: [signedRegistryWrite, { ...signedRegistryWrite, registry_name: 'Changed' }, { ...registryWrite, registry_id: 'fuzz.other', signature: signedRegistryWrite.signature }, binding, write, { ...write, nonce: freshNonce() }, { ...write, signature: '' }, { ...fields, method: 'metadata', token_id: '8', data: '{"name":"Eight"}' }, new JsonObject([...Object.entries(write), ['__proto__', obj({ method: 'contract' })]])] as unknown as Json[],
    candidate: [obj({ ...COLLECTION, token_id: '7', data: '{"name":"Seven"}' }), obj({ ...COLLECTION, token_id: '8', data: '{', public_key: checksummed })],
    wasm: [openModule.toString('base64'), openModule.subarray(0, 4096).toString('base64'), Buffer.from('\0asm\x01\0\0\0').toString('base64')],
    private_key: [`0x${'11'.repeat(32)}`, '11'.repeat(32), '{"version":3}'],
    token: [obj({ data_key: dataKey }), obj({ ...COLLECTION, token_id: '7' }), obj({ ...COLLECTION })],
    collection: [obj({ token_key: tokenKey }), obj(COLLECTION)],
  }
  return {
    running,
    url,
    token,
    work,
    pools,
    cleanup () { files.cleanup(); data.cleanup() },
  }
}

/** Any shape of params for a method: named, positional, with extras, or not an object at all. */
function paramsFor (method: RpcMethodInfo, pools: Pools): fc.Arbitrary<Json | undefined> {
  const names = method.params.map(p => p.name)
  const values = method.params.map(p => fc.option(fromSchema(p.schema as Schema, p.name, pools), { nil: undefined, freq: p.optional === true ? 2 : 12 }))
  const extras = fc.oneof(
    { arbitrary: fc.constant([] as Array<[string, Json]>), weight: 6 },
    { arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 8 })), hostileValue(names)), { minLength: 1, maxLength: 2 }), weight: 1 },
  )
  const named = fc.tuple(fc.tuple(...values), extras).map(([v, extra]) => new JsonObject([
    ...names.flatMap((n, i) => v[i] === undefined ? [] : [[n, v[i] as Json] as const]),
    ...extra,
  ]))
  const positional = fc.tuple(fc.tuple(...values), fc.array(hostileValue(), { maxLength: 2 }), fc.nat({ max: 3 })).map(([v, extra, cut]) => {
    // Positional params stop at the first one left out; sometimes a few more are cut, or added.
    const present = v.findIndex(x => x === undefined)
    const list = (present === -1 ? v : v.slice(0, present)) as Json[]
    return cut === 0 ? [...list, ...extra] : list.slice(0, Math.max(0, list.length - cut + 1))
  })
  return fc.oneof(
    { arbitrary: named, weight: 5 },
    { arbitrary: positional, weight: 5 },
    { arbitrary: hostileValue(names), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  )
}

/**
 * A `path` param that is absolute and leads outside the test's files is moved under its work
 * folder (`..` renamed): the node runs as whoever runs the tests, and export_car writes files.
 */
function confine (params: Json | undefined, method: RpcMethodInfo, work: string): Json | undefined {
  const at = method.params.findIndex(p => p.name === 'path')
  if (at === -1) return params
  const root = path.dirname(work) + path.sep
  const safe = (value: Json): Json => typeof value === 'string' && path.isAbsolute(value) && !path.resolve(value).startsWith(root)
    ? path.join(work, value.replace(/\.\./g, '__'))
    : value
  if (Array.isArray(params)) return params.map((v, i) => i === at ? safe(v) : v)
  if (params instanceof JsonObject) return new JsonObject(params.entries.map(([k, v]) => [k, k === 'path' ? safe(v) : v]))
  return params
}

/** The fields of a signed transaction and of a registry write, which the engine names in its errors. */
const SIGNED_FIELDS = [...UNSIGNED_FIELDS, 'signature', ...REGISTRY_FIELDS]

/** Names an invalid-params error may give (besides a key the call sent): a parameter, a field declared in its schema, or a signed field. */
function fieldNames (method: RpcMethodInfo): Set<string> {
  const names = new Set<string>(SIGNED_FIELDS)
  const fromSchema = (schema: Schema): void => {
    for (const [key, inner] of Object.entries(schema.properties ?? {})) { names.add(key); fromSchema(inner) }
    if (schema.items !== undefined) fromSchema(schema.items)
    for (const inner of schema.anyOf ?? []) fromSchema(inner)
  }
  for (const p of method.params) { names.add(p.name); fromSchema(p.schema as Schema) }
  return names
}

const credentials = fc.constantFrom('token', 'none', 'wrong', 'malformed')

for (const offline of [true, false]) {
  describe(`every JSON-RPC method under hostile params (${offline ? 'offline' : 'online'} node)`, () => {
    let fixture: Fixture
    let methods: readonly RpcMethodInfo[]
    const documented = documentedErrorCodes()
    beforeAll(async () => {
      fixture = await startFixture(offline)
      methods = fixture.running.node.api.methods
    })
    afterAll(async () => {
      await fixture.running.stop()
      fixture.cleanup()
    })

    /** Waits until nothing a successful call started is still changing the node. */
    async function settle (): Promise<void> {
      const { node } = fixture.running
      await node.lineage.settled()
      await node.api.gatewaySettled()
      const running = node.store.db.prepare("SELECT count(*) FROM jobs WHERE state = 'running'").pluck()
      await waitFor('the jobs a call started to end', () => running.get() === 0, { intervalMs: 10, detail: () => JSON.stringify(node.store.db.prepare("SELECT kind, state FROM jobs WHERE state = 'running'").all()) })
    }

    async function post (body: string, auth: string): Promise<{ status: number, text: string }> {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (auth === 'token') headers.authorization = `Bearer ${fixture.token}`
      if (auth === 'wrong') headers.authorization = `Bearer ${'f'.repeat(64)}`
      if (auth === 'malformed') headers.authorization = `Bearer  ${fixture.token}x`
      const response = await fetch(fixture.url, { method: 'POST', headers, body })
      return { status: response.status, text: await response.text() }
    }

    it('enumerates the API (a method added later is fuzzed too)', () => {
      expect(methods.length).toBeGreaterThan(60)
      expect(methods.map(m => m.name)).toEqual(expect.arrayContaining(['publish', 'publish_batch', 'registry_set', 'export_car', 'import_folder', 'sign_and_publish', 'remote_pin_service_add', 'peer_connect']))
    })

    it('answers every call with a result or a documented error, names the field, and changes nothing when it refuses', { timeout: 900_000 }, async () => {
      const failures: string[] = []
      const folders = [path.dirname(fixture.work)]
      for (const method of methods) {
        const property = fc.asyncProperty(paramsFor(method, fixture.pools), credentials, async (rawParams, auth) => {
          const params = confine(rawParams, method, fixture.work)
          await settle()
          const before = await nodeState(fixture.running.node, folders)
          const body = jsonText(obj({ jsonrpc: '2.0', id: 7, method: method.name, ...(params === undefined ? {} : { params }) }))
          const { status, text } = await post(body, auth)
          expect(status, text.slice(0, 300)).toBe(200)
          const reply = JSON.parse(text) as Reply
          expect(reply.jsonrpc).toBe('2.0')
          expect(reply.id).toBe(7)
          expect(Object.hasOwn(reply, 'result') !== Object.hasOwn(reply, 'error'), text.slice(0, 300)).toBe(true)
          if (reply.error === undefined) {
            // A write that went through: let its effects land, and undo what would reach outside.
            expect(method.requiresToken !== true || auth === 'token').toBe(true)
            if (method.name === 'remote_pin_service_add') await post(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'remote_pin_service_rm', params: [(reply.result as { name: string }).name] }), 'token')
            return
          }
          const { code, message, data } = reply.error
          expect(code, text.slice(0, 300)).not.toBe(RPC_ERROR_CODES.InternalError)
          expect(documented.has(code as number), `undocumented code ${String(code)}: ${text.slice(0, 300)}`).toBe(true)
          expect(typeof message === 'string' && message.length > 0).toBe(true)
          // JSON-RPC's own rule comes first: params that are neither an array nor an object make an invalid request.
          const shapeless = params !== undefined && !Array.isArray(params) && !(params instanceof JsonObject) && !(params instanceof RawJson && /^[[{]/.test(params.text))
          if (shapeless) expect(code).toBe(RPC_ERROR_CODES.InvalidRequest)
          else if (method.requiresToken === true && auth !== 'token') expect(code).toBe(RPC_ERROR_CODES.Unauthorized)
          if (code === RPC_ERROR_CODES.InvalidParams && !/takes at most \d+ parameter/.test(message as string)) {
            const field = data?.field
            expect(typeof field, `no data.field: ${text.slice(0, 300)}`).toBe('string')
            expect(fieldNames(method).has(field as string) || body.includes(JSON.stringify(field)), `data.field ${JSON.stringify(field)} is not a field of ${method.name}: ${text.slice(0, 300)}`).toBe(true)
            // As is, or quoted (escaped, cut to 80 characters) when it is empty or odd.
            const quoted = fieldLabel(field as string)
            expect((field !== '' && (message as string).includes(field as string)) || (message as string).includes(quoted.slice(0, -1)), `the message names the field: ${message as string}`).toBe(true)
          }
          await settle()
          expect(await nodeState(fixture.running.node, folders), `${method.name} refused (${String(code)}) but changed the node`).toEqual(before)
        })
        try {
          await fc.assert(property, { seed: SEED, numRuns: RUNS_PER_METHOD, endOnFailure: true })
        } catch (err) {
          const counterexample = /Counterexample: (.*)/.exec((err as Error).message)?.[1] ?? ''
          failures.push(`${method.name}: ${String((err as Error).cause).slice(0, 600)}\n  counterexample: ${counterexample.slice(0, 400)}`)
        }
      }
      expect(failures).toEqual([])
    })

    // Cases the property found, kept as plain regressions.
    async function refusedWith (method: string, params: unknown): Promise<{ code: unknown, field: unknown, message: string }> {
      const { status, text } = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), 'token')
      expect(status).toBe(200)
      const { error } = JSON.parse(text) as Reply
      return { code: error?.code, field: error?.data?.field, message: String(error?.message) }
    }

    it('names `service`, not `name`, when a remote pin call gives a malformed service name', async () => {
      const cid = fixture.pools.cid?.[0]
      for (const [method, params] of [['remote_pin_rm', [cid, '../x']], ['remote_pin_add', [cid, '../x', 'a pin']], ['remote_pin_ls', [{ service: '../x' }]]] as const) {
        expect(await refusedWith(method, params), method).toEqual({ code: RPC_ERROR_CODES.InvalidParams, field: 'service', message: expect.stringMatching(/^Invalid params: service must be 1–64 characters/) })
      }
    })

    it('answers an impossible key name as invalid params naming the parameter that holds it, changing nothing', async () => {
      const before = await nodeState(fixture.running.node, [path.dirname(fixture.work)])
      expect(await refusedWith('sign_and_publish', ['Not A Key!', PASSPHRASE, {}])).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, field: 'key', message: expect.stringContaining('is not a valid key name') })
      const options = { ...COLLECTION, meta_contract_id: 'erc721', key: 'q(BBM5A5', passphrase: PASSPHRASE }
      expect(await refusedWith('import_folder', [path.join(fixture.work, 'items'), options])).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, field: 'options', message: expect.stringContaining('options.key') })
      expect(await nodeState(fixture.running.node, [path.dirname(fixture.work)])).toEqual(before)
    })

    it('answers a peer address it cannot dial (closed port, this node itself) with -32081, not an internal error', async () => {
      const expected = offline ? RPC_ERROR_CODES.FluenceNotStartedError : RPC_ERROR_CODES.RemoteCallError
      for (const address of fixture.pools.address ?? []) {
        for (const method of ['fluence_connect', 'peer_node_info']) expect((await refusedWith(method, [address])).code, `${method} ${String(address)}`).toBe(expected)
      }
    })

    it('leads a key method\'s refusal with the parameter it names', async () => {
      expect(await refusedWith('keys_import', ['imported', 'ed25519', 'not a key', PASSPHRASE])).toEqual({ code: RPC_ERROR_CODES.InvalidParams, field: 'private_key', message: expect.stringMatching(/^Invalid params: private_key: Cannot import the key: /) })
      expect(await refusedWith('keys_new', ['Bad Name!', 'ed25519', PASSPHRASE])).toEqual({ code: RPC_ERROR_CODES.InvalidParams, field: 'name', message: expect.stringMatching(/^Invalid params: name: "Bad Name!" is not a valid key name/) })
    })

    it('quotes an unknown key of a signed request that is empty or invisible, so the refusal still names it', async () => {
      expect(await refusedWith('publish', [{ '': 1 }])).toEqual({ code: RPC_ERROR_CODES.InvalidParams, field: '', message: 'Invalid transaction: "" is not a transaction field (unknown fields are refused so that a misspelt field is not silently ignored).' })
      expect(await refusedWith('registry_set', [{ '\u200b\n': 1 }])).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, field: '\u200b\n', message: 'Invalid registry write: "\\u200b\\n" is not a registry write field (unknown fields are refused so that a misspelt field is not silently ignored).' })
    })

    it('refuses an export path the file system cannot take as invalid params naming `path`, leaving no file', async () => {
      const before = await nodeState(fixture.running.node, [path.dirname(fixture.work)])
      expect(await refusedWith('export_car', [path.join(fixture.work, 'a'.repeat(300))])).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, field: 'path', message: expect.stringContaining('too long') })
      expect(await refusedWith('export_car', [path.join(fixture.work, 'file.json', 'x.car')])).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, field: 'path', message: expect.stringContaining('is not a folder') })
      expect(await nodeState(fixture.running.node, [path.dirname(fixture.work)])).toEqual(before)
    })
  })
}
