import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NotPinnedLocallyError } from '../../src-main/remote-pinning/index.js'
import { openRemote, pinnedBlock, settled } from './helpers.js'
import type { RemoteFixture } from './helpers.js'
import { startPinningService } from './pinning-service-server.js'
import type { PinningServiceServer } from './pinning-service-server.js'

const TOKEN = 'psa-secret-token-0123456789abcdef'

describe('remote pinning against a Pinning Service API server, with real SQLite', () => {
  let f: RemoteFixture
  let service: PinningServiceServer
  beforeEach(async () => {
    service = await startPinningService({ token: TOKEN, delegates: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWPjceQrSwdWXPyLLeABRXmuqt69Rg3sBYbU1Nft9HyQ6X'] })
    f = openRemote()
    f.remote.start()
  })
  afterEach(async () => {
    await f.shutdown()
    await service.close()
  })

  const addService = (extra: Record<string, unknown> = {}): ReturnType<RemoteFixture['remote']['addService']> =>
    f.remote.addService({ name: 'test', endpoint: `${service.url}/`, token: TOKEN, ...extra })

  it('pushes a pin with our origins, dials the delegates, and follows it to pinned', async () => {
    expect(addService()).toEqual({ name: 'test', endpoint: service.url, token: '********cdef', auto_pin: false, created_at: expect.any(Number), pins: { queued: 0, pinning: 0, pinned: 0, failed: 0 } })
    const cid = await pinnedBlock(f, 'precious', 'Milady #1')
    const added = await f.remote.add(cid, 'test')
    expect(added).toMatchObject({ service: 'test', cid, name: 'Milady #1', status: 'queued', requestid: 'req-1', delegates: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWPjceQrSwdWXPyLLeABRXmuqt69Rg3sBYbU1Nft9HyQ6X'] })
    expect(service.posted).toEqual([{ cid, name: 'Milady #1', origins: ['/ip4/127.0.0.1/tcp/5481/p2p/12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'] }])
    expect(f.dialled).toEqual(['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWPjceQrSwdWXPyLLeABRXmuqt69Rg3sBYbU1Nft9HyQ6X'])

    const done = await settled(f.remote, cid, 'test')
    expect(done).toMatchObject({ status: 'pinned', requestid: 'req-1', reason: '', next_check_at: null })
    expect(service.pins.get('req-1')?.status).toBe('pinned')
    // Pushing again is a no-op: no second request.
    expect(await f.remote.add(cid, 'test')).toMatchObject({ status: 'pinned', requestid: 'req-1' })
    expect(service.posted).toHaveLength(1)
    expect(f.remote.services()[0]?.pins).toEqual({ queued: 0, pinning: 0, pinned: 1, failed: 0 })
  })

  it('follows a request the service fails, and keeps its reason; a second push sends it again', async () => {
    addService()
    const cid = await pinnedBlock(f, 'unfetchable')
    service.failCids.add(cid)
    await f.remote.add(cid, 'test')
    expect(await settled(f.remote, cid, 'test')).toMatchObject({ status: 'failed', reason: `could not fetch ${cid} from any origin` })

    service.failCids.clear()
    expect(await f.remote.add(cid, 'test')).toMatchObject({ status: 'queued', requestid: 'req-2', reason: 'queue position: 1 of 1' })
    expect(await settled(f.remote, cid, 'test')).toMatchObject({ status: 'pinned', requestid: 'req-2' })
  })

  it('a wrong token is a clear error, and the pin is failed with the reason', async () => {
    f.remote.addService({ name: 'wrong', endpoint: service.url, token: 'not-the-token' })
    const cid = await pinnedBlock(f, 'a')
    await expect(f.remote.add(cid, 'wrong')).rejects.toMatchObject({
      name: 'PinningServiceAuthError',
      message: 'The pinning service "wrong" refused the access token (HTTP 401: UNAUTHORIZED, Access token is missing or invalid). Check the token, then add the service again.',
    })
    expect(f.remote.ls({ service: 'wrong' })).toEqual([expect.objectContaining({ cid, status: 'failed', requestid: null, next_check_at: null, reason: expect.stringContaining('refused the access token (HTTP 401') })])
    expect(service.posted).toEqual([])
  })

  it('an unreachable endpoint is a clear error and a failed pin', async () => {
    const closed = await startPinningService({ token: TOKEN })
    await closed.close()
    f.remote.addService({ name: 'gone', endpoint: closed.url, token: TOKEN })
    const cid = await pinnedBlock(f, 'b')
    await expect(f.remote.add(cid, 'gone')).rejects.toMatchObject({ name: 'PinningServiceUnreachableError', message: expect.stringMatching(new RegExp(`^The pinning service "gone" at ${closed.url} could not be reached: ECONNREFUSED`)) })
    expect(f.remote.ls({ cid })).toEqual([expect.objectContaining({ status: 'failed', reason: expect.stringContaining('ECONNREFUSED') })])
  })

  it('malformed answers are refused with what is wrong, and never crash the node', async () => {
    addService()
    const cases = [
      ['not-json', 'answered HTTP 200 with a body that is not JSON'],
      ['wrong-shape', 'the PinStatus must have required property \'requestid\''],
      ['huge', 'the response is larger than 4194304 bytes'],
    ] as const
    for (const [mode, detail] of cases) {
      const cid = await pinnedBlock(f, `malformed ${mode}`)
      service.misbehave = mode
      await expect(f.remote.add(cid, 'test')).rejects.toMatchObject({ name: 'PinningServiceResponseError', message: expect.stringContaining(detail) })
      expect(f.remote.ls({ cid })[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining(detail) })
    }
  })

  it('a service down while following is retried, then the pin settles', async () => {
    addService()
    const cid = await pinnedBlock(f, 'flaky')
    const added = await f.remote.add(cid, 'test')
    expect(added.status).toBe('queued')
    service.misbehave = 'server-error'
    // The follower records the outage on the pin and keeps trying.
    await expect.poll(() => f.remote.ls({ cid })[0]?.reason, { timeout: 20_000, interval: 10 }).toContain('HTTP 503 SERVICE_UNAVAILABLE')
    expect(f.remote.ls({ cid })[0]?.status).toBe('queued')
    service.misbehave = null
    expect(await settled(f.remote, cid, 'test')).toMatchObject({ status: 'pinned', reason: '' })
  })

  it('resumes following after a restart, from the table', async () => {
    addService()
    await f.remote.stop()
    const cid = await pinnedBlock(f, 'restart')
    // Not started: the request is sent but nobody follows it yet.
    expect(await f.remote.add(cid, 'test')).toMatchObject({ status: 'queued', requestid: 'req-1' })
    await f.restart()
    expect(f.remote.ls({ cid })[0]).toMatchObject({ status: 'queued', requestid: 'req-1' })
    f.remote.start()
    expect(await settled(f.remote, cid, 'test')).toMatchObject({ status: 'pinned', requestid: 'req-1' })
    expect(service.posted).toHaveLength(1)
  })

  it('after a crash while the POST was unanswered, finds the request at the service instead of pinning twice', async () => {
    addService()
    await f.remote.stop()
    const cid = await pinnedBlock(f, 'crash')
    // The service got the POST, but the node died before storing the answer: the row the module
    // writes before sending is all that is left.
    await fetch(`${service.url}/pins`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ cid }) })
    f.store.db.prepare(`INSERT INTO remote_pins (service, cid, name, requestid, status, reason, delegates, checks, failures, next_check_at, created_at, updated_at)
      VALUES ('test', ?, '', NULL, 'queued', '', '[]', 0, 0, 0, 1, 1)`).run(cid)
    await f.restart()
    f.remote.start()
    expect(await settled(f.remote, cid, 'test')).toMatchObject({ status: 'pinned', requestid: 'req-1' })
    expect(service.posted).toHaveLength(1)
  })

  it('pins everything pinned here on a service that asks for it', async () => {
    const before = await pinnedBlock(f, 'already pinned')
    addService({ auto_pin: true })
    const after = await pinnedBlock(f, 'pinned later')
    await f.remote.pushNewPins()
    expect(service.posted.map(p => p.cid).sort()).toEqual([before, after].sort())
    expect((await settled(f.remote, after, 'test')).status).toBe('pinned')
    // A later round pushes nothing twice.
    await f.remote.pushNewPins()
    expect(service.posted).toHaveLength(2)
  })

  it('removes a remote pin at the service and here', async () => {
    addService()
    const cid = await pinnedBlock(f, 'remove me')
    await f.remote.add(cid, 'test')
    expect(service.pins.size).toBe(1)
    expect(await f.remote.rm(cid, 'test')).toMatchObject({ cid, requestid: 'req-1' })
    expect(service.pins.size).toBe(0)
    expect(f.remote.ls()).toEqual([])
    await expect(f.remote.rm(cid, 'test')).rejects.toMatchObject({ name: 'RemotePinNotFoundError' })
  })

  it('refuses bad input with a clear error and stores nothing', async () => {
    const refused = (input: Record<string, unknown>): unknown => {
      try {
        f.remote.addService({ name: 'x', endpoint: service.url, token: TOKEN, ...input })
      } catch (err) {
        return { name: (err as Error).name, field: (err as { field?: string }).field, message: (err as Error).message }
      }
      return 'accepted'
    }
    expect(refused({ endpoint: 'ftp://pins.example.com' })).toEqual({ name: 'InvalidServiceConfigError', field: 'endpoint', message: 'endpoint must be an http:// or https:// URL, not ftp:' })
    expect(refused({ endpoint: 'file:///etc/passwd' })).toMatchObject({ field: 'endpoint', message: 'endpoint must be an http:// or https:// URL, not file:' })
    expect(refused({ endpoint: 'not a url' })).toMatchObject({ field: 'endpoint', message: expect.stringContaining('is not a URL') })
    expect(refused({ endpoint: 'https://user:pw@pins.example.com' })).toMatchObject({ field: 'endpoint', message: expect.stringContaining('must not contain a user name or password') })
    expect(refused({ token: '' })).toMatchObject({ field: 'token' })
    expect(refused({ token: 'has space' })).toMatchObject({ field: 'token' })
    expect(refused({ name: '../etc' })).toMatchObject({ field: 'name' })
    expect(f.remote.services()).toEqual([])

    addService()
    expect(() => addService()).toThrow(expect.objectContaining({ name: 'RemotePinServiceExistsError' }))
    const unpinned = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    await expect(f.remote.add(unpinned, 'test')).rejects.toBeInstanceOf(NotPinnedLocallyError)
    await expect(f.remote.add(unpinned, 'nope')).rejects.toMatchObject({ name: 'RemotePinServiceNotFoundError' })
    await expect(f.remote.add('not-a-cid', 'test')).rejects.toMatchObject({ name: 'InvalidCidError', field: 'cid' })
    expect(f.remote.ls()).toEqual([])
    expect(service.posted).toEqual([])
  })

  it('never lists the token, and forgets a service with its pins', async () => {
    addService()
    const cid = await pinnedBlock(f, 'listed')
    await f.remote.add(cid, 'test')
    expect(JSON.stringify(f.remote.services())).not.toContain(TOKEN)
    expect(JSON.stringify(f.remote.ls())).not.toContain(TOKEN)
    expect(f.remote.removeService('test')).toMatchObject({ name: 'test', token: '********cdef' })
    expect(f.remote.services()).toEqual([])
    expect(f.remote.ls()).toEqual([])
  })
})
