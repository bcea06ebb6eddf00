import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { createDispatcher } from '../../src-main/api/rpc/index.js'
import type { Dispatcher } from '../../src-main/api/rpc/index.js'
import { pinMethods } from '../../src-main/api/rpc/pin-methods.js'
import { testLog } from '../helpers/logger.js'
import { bytesOf, openPins, put, rawBlock, storedCids, versionChain } from '../lineage/pins/helpers.js'
import type { PinsFixture } from '../lineage/pins/helpers.js'

const ctx = { transport: 'http' as const, authenticated: true }

describe('pin_add, pin_rm, pin_ls, gc through the real dispatcher and real pins', () => {
  let f: PinsFixture
  let dispatcher: Dispatcher
  let id = 0
  beforeEach(() => {
    f = openPins()
    dispatcher = createDispatcher([...pinMethods({ pins: f.pins })], testLog)
  })
  afterEach(() => { f.close() })

  /** One request as JSON text, as HTTP and WebSocket deliver it. */
  async function call (method: string, params?: unknown, context = ctx): Promise<{ result?: unknown, error?: { code: number, message: string, data?: Record<string, unknown> } }> {
    const response = await dispatcher.respondText(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, ...(params === undefined ? {} : { params }) }), context)
    return JSON.parse(response ?? 'null') as { result?: unknown, error?: { code: number, message: string } }
  }

  it('pins, lists, unpins and collects, with positional and named params', async () => {
    const chain = versionChain('rpc', 3)
    const orphan = await rawBlock('orphan')
    put(f.blockstore, ...chain, orphan)
    const head = chain[2]!.cid.toString()

    const added = await call('pin_add', [head])
    expect(added.result).toEqual({ cid: head, recursive: true, name: '', created_at: expect.any(Number), blocks: 3, bytes: bytesOf(chain) })
    expect((await call('pin_add', { cid: chain[0]!.cid.toString(), recursive: false, name: 'first version' })).result).toMatchObject({ recursive: false, name: 'first version', blocks: 1 })
    expect((await call('pin_ls')).result).toHaveLength(2)
    expect((await call('pin_ls', [head])).result).toEqual([added.result])

    expect((await call('gc', [true])).result).toEqual({ freed: [orphan.cid.toString()], bytes: orphan.bytes.byteLength })
    expect(storedCids(f.store).has(orphan.cid.toString())).toBe(true)
    expect((await call('gc', { dry_run: false })).result).toEqual({ freed: [orphan.cid.toString()], bytes: orphan.bytes.byteLength })
    expect(storedCids(f.store).has(orphan.cid.toString())).toBe(false)

    expect((await call('pin_rm', [head])).result).toEqual({ cid: head, recursive: true, name: '', created_at: expect.any(Number) })
    expect((await call('pin_ls', { cid: head })).result).toEqual([])
    expect((await call('gc')).result).toEqual({ freed: [chain[1]!.cid.toString(), head], bytes: chain[1]!.bytes.byteLength + chain[2]!.bytes.byteLength })
  })

  it('answers invalid params naming the field, and changes nothing', async () => {
    expect(await call('pin_add', ['not-a-cid'])).toMatchObject({ error: { code: -32602, message: expect.stringContaining('cid is not a valid CID ("not-a-cid"'), data: { field: 'cid' } } })
    expect(await call('pin_rm', { cid: 'bafyWRONG' })).toMatchObject({ error: { code: -32602, data: { field: 'cid' } } })
    expect(await call('pin_ls', ['Qm'])).toMatchObject({ error: { code: -32602, data: { field: 'cid' } } })
    expect(await call('pin_add', [''])).toMatchObject({ error: { code: -32602, data: { field: 'cid' } } })
    expect(await call('pin_add', ['bafkqaaa', 'yes'])).toMatchObject({ error: { code: -32602, message: 'Invalid params: recursive must be boolean', data: { field: 'recursive' } } })
    expect(await call('pin_add', ['bafkqaaa', true, 'a\nb'])).toMatchObject({ error: { code: -32602, data: { field: 'name' } } })
    expect(await call('gc', ['now'])).toMatchObject({ error: { code: -32602, data: { field: 'dry_run' } } })
    expect(await call('pin_ls')).toEqual({ jsonrpc: '2.0', id, result: [] })
  })

  it('needs the API token to pin, unpin, collect and list', async () => {
    const block = await rawBlock('guarded')
    put(f.blockstore, block)
    const stranger = { transport: 'http' as const, authenticated: false }
    for (const [method, params] of [['pin_add', [block.cid.toString()]], ['pin_rm', [block.cid.toString()]], ['gc', [false]], ['pin_ls', []]] as const) {
      expect(await call(method, params, stranger)).toMatchObject({ error: { code: RPC_ERROR_CODES.Unauthorized } })
    }
    expect(storedCids(f.store).has(block.cid.toString())).toBe(true)
    expect((await call('pin_ls', [])).result).toEqual([])
  })

  it('maps missing blocks and missing pins to their own codes', async () => {
    const absent = (await rawBlock('absent')).cid.toString()
    expect(await call('pin_add', [absent])).toMatchObject({ error: { code: RPC_ERROR_CODES.BlockMissingError, message: expect.stringContaining('not in this node\'s blockstore'), data: { name: 'BlockMissingError' } } })
    expect(await call('pin_rm', [absent])).toMatchObject({ error: { code: RPC_ERROR_CODES.NotPinnedError, message: `${absent} is not pinned.`, data: { name: 'NotPinnedError' } } })
    expect((await call('pin_ls')).result).toEqual([])
  })
})
