import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INTERNAL_ERROR_MESSAGE, RPC_ERROR_CODES, RpcError, toRpcError } from '../../src-main/api/errors.js'
import { namedPaths, publicText, SEE_LOG } from '../../src-main/api/public-text.js'
import { leaksIn } from '../helpers/leaks.js'
import { repoRoot } from '../helpers/processes.js'

const SEED = 0x5ec7

/** What marine-js said, word for word, when a contract imported a function the sandbox lacks. */
const MARINE_LINK_ERROR = `engine error: Wasm backend error: failed to instantiate: JsValue(LinkError: WebAssembly.Instance(): Import #0 module="host" function="no_such_host_function": function import requires a callable
LinkError: WebAssembly.Instance(): Import #0 module="host" function="no_such_host_function": function import requires a callable
    at file://${repoRoot}/node_modules/@fluencelabs/marine-js/dist/marine_js.js:637:29
    at handleError (file://${repoRoot}/node_modules/@fluencelabs/marine-js/dist/marine_js.js:244:22)
    at wasm://wasm/002c184a:wasm-function[72]:0x14edb
    at async handle (file://${repoRoot}/src-main/marine/sandbox-worker.ts:64:7))`

/** A stack as V8 writes it under an error's message. */
const stackOf = (message: string): string => `${message}\n    at Object.run (${repoRoot}/dist/src-main/lineage/x.js:10:5)\n    at new Y (<anonymous>)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`

describe('error text made public', () => {
  it('keeps the sentence and cuts the stack, the library paths and the engine\'s vocabulary', () => {
    const text = publicText(`Meta contract x cannot be loaded: ${MARINE_LINK_ERROR}`)
    expect(text).toBe(`Meta contract x cannot be loaded (${SEE_LOG})`)
    expect(leaksIn(text)).toEqual([])
  })

  it('hides paths on this machine as …/<name>, but repeats a path the request named and what lies under it', () => {
    const home = path.join(os.homedir(), '.lineage', 'keys', 'a.json')
    expect(publicText(`The key file ${home} is damaged`)).toBe('The key file …/a.json is damaged')
    expect(publicText(`ENOENT: no such file or directory, open '${os.tmpdir()}/x/items/1.json'`)).toBe("ENOENT: no such file or directory, open '…/1.json'")
    const named = `${os.tmpdir()}/lineage-import/items`
    expect(publicText(`${named}/7.json is not JSON`, [named])).toBe(`${named}/7.json is not JSON`)
    expect(publicText(`${named}-other/7.json is not JSON`, [named])).toBe('…/7.json is not JSON')
    expect(publicText(`Cannot import ${named}: not a regular file`, [named])).toBe(`Cannot import ${named}: not a regular file`)
    expect(publicText(`${named}/a.car is on ${os.tmpdir()}, a full disk`, [`${named}/a.car`])).toBe(`${named}/a.car is on ${os.tmpdir()}, a full disk`)
    expect(publicText('cannot open C:\\Users\\ann\\AppData\\lineage\\lineage.sqlite')).toBe('cannot open …/lineage.sqlite')
  })

  it('leaves the node\'s own URL paths and multiaddrs alone', () => {
    for (const text of [
      'Nothing is served at "/x". The node serves /metadata/…, /ta/…, /tk/…, /ipfs/…, /ipns/…, POST /rpc and the UI at /app/.',
      'The peer /ip4/127.0.0.1/tcp/9/p2p/12D3KooWabc cannot be reached',
      'The UI has no file at "/app/x.js".',
      'section 10 at byte 448 runs past the end of the binary',
    ]) expect(publicText(text)).toBe(text)
  })

  it('never lets a frame, a private path or a runtime class through, whatever the message around them', () => {
    const fragment = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(MARINE_LINK_ERROR, `${repoRoot}/node_modules/x/index.js`, `file://${repoRoot}/a.js:1:2`, `${os.tmpdir()}/lineage-x/lineage.sqlite`, 'TypeError: Cannot read properties of undefined', 'SqliteError: SQLITE_BUSY', '\n    at f (/x.js:1:2)', 'FST_ERR_CTP_EMPTY_JSON_BODY'),
    )
    fc.assert(fc.property(fc.array(fragment, { maxLength: 6 }), parts => {
      const text = publicText(stackOf(parts.join(' ')))
      expect(leaksIn(text), text).toEqual([])
      expect(text.length).toBeGreaterThan(0)
    }), { seed: SEED, numRuns: 500 })
  })

  it('finds the absolute paths a request named, at any depth, and nothing else', () => {
    expect(namedPaths([`${os.tmpdir()}/a.car`, { path: '/home/ann/x', n: 1, list: ['relative', 'C:\\data'] }, '/'])).toEqual([`${os.tmpdir()}/a.car`, '/home/ann/x', 'C:\\data'])
  })
})

describe('toRpcError, the one place an error becomes what a client reads', () => {
  it('answers an error the node has no name for as an internal error, whatever its message', () => {
    for (const err of [new TypeError('Cannot read properties of undefined (reading \'x\')'), Object.assign(new Error(`EACCES: permission denied, open '${repoRoot}/x'`), { code: 'EACCES' }), 'a string', undefined, { name: 'constructor', message: 'x' }, { name: 'toString', message: 'x' }]) {
      const answer = toRpcError(err)
      expect(answer).toMatchObject({ code: RPC_ERROR_CODES.InternalError, message: INTERNAL_ERROR_MESSAGE })
      expect(answer.data).toBeUndefined()
    }
  })

  it('keeps a known error\'s words and code, made public', () => {
    const keyFile = Object.assign(new Error(`The key file ${os.homedir()}/.lineage/keys/k.json cannot be read: ${stackOf('EIO')}`), { name: 'KeyNotFoundError' })
    expect(toRpcError(keyFile)).toMatchObject({ code: RPC_ERROR_CODES.KeyNotFoundError, message: 'The key file …/k.json cannot be read: EIO', data: { name: 'KeyNotFoundError' } })
    const importPath = Object.assign(new Error(`path: ${os.tmpdir()}/mine/items does not exist`), { name: 'ImportPathError', field: 'path' })
    expect(toRpcError(importPath, [`${os.tmpdir()}/mine/items`])).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, message: `path: ${os.tmpdir()}/mine/items does not exist`, data: { name: 'ImportPathError', field: 'path' } })
    const invalid = new RpcError(RPC_ERROR_CODES.InvalidParams, `Invalid params: private_key: ${stackOf('bad key')}`, { field: 'private_key' })
    expect(toRpcError(invalid)).toMatchObject({ code: RPC_ERROR_CODES.InvalidParams, message: 'Invalid params: private_key: bad key', data: { field: 'private_key' } })
  })
})
