import net from 'node:net'

/**
 * HTTP/1.1 spoken byte by byte, for requests fetch refuses to send (raw control bytes, bare
 * `%`, bytes past 0x7F, odd methods) and for checking the answer's syntax ourselves.
 */

/** A server that neither answers nor closes within this long has hung (a failure, not a timing). */
const HUNG_AFTER_MS = 30_000

/** Sends `request` on a fresh connection and returns every byte the server sends until it closes. */
export async function exchange (port: number, request: Buffer | string): Promise<Buffer> {
  return await new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' })
    const chunks: Buffer[] = []
    socket.setTimeout(HUNG_AFTER_MS, () => { socket.destroy(new Error(`no answer and no close within ${HUNG_AFTER_MS} ms`)) })
    socket.on('data', chunk => { chunks.push(chunk) })
    socket.on('close', () => { resolve(Buffer.concat(chunks)) })
    socket.on('error', err => {
      // A server that refuses a request before reading all of it may reset the connection
      // after its answer; what arrived is still the answer.
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' && chunks.length > 0) return
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err)
    })
    socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request)
  })
}

export interface RawResponse {
  status: number
  /** Header lines as sent, names lower-cased, in order. */
  headers: Array<[string, string]>
  body: Buffer
}

/** RFC 9110 `token`: what a header name may be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** A header value as this node must send it: visible ASCII, inner spaces and tabs, no obs-text. */
export const LEGAL_HEADER_VALUE = /^(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?$/

/**
 * Parses one HTTP/1.x response strictly; throws saying what is malformed. `method` tells whether
 * a body may follow (not after HEAD, 1xx, 204 or 304).
 */
export function parseResponse (raw: Buffer, method: string): RawResponse {
  if (raw.length === 0) throw new Error('the server closed the connection without an answer')
  const end = raw.indexOf('\r\n\r\n')
  if (end === -1) throw new Error(`the answer has no end of headers: ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}`)
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n')
  const match = /^HTTP\/1\.[01] ([1-5][0-9]{2}) [\x20-\x7e]*$/.exec(statusLine)
  if (match === null) throw new Error(`malformed status line ${JSON.stringify(statusLine)}`)
  const status = Number(match[1])
  const headers: Array<[string, string]> = []
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon)
    if (colon <= 0 || !TOKEN.test(name)) throw new Error(`malformed header line ${JSON.stringify(line)}`)
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')
    if (!LEGAL_HEADER_VALUE.test(value)) throw new Error(`header ${name} holds characters a header may not: ${JSON.stringify(value)}`)
    headers.push([name.toLowerCase(), value])
  }
  const rest = raw.subarray(end + 4)
  const header = (name: string): string | undefined => headers.find(([n]) => n === name)?.[1]
  const bodyless = method === 'HEAD' || status < 200 || status === 204 || status === 304
  let body: Buffer
  if (bodyless) {
    body = Buffer.alloc(0)
    if (rest.length > 0) throw new Error(`${rest.length} bytes follow a ${status} answer to ${method}, which has no body`)
  } else if (header('transfer-encoding') === 'chunked') {
    body = dechunk(rest)
  } else if (header('content-length') !== undefined) {
    const length = Number(header('content-length'))
    if (!Number.isSafeInteger(length) || rest.length !== length) throw new Error(`Content-Length ${header('content-length') ?? ''} but ${rest.length} bytes follow`)
    body = rest
  } else {
    body = rest // delimited by the close
  }
  return { status, headers, body }
}

function dechunk (data: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at)
    if (lineEnd === -1) throw new Error('chunked body ends inside a chunk size line')
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16)
    if (!Number.isSafeInteger(size)) throw new Error('malformed chunk size')
    at = lineEnd + 2
    if (size === 0) {
      if (data.subarray(at).toString('latin1') !== '\r\n') throw new Error('malformed end of chunked body')
      return Buffer.concat(parts)
    }
    parts.push(data.subarray(at, at + size))
    at += size
    if (data.subarray(at, at + 2).toString('latin1') !== '\r\n') throw new Error('chunk not followed by CRLF')
    at += 2
  }
}

/** Runs `task` over `items`, `limit` at a time, in order of start. */
export async function eachLimited<T> (items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T
      await task(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
