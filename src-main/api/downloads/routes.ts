import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Exporter } from '../../lineage/export/index.js'
import type { JobHistory } from '../../lineage/job-history/index.js'
import { refuse } from '../refusals.js'
import { DEFAULT_DOWNLOAD_NAME, DOWNLOADS_PATH, MAX_DOWNLOAD_NAME_CHARS } from './constants.js'
import { DownloadTickets } from './tickets.js'

export interface DownloadRoutesComponents {
  exporter: Pick<Exporter, 'open'>
  /** Whether a request may open a download: it holds the API token and comes from the node's own UI (or no web page). */
  authorize: (request: FastifyRequest) => 'ok' | 'no-token' | 'other-origin'
  /** Where a finished download is kept with the other exports, as the creator's history shows them. */
  jobHistory?: Pick<JobHistory, 'recordExport'>
}

/** The HTTP status of each refusal; anything else is the server's own failure. */
const STATUS: Record<string, number> = {
  DownloadNotFoundError: 404,
  DownloadLimitError: 429,
  NothingToExportError: 404,
}

/** Fetch metadata a browser sends with a request a page of this node made, or the person typed. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none'])

/** A name safe in a Content-Disposition header and on any file system, ending in .car. */
export function downloadName (suggested: unknown): string {
  if (typeof suggested !== 'string') return DEFAULT_DOWNLOAD_NAME
  const base = suggested.replace(/\.car$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, MAX_DOWNLOAD_NAME_CHARS - 4)
  return base === '' ? DEFAULT_DOWNLOAD_NAME : `${base}.car`
}

/**
 * The download endpoints of browser mode (docs/DESKTOP.md): a page cannot put the API token on a
 * link the browser downloads, so `POST /downloads?token_key=<key>&name=<file>` (API token, the
 * node's own UI) opens the export at once and answers a single-use link valid for a minute;
 * `GET /downloads/<ticket>` streams its CAR as an attachment, so the browser saves it with its own
 * progress and cancel. No token_key: everything the node keeps.
 */
export async function registerDownloadRoutes (app: FastifyInstance, components: DownloadRoutesComponents): Promise<void> {
  const { exporter, authorize, jobHistory } = components
  const tickets = new DownloadTickets()
  app.addHook('onClose', async () => { tickets.clear() })
  const fail = (request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply => {
    const status = STATUS[(err as Error).name]
    if (status === undefined) throw err
    return refuse(request, reply, status, (err as Error).message)
  }

  app.post<{ Querystring: { token_key?: unknown, name?: unknown } }>(DOWNLOADS_PATH, async (request, reply) => {
    const verdict = authorize(request)
    if (verdict === 'other-origin') return refuse(request, reply, 403, 'Downloads are only given to the node\'s own UI.')
    if (verdict === 'no-token') return refuse(request, reply, 401, 'Downloads need the node\'s access token (Authorization: Bearer <token>).')
    const tokenKey = request.query.token_key
    if (tokenKey !== undefined && (typeof tokenKey !== 'string' || tokenKey === '' || tokenKey.length > 128)) return refuse(request, reply, 400, 'token_key: name one collection by its key (at most 128 characters), or leave it out for everything.')
    try {
      const stream = exporter.open(tokenKey === undefined ? {} : { tokenKey })
      const name = downloadName(request.query.name)
      const ticket = tickets.add({ stream, name, ...(typeof tokenKey === 'string' ? { tokenKey } : {}) })
      return await reply.code(201).header('cache-control', 'no-store').send({ url: `${DOWNLOADS_PATH}/${ticket}`, name, roots: stream.roots, transactions: stream.transactions, heads: stream.heads, pins: stream.pins, contracts: stream.contracts })
    } catch (err) {
      return fail(request, reply, err)
    }
  })

  app.get<{ Params: { ticket: string } }>(`${DOWNLOADS_PATH}/:ticket`, async (request, reply) => {
    // The ticket is the credential; a browser still says where the request came from.
    const site = request.headers['sec-fetch-site']
    if (site !== undefined && !OWN_FETCH_SITES.has(site)) return refuse(request, reply, 403, 'Downloads are only given to the node\'s own UI.')
    try {
      const { stream, name, tokenKey } = tickets.use(request.params.ticket)
      const startedAt = Date.now()
      const sent = { blocks: 0, bytes: 0 }
      let state: 'done' | 'failed' | 'cancelled' = 'cancelled'
      let error: string | undefined
      // Kept once, however the download ends: the whole file sent, the browser gone, or a failure.
      const keep = (): void => {
        jobHistory?.recordExport({ path: `${name} (browser download)`, ...(tokenKey === undefined ? {} : { token_key: tokenKey }), state, blocks: sent.blocks, bytes: sent.bytes, transactions: stream.transactions, started_at: startedAt, ...(error === undefined ? {} : { error }) })
      }
      async function * body (): AsyncGenerator<Uint8Array> {
        try {
          yield * stream.body({ onProgress: ({ blocks, bytes }) => { sent.blocks = blocks; sent.bytes = bytes } })
          state = 'done'
        } catch (err) {
          state = 'failed'
          error = (err as Error).message
          throw err
        } finally {
          keep()
        }
      }
      // A client that goes away mid-file destroys the stream, which ends the export and frees its snapshot.
      return await reply
        .header('content-type', 'application/vnd.ipld.car; version=1')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(body()))
    } catch (err) {
      return fail(request, reply, err)
    }
  })
}
