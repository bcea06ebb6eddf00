import { MAX_REASON_LENGTH, MAX_RESPONSE_BYTES, REQUEST_TIMEOUT_MS } from './constants.js'
import { PinningServiceAuthError, PinningServiceRejectedError, PinningServiceResponseError, PinningServiceUnreachableError } from './errors.js'
import { parseFailure, parsePinStatus } from './wire.js'
import type { RemotePinStatus, WirePinStatus } from './wire.js'

/** Where a service is and how to prove who we are to it. */
export interface ServiceAccess {
  name: string
  /** Base URL without a trailing slash; `/pins` is appended. */
  endpoint: string
  token: string
}

export interface ClientOptions {
  timeoutMs?: number
  maxResponseBytes?: number
  signal?: AbortSignal
}

/** A Pin as POST /pins takes it. */
export interface PinRequest {
  cid: string
  name?: string
  origins?: string[]
}

/**
 * One call of the IPFS Pinning Service API over Node's fetch (undici): bearer token, a timeout, a
 * cap on the response size, no redirects (a redirect could carry the token elsewhere), and every
 * answer checked against the spec's schema. Failures come out as one error class each, so the
 * caller can tell a wrong token from a service that is down.
 */
export class PinningServiceClient {
  constructor (private readonly service: ServiceAccess, private readonly options: ClientOptions = {}) {}

  /** POST /pins: asks the service to pin a CID; answers the new request's PinStatus. */
  async add (pin: PinRequest): Promise<WirePinStatus> {
    return this.pinStatus(await this.request('POST', '/pins', pin, [200, 201, 202]))
  }

  /** GET /pins/{requestid}: the request's current status. */
  async get (requestid: string): Promise<WirePinStatus> {
    return this.pinStatus(await this.request('GET', `/pins/${encodeURIComponent(requestid)}`, undefined, [200]))
  }

  /** DELETE /pins/{requestid}. Resolves false when the service no longer knows the request. */
  async remove (requestid: string): Promise<boolean> {
    try {
      await this.request('DELETE', `/pins/${encodeURIComponent(requestid)}`, undefined, [200, 202, 204])
      return true
    } catch (err) {
      if (err instanceof PinningServiceRejectedError && err.status === 404) return false
      throw err
    }
  }

  /** GET /pins with filters: the requests for these CIDs in these states, newest first. */
  async list (query: { cid?: string[], status?: RemotePinStatus[], limit?: number }): Promise<WirePinStatus[]> {
    const search = new URLSearchParams()
    for (const cid of query.cid ?? []) search.append('cid', cid)
    for (const status of query.status ?? []) search.append('status', status)
    if (query.limit !== undefined) search.set('limit', String(query.limit))
    const body = await this.request('GET', `/pins?${search.toString()}`, undefined, [200])
    const page = body as { count?: unknown, results?: unknown }
    if (typeof page !== 'object' || page === null || typeof page.count !== 'number' || !Array.isArray(page.results)) {
      throw new PinningServiceResponseError(this.service.name, 'GET /pins did not answer { count, results }')
    }
    return page.results.map(item => this.pinStatus(item))
  }

  private pinStatus (body: unknown): WirePinStatus {
    const parsed = parsePinStatus(body)
    if (typeof parsed === 'string') throw new PinningServiceResponseError(this.service.name, parsed)
    return parsed
  }

  private async request (method: string, path: string, body: unknown, ok: number[]): Promise<unknown> {
    const { name, endpoint, token } = this.service
    const timeoutMs = this.options.timeoutMs ?? REQUEST_TIMEOUT_MS
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = this.options.signal === undefined ? timeout : AbortSignal.any([timeout, this.options.signal])
    let response: Response
    try {
      response = await fetch(`${endpoint}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'manual',
        signal,
      })
    } catch (err) {
      if (this.options.signal?.aborted === true) throw err
      throw new PinningServiceUnreachableError(name, endpoint, timeout.aborted ? `no answer within ${timeoutMs / 1000} s` : networkDetail(err))
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel()
      throw new PinningServiceUnreachableError(name, endpoint, `it redirects (HTTP ${response.status}) to ${response.headers.get('location') ?? 'another address'}; configure the final URL instead`)
    }
    const text = await this.readBody(response)
    if (ok.includes(response.status)) {
      if (response.status === 204 || (method === 'DELETE' && text.trim() === '')) return undefined
      try {
        return JSON.parse(text) as unknown
      } catch {
        throw new PinningServiceResponseError(name, `${method} ${path.split('?')[0]} answered HTTP ${response.status} with a body that is not JSON`)
      }
    }
    const failure = parseFailure(safeJson(text))
    const reason = failure?.error.reason ?? 'no error body'
    const details = (failure?.error.details ?? '').slice(0, MAX_REASON_LENGTH)
    if (response.status === 401 || response.status === 403) throw new PinningServiceAuthError(name, response.status, failure === undefined ? '' : `${reason}${details === '' ? '' : `, ${details}`}`)
    throw new PinningServiceRejectedError(name, response.status, reason.slice(0, MAX_REASON_LENGTH), details)
  }

  /** The body as text, refusing it as soon as it passes the size cap. */
  private async readBody (response: Response): Promise<string> {
    const max = this.options.maxResponseBytes ?? MAX_RESPONSE_BYTES
    const declared = Number(response.headers.get('content-length'))
    const tooBig = (): PinningServiceResponseError => new PinningServiceResponseError(this.service.name, `the response is larger than ${max} bytes`)
    if (Number.isFinite(declared) && declared > max) {
      await response.body?.cancel()
      throw tooBig()
    }
    if (response.body === null) return ''
    const chunks: Uint8Array[] = []
    let size = 0
    try {
      for await (const chunk of response.body) {
        size += chunk.byteLength
        if (size > max) throw tooBig()
        chunks.push(chunk)
      }
    } catch (err) {
      if (err instanceof PinningServiceResponseError) throw err
      throw new PinningServiceUnreachableError(this.service.name, this.service.endpoint, `the connection broke while reading the answer (${networkDetail(err)})`)
    }
    return Buffer.concat(chunks).toString('utf8')
  }
}

/** Whether trying again later may succeed: the service was down or had a problem of its own. */
export function isTransient (err: unknown): boolean {
  if (err instanceof PinningServiceUnreachableError) return true
  return err instanceof PinningServiceRejectedError && (err.status >= 500 || err.status === 429)
}

function safeJson (text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** undici hides the reason (ECONNREFUSED, ENOTFOUND, a TLS error) in `cause`. */
function networkDetail (err: unknown): string {
  const cause = (err as { cause?: { code?: unknown, message?: unknown } }).cause
  if (typeof cause?.code === 'string') return `${cause.code}${typeof cause.message === 'string' ? ` (${cause.message})` : ''}`
  if (typeof cause?.message === 'string') return cause.message
  return err instanceof Error ? err.message : String(err)
}
