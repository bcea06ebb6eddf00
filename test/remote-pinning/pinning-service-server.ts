/**
 * A small pinning service, written for the tests from the published IPFS Pinning Service API
 * (ipfs/pinning-services-api-spec): bearer-token auth, GET/POST /pins, GET/POST/DELETE
 * /pins/{requestid}, and `{ error: { reason, details } }` error bodies. It is the third party our
 * client talks to, not a stand-in for our own code.
 *
 * Status moves one step per status read (queued → pinning → pinned), so tests follow it without
 * timing; a CID listed in `failCids` ends `failed` with a reason in `info.status_details`.
 * `misbehave` makes the next answers deliberately broken, as a faulty service would send.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { CID } from 'multiformats/cid'

type Status = 'queued' | 'pinning' | 'pinned' | 'failed'
const STATUSES: Status[] = ['queued', 'pinning', 'pinned', 'failed']

interface StoredPin {
  requestid: string
  status: Status
  created: string
  pin: { cid: string, name?: string, origins?: string[], meta?: Record<string, string> }
  delegates: string[]
  info: Record<string, string>
}

export type Misbehaviour = 'not-json' | 'wrong-shape' | 'huge' | 'server-error' | null

export interface PinningServiceServer {
  /** Base URL, e.g. http://127.0.0.1:43210 */
  url: string
  token: string
  /** Every request body POSTed to /pins, in order. */
  readonly posted: Array<StoredPin['pin']>
  readonly pins: Map<string, StoredPin>
  failCids: Set<string>
  misbehave: Misbehaviour
  close(): Promise<void>
}

