// `lineage-node contract build <dir>` on the template folder, and the build of every shipped service.
import { cpSync, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMarineService, readServiceInterface } from '../../services/toolchain/index.js'
import { buildAllServices, buildContract, SERVICE_NAMES } from '../../services/toolchain/builder/index.js'
import { accepted, ALICE, contract, rejected, transaction, write } from './contract-fixtures.js'
import { SERVICES, tempDir } from './helpers.js'

describe('buildContract', () => {
  it('builds a copy of the template into <dir>/build/<name>.wasm that runs in Marine', async () => {
    const dir = path.join(tempDir('lineage-contract-'), 'my-posts')
    cpSync(path.join(SERVICES, 'template'), dir, { recursive: true })
    const built = await buildContract({ dir })
    expect(built.wasmPath).toBe(path.join(dir, 'build', 'my-posts.wasm'))
    expect(Buffer.from(readFileSync(built.wasmPath)).equals(Buffer.from(built.wasm))).toBe(true)
    expect(built.service.functions.map((f) => f.name)).toEqual(['on_execute', 'on_mint', 'on_clone'])

    const posts = await loadMarineService(built.wasm, 'my-posts')
    const run = (data: string) => posts.call('on_execute', [contract(), [], transaction({ public_key: ALICE, alias: 'post', data })])
    expect(run('{"text":"gm"}')).toEqual(accepted(write(ALICE, 'post', '{"text":"gm"}', 1)))
    expect(run('{"title":"no body"}')).toEqual(rejected('data needs "text" or "image"'))
    expect(run('"just text"')).toEqual(rejected('data must be a JSON object'))
    expect(posts.call('on_clone', [])).toBe(true)
  })
})

describe('buildAllServices', () => {
  it('writes every shipped service to <outDir>/<name>.wasm with its interface', async () => {
    const outDir = tempDir('lineage-all-')
    const built = await buildAllServices(outDir)
    expect(built.map((b) => b.name)).toEqual([...SERVICE_NAMES])
    for (const service of built) {
      expect(service.wasmPath).toBe(path.join(outDir, `${service.name}.wasm`))
      expect(existsSync(service.wasmPath)).toBe(true)
      expect(readServiceInterface(service.wasm).interfaces).toEqual(service.interfaceTypes)
    }
    const contracts = built.filter((b) => ['open', 'erc721', 'collab'].includes(b.name))
    for (const c of contracts) expect(c.service.functions.map((f) => f.name)).toEqual(['on_execute', 'on_mint', 'on_clone'])
  })
})
