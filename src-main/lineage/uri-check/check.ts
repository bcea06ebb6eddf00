import { URI_CHECK_MAX_BYTES, URI_CHECK_MAX_REDIRECTS, URI_CHECK_TIMEOUT_MS, URI_CHECK_USER_AGENT } from './constants.js'
import { resolveTokenUri } from './resolve.js'

/** What a marketplace would have got from a tokenURI, and what it would make of it. */
export interface TokenUriCheck {
  /** Answered 200 with a JSON object that has a non-empty `name`: a marketplace shows the token. */
  ok: boolean
  /** The http(s) address fetched first (an ipfs:// URI resolved through a gateway). */
  url: string
  /** Redirects followed. */
  redirects: number
  /** The last answer's HTTP status; null when nothing answered. */
  status: number | null
  content_type: string | null
  /** Bytes of the body read (at most the size cap). */
  bytes: number
  elapsed_ms: number
  name?: string
  image?: string
  /** Why a marketplace would not show the token, in plain words. */
  problem?: string
}

export interface TokenUriCheckerInit {
  timeoutMs?: number
  maxRedirects?: number
  maxBytes?: number
}

export interface TokenUriChecker {
  /**
   * Fetches `uri` as a marketplace does (GET, `Accept: application/json`, no cookies, redirects
   * followed up to a bound, a size cap and a time limit) and judges the document. Failures to
   * fetch are part of the answer; only an address that is not http(s) or ipfs:// throws
   * (CheckedUriError), before anything is fetched.
   */
  check(uri: string, options: { ipfsGateway: string, signal?: AbortSignal }): Promise<TokenUriCheck>
}

class StopError extends Error {
  override readonly name = 'StopError'
}

/** The reason a connection failed, in words (undici puts the system's code on `cause`). */
function connectionProblem (err: unknown, url: URL): string {
  const cause = (err as { cause?: { code?: unknown, message?: unknown } }).cause
  const code = typeof cause?.code === 'string' ? cause.code : ''
  const where = url.host
  if (code === 'ECONNREFUSED') return `nothing answered at ${where} (connection refused)`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the name ${url.hostname} was not found`
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `${where} cut the connection`
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return `the HTTPS certificate of ${where} is not valid (${code})`
  // The Fetch standard's blocked ports (SMTP, IRC…): browsers refuse them too.
  if (cause?.message === 'bad port') return `port ${url.port} is one that browsers and marketplaces refuse to fetch from`
  return `the request to ${where} failed${code === '' ? '' : ` (${code})`}`
}

/** Reads at most `max` bytes of a body; throws StopError past it. */
async function readCapped (body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      throw new StopError(`larger than ${formatBytes(max)}`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

function formatBytes (bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`
}

/** What a marketplace makes of a 200's body: JSON with a name (and an image, shown if present). */
function judge (body: Uint8Array): Pick<TokenUriCheck, 'ok' | 'name' | 'image' | 'problem'> {
  let document: unknown
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body))
  } catch {
    return { ok: false, problem: 'not JSON' }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return { ok: false, problem: 'not a JSON object' }
  const { name, image } = document as { name?: unknown, image?: unknown }
  const shown = typeof image === 'string' && image !== '' ? { image } : {}
  if (typeof name !== 'string' || name.trim() === '') return { ok: false, ...shown, problem: 'no metadata name field' }
  return { ok: true, name, ...shown }
}

export function createTokenUriChecker (init: TokenUriCheckerInit = {}): TokenUriChecker {
  const timeoutMs = init.timeoutMs ?? URI_CHECK_TIMEOUT_MS
  const maxRedirects = init.maxRedirects ?? URI_CHECK_MAX_REDIRECTS
  const maxBytes = init.maxBytes ?? URI_CHECK_MAX_BYTES
  return {
    async check (uri, { ipfsGateway, signal }) {
      const url = resolveTokenUri(uri, ipfsGateway)
      const started = performance.now()
      const deadline = AbortSignal.timeout(timeoutMs)
      const aborted = signal === undefined ? deadline : AbortSignal.any([deadline, signal])
      const answer: TokenUriCheck = { ok: false, url, redirects: 0, status: null, content_type: null, bytes: 0, elapsed_ms: 0 }
      const finish = (rest: Partial<TokenUriCheck>): TokenUriCheck => ({ ...answer, ...rest, elapsed_ms: Math.round(performance.now() - started) })
      let current = new URL(url)
      try {
        for (;;) {
          const response = await fetch(current, {
            method: 'GET',
            redirect: 'manual',
            credentials: 'omit',
            headers: { accept: 'application/json', 'user-agent': URI_CHECK_USER_AGENT },
            signal: aborted,
          })
          answer.status = response.status
          answer.content_type = response.headers.get('content-type')
          const location = response.headers.get('location')
          if (response.status >= 300 && response.status < 400 && location !== null) {
            await response.body?.cancel()
            if (answer.redirects === maxRedirects) return finish({ problem: `redirected more than ${maxRedirects} times (a redirect loop?)` })
            const next = URL.canParse(location, current.href) ? new URL(location, current) : null
            if (next === null || (next.protocol !== 'http:' && next.protocol !== 'https:')) return finish({ problem: `redirected to "${location.slice(0, 80)}", which a marketplace cannot follow` })
            answer.redirects++
            current = next
            continue
          }
          if (response.status !== 200) {
            // A marketplace reads no further: the status is the answer.
            await response.body?.cancel()
            return finish({ problem: `answered ${response.status}` })
          }
          const declared = Number(response.headers.get('content-length') ?? NaN)
          if (declared > maxBytes) {
            await response.body?.cancel()
            return finish({ problem: `larger than ${formatBytes(maxBytes)}` })
          }
          const body = await readCapped(response.body, maxBytes)
          answer.bytes = body.byteLength
          return finish(judge(body))
        }
      } catch (err) {
        if (err instanceof StopError) return finish({ problem: err.message })
        if (deadline.aborted) return finish({ problem: `took longer than ${timeoutMs / 1000} s` })
        if (signal?.aborted === true) throw err
        return finish({ status: null, problem: connectionProblem(err, current) })
      }
    },
  }
}