export async function startPinningService (options: { token: string, delegates?: string[], port?: number }): Promise<PinningServiceServer> {
  const pins = new Map<string, StoredPin>()
  const posted: Array<StoredPin['pin']> = []
  let next = 0
  let clock = Date.parse('2026-01-01T00:00:00Z')

  const state: PinningServiceServer = {
    url: '',
    token: options.token,
    posted,
    pins,
    failCids: new Set(),
    misbehave: null,
    close: async () => { await new Promise<void>(resolve => { server.close(() => { resolve() }); server.closeAllConnections() }) },
  }

  const send = (res: http.ServerResponse, status: number, body?: unknown): void => {
    const text = body === undefined ? '' : JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }
  const fail = (res: http.ServerResponse, status: number, reason: string, details: string): void => { send(res, status, { error: { reason, details } }) }

  /** The answer to a status read: the pin as it is now, then one step further for next time. */
  const read = (pin: StoredPin): StoredPin => {
    const shown = structuredClone(pin)
    if (pin.status === 'queued') {
      pin.status = 'pinning'
      pin.info = { status_details: 'fetching blocks' }
    } else if (pin.status === 'pinning') {
      if (state.failCids.has(pin.pin.cid)) {
        pin.status = 'failed'
        pin.info = { status_details: `could not fetch ${pin.pin.cid} from any origin` }
      } else {
        pin.status = 'pinned'
        pin.info = {}
      }
    }
    return shown
  }

  const checkPin = (body: unknown): StoredPin['pin'] | string => {
    if (typeof body !== 'object' || body === null) return 'body must be a Pin object'
    const { cid, name, origins, meta } = body as Record<string, unknown>
    if (typeof cid !== 'string') return 'cid is required'
    try {
      CID.parse(cid)
    } catch {
      return `${cid} is not a CID`
    }
    if (name !== undefined && (typeof name !== 'string' || name.length > 255)) return 'name must be a string of at most 255 characters'
    if (origins !== undefined && (!Array.isArray(origins) || origins.length > 20 || origins.some(o => typeof o !== 'string'))) return 'origins must be at most 20 multiaddrs'
    return { cid, ...(name === undefined ? {} : { name: name as string }), ...(origins === undefined ? {} : { origins: origins as string[] }), ...(meta === undefined ? {} : { meta: meta as Record<string, string> }) }
  }

  const create = (pin: StoredPin['pin']): StoredPin => {
    clock += 1000
    const stored: StoredPin = { requestid: `req-${++next}`, status: 'queued', created: new Date(clock).toISOString(), pin, delegates: options.delegates ?? ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWPjceQrSwdWXPyLLeABRXmuqt69Rg3sBYbU1Nft9HyQ6X'], info: { status_details: 'queue position: 1 of 1' } }
    pins.set(stored.requestid, stored)
    return stored
  }

  const list = (res: http.ServerResponse, query: URLSearchParams): void => {
    const cids = query.getAll('cid')
    const statuses = query.getAll('status')
    if (cids.length > 10) { fail(res, 400, 'BAD_REQUEST', 'at most 10 cid filters'); return }
    if (statuses.some(s => !(STATUSES as string[]).includes(s))) { fail(res, 400, 'BAD_REQUEST', 'unknown status'); return }
    const limit = query.has('limit') ? Number(query.get('limit')) : 10
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) { fail(res, 400, 'BAD_REQUEST', 'limit must be 1–1000'); return }
    const before = query.get('before')
    const after = query.get('after')
    const name = query.get('name')
    const match = query.get('match') ?? 'exact'
    if (!['exact', 'iexact', 'partial', 'ipartial'].includes(match)) { fail(res, 400, 'BAD_REQUEST', 'match must be exact, iexact, partial or ipartial'); return }
    const fold = match.startsWith('i') ? (t: string): string => t.toLowerCase() : (t: string): string => t
    const nameMatches = (pinName: string | undefined): boolean => {
      if (name === null) return true
      if (pinName === undefined) return false
      return match.endsWith('partial') ? fold(pinName).includes(fold(name)) : fold(pinName) === fold(name)
    }
    // Without a status filter the spec lists only pinned objects.
    const wanted = statuses.length === 0 ? ['pinned'] : statuses
    const matching = [...pins.values()]
      .filter(p => wanted.includes(p.status) && (cids.length === 0 || cids.includes(p.pin.cid)) && nameMatches(p.pin.name) &&
        (before === null || Date.parse(p.created) < Date.parse(before)) && (after === null || Date.parse(p.created) > Date.parse(after)))
      .sort((a, b) => Date.parse(b.created) - Date.parse(a.created))
    send(res, 200, { count: matching.length, results: matching.slice(0, limit) })
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${state.token}`) { fail(res, 401, 'UNAUTHORIZED', 'Access token is missing or invalid'); return }
      const misbehaviour = state.misbehave
      if (misbehaviour === 'not-json') { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>maintenance</html>'); return }
      if (misbehaviour === 'wrong-shape') { send(res, req.method === 'POST' ? 202 : 200, { id: 'x', state: 'done' }); return }
      if (misbehaviour === 'huge') { send(res, 202, { requestid: 'x', status: 'queued', created: new Date().toISOString(), pin: { cid: 'x' }, delegates: [], padding: 'x'.repeat(5 * 1024 * 1024) }); return }
      if (misbehaviour === 'server-error') { fail(res, 503, 'SERVICE_UNAVAILABLE', 'down for maintenance'); return }

      const url = new URL(req.url ?? '/', 'http://localhost')
      const match = /^\/pins(?:\/([^/]+))?$/.exec(url.pathname)
      if (match === null) { fail(res, 404, 'NOT_FOUND', 'The specified resource was not found'); return }
      const requestid = match[1] === undefined ? undefined : decodeURIComponent(match[1])
      let body: unknown
      if (chunks.length > 0) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          fail(res, 400, 'BAD_REQUEST', 'body is not JSON')
          return
        }
      }

      if (requestid === undefined) {
        if (req.method === 'GET') { list(res, url.searchParams); return }
        if (req.method === 'POST') {
          const pin = checkPin(body)
          if (typeof pin === 'string') { fail(res, 400, 'BAD_REQUEST', pin); return }
          posted.push(pin)
          send(res, 202, create(pin))
          return
        }
        fail(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} /pins`)
        return
      }
      const stored = pins.get(requestid)
      if (stored === undefined) { fail(res, 404, 'NOT_FOUND', 'The specified resource was not found'); return }
      if (req.method === 'GET') { send(res, 200, read(stored)); return }
      if (req.method === 'DELETE') { pins.delete(requestid); res.writeHead(202); res.end(); return }
      if (req.method === 'POST') {
        const pin = checkPin(body)
        if (typeof pin === 'string') { fail(res, 400, 'BAD_REQUEST', pin); return }
        pins.delete(requestid)
        send(res, 202, create(pin))
        return
      }
      fail(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} /pins/{requestid}`)
    })
  })
  await new Promise<void>(resolve => { server.listen(options.port ?? 0, '127.0.0.1', () => { resolve() }) })
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}
