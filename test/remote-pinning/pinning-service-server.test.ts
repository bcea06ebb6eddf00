import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startPinningService } from './pinning-service-server.js'
import type { PinningServiceServer } from './pinning-service-server.js'

const TOKEN = 'conformance-token'
const CID_A = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
const CID_B = 'bafkqaaa'

// The test service itself, held to the published API, so the tests of our client rest on a
// service that behaves as the spec says.
describe('the test pinning service follows the Pinning Service API', () => {
  let service: PinningServiceServer
  beforeEach(async () => { service = await startPinningService({ token: TOKEN }) })
  afterEach(async () => { await service.close() })

  async function api (method: string, path: string, body?: unknown, token = TOKEN): Promise<{ status: number, json: unknown }> {
    const response = await fetch(`${service.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    const text = await response.text()
    return { status: response.status, json: text === '' ? undefined : JSON.parse(text) as unknown }
  }

  it('refuses a missing or wrong token with 401 and a Failure body', async () => {
    expect(await api('GET', '/pins', undefined, 'nope')).toEqual({ status: 401, json: { error: { reason: 'UNAUTHORIZED', details: 'Access token is missing or invalid' } } })
  })

  it('creates, reads (one status step per read), lists with filters, replaces and deletes', async () => {
    const created = await api('POST', '/pins', { cid: CID_A, name: 'Alpha', origins: ['/ip4/127.0.0.1/tcp/1/p2p/x'] })
    expect(created).toMatchObject({ status: 202, json: { requestid: 'req-1', status: 'queued', pin: { cid: CID_A, name: 'Alpha' }, delegates: [expect.any(String)] } })
    expect((await api('GET', '/pins/req-1')).json).toMatchObject({ status: 'queued' })
    expect((await api('GET', '/pins/req-1')).json).toMatchObject({ status: 'pinning' })
    expect((await api('GET', '/pins/req-1')).json).toMatchObject({ status: 'pinned' })
    await api('POST', '/pins', { cid: CID_B, name: 'beta' })

    // Without a status filter, only pinned objects are listed.
    expect((await api('GET', '/pins')).json).toMatchObject({ count: 1, results: [{ requestid: 'req-1' }] })
    expect((await api('GET', '/pins?status=queued&status=pinned')).json).toMatchObject({ count: 2, results: [{ requestid: 'req-2' }, { requestid: 'req-1' }] })
    expect((await api('GET', `/pins?cid=${CID_B}&status=queued`)).json).toMatchObject({ count: 1, results: [{ pin: { cid: CID_B } }] })
    expect((await api('GET', '/pins?status=queued&status=pinned&limit=1')).json).toMatchObject({ count: 2, results: [{ requestid: 'req-2' }] })
    expect((await api('GET', '/pins?status=queued&status=pinned&name=ALPHA&match=iexact')).json).toMatchObject({ count: 1, results: [{ requestid: 'req-1' }] })
    expect((await api('GET', '/pins?limit=0')).status).toBe(400)

    expect(await api('POST', '/pins/req-2', { cid: CID_A })).toMatchObject({ status: 202, json: { requestid: 'req-3', status: 'queued', pin: { cid: CID_A } } })
    expect(await api('GET', '/pins/req-2')).toEqual({ status: 404, json: { error: { reason: 'NOT_FOUND', details: 'The specified resource was not found' } } })
    expect(await api('DELETE', '/pins/req-3')).toEqual({ status: 202, json: undefined })
    expect((await api('DELETE', '/pins/req-3')).status).toBe(404)
  })

  it('answers a bad Pin with 400 and a reason', async () => {
    expect(await api('POST', '/pins', { cid: 'not a cid' })).toEqual({ status: 400, json: { error: { reason: 'BAD_REQUEST', details: 'not a cid is not a CID' } } })
    expect((await api('POST', '/pins', { cid: CID_A, name: 'x'.repeat(256) })).status).toBe(400)
  })
})
