import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRefusingApp } from '../../src-main/api/refusals.js'
import { createUploads, registerUploadRoutes } from '../../src-main/api/uploads/index.js'
import { readApiToken } from '../../src-main/node/index.js'
import { exchange, parseResponse } from '../helpers/raw-http.js'
import { postRpc } from '../helpers/rpc.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { tempDir } from '../helpers/temp-dir.js'
import { waitFor } from '../helpers/wait-for.js'

const TOKEN = 'a'.repeat(64)

/** One raw HTTP request (fetch would tidy `..` and `%2F` away before sending), its JSON answer. */
async function raw (port: number, method: string, target: string, body = '', token = TOKEN): Promise<{ status: number, json: Record<string, unknown> }> {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${token}`, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`, 'Content-Type: application/octet-stream']
  const response = parseResponse(await exchange(port, Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8')), method)
  return { status: response.status, json: JSON.parse(response.body.toString('utf8') || '{}') as Record<string, unknown> }
}

describe('uploads: limits and names that try to leave their folder (small limits, real sockets)', () => {
  let app: FastifyInstance
  let port: number
  let dir: string
  let cleanup: () => void
  beforeAll(async () => {
    const t = tempDir()
    dir = path.join(t.dir, 'uploads')
    cleanup = t.cleanup
    // A file from a previous run: nothing survives a restart.
    fs.mkdirSync(path.join(dir, 'stale'), { recursive: true })
    app = createRefusingApp(1024 * 1024)
    await registerUploadRoutes(app, {
      uploads: createUploads({ dir, maxFileBytes: 1000, maxFiles: 3, maxTotalBytes: 2500, maxOpen: 2 }),
      authorize: request => request.headers.authorization === `Bearer ${TOKEN}` ? 'ok' : 'no-token',
      bodyLimit: 1000,
    })
    await app.listen({ host: '127.0.0.1', port: 0 })
    port = (app.server.address() as { port: number }).port
  })
  afterAll(async () => {
    await app.close()
    cleanup()
  })

  it('starts empty, and keeps a file byte for byte under its own name', async () => {
    expect(fs.readdirSync(dir)).toEqual([])
    const created = await raw(port, 'POST', '/uploads')
    expect(created.status).toBe(201)
    const id = created.json.id as string
    expect(created.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), path: path.join(dir, id), files: 0, bytes: 0 })
    const put = await raw(port, 'PUT', `/uploads/${id}/1.json`, '{"name":"One ✓"}')
    expect(put.status).toBe(200)
    expect(put.json).toMatchObject({ name: '1.json', written: 18, files: 1, bytes: 18 })
    expect(fs.readFileSync(path.join(dir, id, '1.json'), 'utf8')).toBe('{"name":"One ✓"}')
    // A name taken twice is refused, and the first file is unchanged.
    expect((await raw(port, 'PUT', `/uploads/${id}/1.json`, 'other')).status).toBe(409)
    expect(fs.readFileSync(path.join(dir, id, '1.json'), 'utf8')).toBe('{"name":"One ✓"}')
    // An empty file is a file.
    expect((await raw(port, 'PUT', `/uploads/${id}/empty.json`)).json).toMatchObject({ written: 0, files: 2 })
    expect((await raw(port, 'DELETE', `/uploads/${id}`)).json).toEqual({ removed: true })
    expect(fs.existsSync(path.join(dir, id))).toBe(false)
    expect((await raw(port, 'PUT', `/uploads/${id}/2.json`, '{}')).status).toBe(404)
  })

  it('refuses every name that is not one plain file name, and writes nothing anywhere', async () => {
    const id = (await raw(port, 'POST', '/uploads')).json.id as string
    const tricks = ['..', '.', '%2e%2e', '..%2F..%2Fescaped.json', 'a%2Fb.json', 'a%5Cb.json', '%2Fetc%2Fpasswd', 'C%3A%5Cx.json', '.hidden', 'x%00.json', 'x%0A.json', 'CON', 'nul.json', 'trailing.', 'trailing%20', 'e%CC%81.json', 'x'.repeat(256)]
    for (const name of tricks) {
      const answer = await raw(port, 'PUT', `/uploads/${id}/${name}`, '{}')
      expect([400, 404], name).toContain(answer.status)
      expect(answer.json.error, name).toEqual(expect.any(String))
    }
    // A path with more segments matches no upload route at all.
    expect((await raw(port, 'PUT', `/uploads/${id}/../../escaped.json`, '{}')).status).toBe(404)
    expect((await raw(port, 'PUT', `/uploads/${id}/sub/1.json`, '{}')).status).toBe(404)
    expect((await raw(port, 'PUT', '/uploads/../1.json', '{}')).status).toBe(404)
    expect((await raw(port, 'PUT', '/uploads/not-an-id/1.json', '{}')).status).toBe(404)
    expect(fs.readdirSync(path.join(dir, id))).toEqual([])
    expect(fs.readdirSync(dir).sort()).toEqual([id])
    expect(fs.existsSync(path.join(path.dirname(dir), 'escaped.json'))).toBe(false)
    expect((await raw(port, 'PUT', `/uploads/${id}/%2e%2e`, '{}')).json.error).toMatch(/hidden files, \. and \.\./)
    expect((await raw(port, 'PUT', `/uploads/${id}/a%2Fb.json`, '{}')).json.error).toMatch(/cannot lead outside its folder/)
    await raw(port, 'DELETE', `/uploads/${id}`)
    // The folder the files go in is named after the creator's, under the same rules.
    const named = await raw(port, 'POST', '/uploads?folder=lanterns')
    expect(named.json.path).toBe(path.join(dir, named.json.id as string, 'lanterns'))
    await raw(port, 'PUT', `/uploads/${named.json.id as string}/1.json`, '{}')
    expect(fs.readdirSync(named.json.path as string)).toEqual(['1.json'])
    await raw(port, 'DELETE', `/uploads/${named.json.id as string}`)
    expect(fs.readdirSync(dir)).toEqual([])
    for (const folder of ['..', '%2e%2e', 'a%2Fb', '.hidden']) expect((await raw(port, 'POST', `/uploads?folder=${folder}`)).status, folder).toBe(400)
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('refuses a file over the size limit, as declared or as streamed, and keeps nothing of it', async () => {
    const id = (await raw(port, 'POST', '/uploads')).json.id as string
    const big = await raw(port, 'PUT', `/uploads/${id}/big.car`, 'x'.repeat(1001))
    expect(big.status).toBe(413)
    expect(big.json.error).toBe('The upload is too large: one file may hold at most 1,000 bytes.')
    // Chunked: no length said in advance, so the limit is met as the bytes arrive.
    const chunked = `PUT /uploads/${id}/chunked.car HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n` +
      ['x'.repeat(600), 'y'.repeat(600)].map(c => `${c.length.toString(16)}\r\n${c}\r\n`).join('') + '0\r\n\r\n'
    expect(parseResponse(await exchange(port, chunked), 'PUT').status).toBe(413)
    expect(fs.readdirSync(path.join(dir, id))).toEqual([])
    // The total: 900 + 900 fit, a third 900 would pass 2,500.
    expect((await raw(port, 'PUT', `/uploads/${id}/a`, 'a'.repeat(900))).status).toBe(200)
    expect((await raw(port, 'PUT', `/uploads/${id}/b`, 'b'.repeat(900))).status).toBe(200)
    const over = await raw(port, 'PUT', `/uploads/${id}/c`, 'c'.repeat(900))
    expect(over.status).toBe(413)
    expect(over.json.error).toContain('at most 2,500 bytes in all')
    // The count: a third small file fits, a fourth does not.
    expect((await raw(port, 'PUT', `/uploads/${id}/d`, 'd')).json).toMatchObject({ files: 3, bytes: 1801 })
    expect((await raw(port, 'PUT', `/uploads/${id}/e`, 'e')).json.error).toContain('at most 3 files')
    expect(fs.readdirSync(path.join(dir, id)).sort()).toEqual(['a', 'b', 'd'])
    await raw(port, 'DELETE', `/uploads/${id}`)
  })

  it('keeps at most two uploads open, refuses callers without the token', async () => {
    const first = (await raw(port, 'POST', '/uploads')).json.id as string
    const second = (await raw(port, 'POST', '/uploads')).json.id as string
    const third = await raw(port, 'POST', '/uploads')
    expect(third.status).toBe(429)
    expect(third.json.error).toContain('at most 2 uploads at once')
    await raw(port, 'DELETE', `/uploads/${first}`)
    expect((await raw(port, 'POST', '/uploads')).status).toBe(201)
    const noToken = await raw(port, 'PUT', `/uploads/${second}/1.json`, '{}', 'nope')
    expect(noToken.status).toBe(401)
    expect(noToken.json.error).toContain('need the node\'s access token')
    expect(fs.readdirSync(path.join(dir, second))).toEqual([])
  })
})

describe('uploads on a real node: a browser\'s folder becomes an import', () => {
  let running: TestNode
  let token: string
  let id = 0
  beforeAll(async () => {
    running = await startTestNode({ offline: true })
    token = readApiToken(running.node.config.dataDir) ?? ''
  })
  afterAll(async () => { await running.stop() })

  async function call (method: string, params: unknown): Promise<{ result?: any, error?: { message: string } }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    return json as { result?: unknown, error?: { message: string } }
  }

  it('refuses uploads without the token and from another web page', async () => {
    expect((await fetch(`${running.base}/uploads`, { method: 'POST' })).status).toBe(401)
    const foreign = await fetch(`${running.base}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    expect(fs.readdirSync(path.join(running.node.config.dataDir, 'uploads'))).toEqual([])
  })

  it('takes the files over HTTP, and import_folder reads them into the collection', async () => {
    const auth = { authorization: `Bearer ${token}` }
    const created = await (await fetch(`${running.base}/uploads`, { method: 'POST', headers: auth })).json() as { id: string, path: string }
    expect(created.path).toBe(path.join(running.node.config.dataDir, 'uploads', created.id))
    for (const n of [1, 2, 3]) {
      // The Content-Type a browser gives a .json file: still kept as bytes, never parsed.
      const put = await fetch(`${running.base}/uploads/${created.id}/${n}.json`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Upload #${n}` }) })
      expect(put.status).toBe(200)
    }
    const collection = { chain_id: '1', token_address: '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D' }
    expect((await call('keys_new', ['studio', 'ed25519', 'correct horse battery'])).error).toBeUndefined()
    const bind = await call('sign_and_publish', ['studio', 'correct horse battery', { method: 'contract', ...collection, token_id: '', meta_contract_id: 'erc721' }])
    expect(bind.error).toBeUndefined()
    await running.node.lineage.settled()
    const started = await call('import_folder', [created.path, { ...collection, meta_contract_id: 'erc721', key: 'studio', passphrase: 'correct horse battery' }])
    expect(started.error).toBeUndefined()
    const job = started.result.job as string
    await waitFor('the import to end', async () => (await call('import_status', [job])).result.running === false)
    expect((await call('import_status', [job])).result).toMatchObject({ state: 'done', applied: 3, rejected: 0 })
    expect((await call('get_token', [{ ...collection, token_id: '2' }])).result?.metadata).toMatchObject({ name: 'Upload #2' })
    expect((await fetch(`${running.base}/uploads/${created.id}`, { method: 'DELETE', headers: auth })).status).toBe(200)
    expect(fs.existsSync(created.path)).toBe(false)
  })
})
