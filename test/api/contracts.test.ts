import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import { createLineageNode, readApiToken } from '../../src-main/node/index.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testLogger } from '../helpers/logger.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { postRpc } from '../helpers/rpc.js'
import { builtService } from '../helpers/services.js'
import { evmSigner } from '../helpers/signers.js'
import { tempDir } from '../helpers/temp-dir.js'

const ADDRESS = '0x00000000000000000000000000000000000000ee'

describe('deploying meta contracts', () => {
  let dir: { dir: string, cleanup: () => void }
  let node: LineageNode
  const signer = evmSigner()
  const start = async (): Promise<LineageNode> => {
    const started = createLineageNode(testNodeConfig(dir.dir), { logger: testLogger })
    await started.start()
    return started
  }
  const call = async (method: string, params: unknown[] | Record<string, unknown>, withToken = true): Promise<{ result?: unknown, error?: { code: number, message: string, data?: { field?: string } } }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${readApiToken(dir.dir) ?? ''}` } : {}) }
    return (await postRpc(`${node.status().apiUrl ?? ''}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), headers)).json as never
  }
  const publish = async (fields: Record<string, string>): Promise<string> => {
    const request = await signer.sign({ method: 'metadata', chain_id: '1', token_address: ADDRESS, token_id: '1', meta_contract_id: 'fan-club', alias: '', version: 'v1', data: '{}', mcdata: '', ...fields } as never)
    const { hash } = node.lineage.publish(request)
    await node.lineage.settled()
    return node.lineage.receipt(hash)?.status ?? 'none'
  }

  beforeAll(async () => {
    dir = tempDir()
    node = await start()
  })
  afterAll(async () => {
    await node.stop()
    dir.cleanup()
  })

  it('deploys a module by CID, lists it, and governs a collection with it', async () => {
    const wasm = Buffer.from(builtService('open')).toString('base64')
    const deployed = await call('deploy_meta_contract', ['fan-club', wasm, 'Fan club'])
    expect(deployed.result).toMatchObject({ meta_contract_id: 'fan-club', cid: expect.stringMatching(/^bafkrei/), builtin: false, functions: ['on_execute', 'on_mint', 'on_clone'] })
    const services = (await call('list_services', [], false)).result as Array<{ service_id: string, kind: string }>
    expect(services.map(s => s.service_id)).toEqual(['keys', 'formatter', 'open', 'erc721', 'collab', 'holders', 'fan-club'])

    expect(await publish({ method: 'contract', token_id: '', data: '{}' })).toBe('applied')
    expect(await publish({ data: '{"name":"member"}' })).toBe('applied')
    const cid = (deployed.result as { cid: string }).cid
    const block = await fetch(`${node.status().apiUrl ?? ''}/ipfs/${cid}?format=raw`)
    expect(Buffer.from(await block.arrayBuffer()).toString('base64')).toBe(wasm)
  })

  it('refuses modules that are not contracts, taken ids and callers without the token, storing nothing', async () => {
    const count = (): number => (node.store.db.prepare('SELECT count(*) AS n FROM meta_contracts').get() as { n: number }).n
    const before = count()
    expect((await call('deploy_meta_contract', ['keys-copy', Buffer.from(builtService('keys')).toString('base64')])).error).toMatchObject({ code: RPC_ERROR_CODES.NotAContractError, message: expect.stringContaining('does not export on_execute, on_mint, on_clone') })
    expect((await call('deploy_meta_contract', ['junk', Buffer.from('not a wasm module at all').toString('base64')])).error).toMatchObject({ code: RPC_ERROR_CODES.NotAContractError })
    expect((await call('deploy_meta_contract', ['erc721', Buffer.from(builtService('open')).toString('base64')])).error).toMatchObject({ code: -32602, data: { field: 'id' }, message: expect.stringContaining('"erc721" is reserved: it is "erc721", a contract built into the node') })
    expect((await call('deploy_meta_contract', ['fan-club', Buffer.from(builtService('open')).toString('base64')])).error).toMatchObject({ code: -32602, data: { field: 'id' } })
    expect((await call('deploy_meta_contract', ['Bad Id!', Buffer.from(builtService('open')).toString('base64')])).error).toMatchObject({ code: -32602, data: { field: 'id' } })
    expect((await call('deploy_meta_contract', ['sneaky', Buffer.from(builtService('open')).toString('base64')], false)).error).toMatchObject({ code: RPC_ERROR_CODES.Unauthorized })
    expect((await call('deploy_meta_contract', ['b64', '!!!not base64!!!'])).error).toMatchObject({ code: -32602, data: { field: 'wasm' } })
    expect(count()).toBe(before)
  })

  it('refuses the ids of the node\'s own services and built-in contracts, in any case, spacing or width, storing nothing', async () => {
    const count = (): number => (node.store.db.prepare('SELECT count(*) AS n FROM meta_contracts').get() as { n: number }).n
    const before = count()
    const wasm = Buffer.from(builtService('open')).toString('base64')
    const cases: Array<[string, string]> = [
      ['keys', '"keys" is reserved: it is "keys", a name of a service the node itself runs'],
      ['formatter', '"formatter" is reserved: it is "formatter"'],
      // Services the Fluence peer hosts or js-client provides, which a deployed contract would shadow there.
      ['lineage', '"lineage" is reserved'],
      ['lineage-node', '"lineage-node" is reserved'],
      ['peer', '"peer" is reserved'],
      ['op', '"op" is reserved'],
      ['tracingsrv', '"tracingsrv" is reserved: it reads as "tracingSrv"'],
      ['Keys', '"Keys" is reserved: it reads as "keys"'],
      ['keys ', '"keys " is reserved: it reads as "keys"'],
      [' KEYS', '" KEYS" is reserved: it reads as "keys"'],
      ['\uff4b\uff45\uff59\uff53', '"\uff4b\uff45\uff59\uff53" is reserved: it reads as "keys"'],
      ['k\u200beys', '"k\\u{200b}eys" is reserved: it reads as "keys"'],
      ['\u202eOPEN', '"\\u{202e}OPEN" is reserved: it reads as "open", a contract built into the node'],
      ['Collab', '"Collab" is reserved: it reads as "collab"'],
    ]
    for (const [id, message] of cases) {
      const { error } = await call('deploy_meta_contract', [id, wasm])
      expect(error, id).toMatchObject({ code: -32602, data: { field: 'id' }, message: expect.stringContaining(message) })
    }
    expect(count()).toBe(before)
    const services = (await call('list_services', [], false)).result as Array<{ service_id: string }>
    expect(services.map(s => s.service_id)).toEqual(['keys', 'formatter', 'open', 'erc721', 'collab', 'holders', 'fan-club'])
  })

  it('get_meta_contract_by_id answers a contract by id, built in or deployed, without the token', async () => {
    const deployed = (await call('list_services', [], false)).result as Array<{ service_id: string, cid?: string }>
    const fanClub = deployed.find(s => s.service_id === 'fan-club')
    expect((await call('get_meta_contract_by_id', ['fan-club'], false)).result).toEqual({
      meta_contract_id: 'fan-club', cid: fanClub?.cid, name: 'Fan club', builtin: false, functions: ['on_execute', 'on_mint', 'on_clone'], created_at: expect.any(Number),
    })
    expect((await call('get_meta_contract_by_id', ['erc721'], false)).result).toEqual({ meta_contract_id: 'erc721', cid: '', name: 'erc721', builtin: true, functions: ['on_execute', 'on_mint', 'on_clone'], created_at: 0 })
    expect((await call('get_meta_contract_by_id', { meta_contract_id: 'no-such-contract' }, false)).result).toBeNull()
    expect((await call('get_meta_contract_by_id', [''], false)).error).toMatchObject({ code: -32602, data: { field: 'meta_contract_id' } })
  })

  it('loads deployed contracts again after a restart', async () => {
    await node.stop()
    node = await start()
    expect(await publish({ token_id: '2', data: '{"name":"after restart"}' })).toBe('applied')
    expect((await call('get_meta_contract_by_id', ['fan-club'], false)).result).toMatchObject({ meta_contract_id: 'fan-club', builtin: false })
  })
})
