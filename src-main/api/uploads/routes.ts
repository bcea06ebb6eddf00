import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Readable } from 'node:stream'
import { refuse } from '../refusals.js'
import { UPLOADS_PATH } from './constants.js'
import type { Uploads } from './uploads.js'

export interface UploadRoutesComponents {
  uploads: Uploads
  /** Whether a request may upload: it holds the API token and comes from the node's own UI (or no web page). */
  authorize: (request: FastifyRequest) => 'ok' | 'no-token' | 'other-origin'
  /** Largest body a route takes (the uploads' own limits are checked as the bytes arrive). */
  bodyLimit: number
}

/** The HTTP status of each refusal; anything else is the server's own failure. */
const STATUS: Record<string, number> = {
  UploadNotFoundError: 404,
  UploadNameError: 400,
  UploadExistsError: 409,
  UploadTooLargeError: 413,
  UploadLimitError: 429,
}
/** The client went away mid-file (a cancelled upload): nothing to answer, nothing kept. */
const GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'ECONNABORTED'])

/**
 * The upload endpoints of browser mode (docs/DESKTOP.md): `POST /uploads` opens an upload,
 * `?folder=<name>` names the folder its files go in, `PUT /uploads/<id>/<name>` streams one file into it (any Content-Type: the bytes are kept as
 * sent), `DELETE /uploads/<id>` cancels it and deletes its files. Every one needs the API token.
 */
export async function registerUploadRoutes (app: FastifyInstance, components: UploadRoutesComponents): Promise<void> {
  const { uploads, authorize } = components
  await app.register(async scope => {
    // The body is the file: handed over as a stream, never parsed or held whole.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', (_request, payload, done) => { done(null, payload) })
    scope.addHook('preHandler', async (request, reply) => {
      const verdict = authorize(request)
      if (verdict === 'other-origin') return refuse(request, reply.header('connection', 'close'), 403, 'Uploads are only accepted from the node\'s own UI.')
      if (verdict === 'no-token') return refuse(request, reply.header('connection', 'close'), 401, 'Uploads need the node\'s access token (Authorization: Bearer <token>).')
    })
    const fail = (request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply => {
      const status = STATUS[(err as Error).name]
      if (status === undefined && !GONE.has((err as { code?: string }).code ?? '')) throw err
      // Unread bytes may still be on their way: this connection is not reused.
      return refuse(request, reply.header('connection', 'close'), status ?? 400, (err as Error).message)
    }

    scope.post<{ Querystring: { folder?: unknown } }>(UPLOADS_PATH, async (request, reply) => {
      try {
        const folder = request.query.folder
        return await reply.code(201).header('cache-control', 'no-store').send(uploads.create(typeof folder === 'string' ? folder : undefined))
      } catch (err) {
        return fail(request, reply, err)
      }
    })
    scope.put<{ Params: { id: string, name: string } }>(`${UPLOADS_PATH}/:id/:name`, { bodyLimit: components.bodyLimit }, async (request, reply) => {
      const length = request.headers['content-length']
      const declared = length === undefined ? undefined : Number(length)
      try {
        // An empty file comes without a body to parse.
        const body = request.body instanceof Readable ? request.body : Readable.from([])
        return await reply.header('cache-control', 'no-store').send(await uploads.write(request.params.id, request.params.name, body, declared))
      } catch (err) {
        return fail(request, reply, err)
      }
    })
    scope.delete<{ Params: { id: string } }>(`${UPLOADS_PATH}/:id`, async (request, reply) => {
      try {
        uploads.remove(request.params.id)
        return await reply.header('cache-control', 'no-store').send({ removed: true })
      } catch (err) {
        return fail(request, reply, err)
      }
    })
  })
}
