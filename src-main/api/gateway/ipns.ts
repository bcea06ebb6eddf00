import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IpnsNames } from '../../dht/index.js'
import { encodePathSegment, quoted } from '../http-text.js'
import { IPNS_CACHE_SECONDS, MAX_PATH_SEGMENTS } from './constants.js'

export interface IpnsRoutesComponents {
  /** The node's own IPNS names; without them every /ipns/ name is unknown. */
  ipns?: Pick<IpnsNames, 'resolve'>
}

type IpnsRequest = FastifyRequest<{ Params: { name: string, '*'?: string }, Querystring: { format?: string | string[] } }>

function fail (reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).header('access-control-allow-origin', '*').header('cache-control', 'no-store').type('application/json').send({ error })
}

/**
 * `/ipns/<name>[/path]`: the node's own names only (a collection's name, ipns_publish), never a
 * stranger's looked up on the network, so the gateway cannot be made to walk the DHT. Answered
 * with a redirect to `/ipfs/<cid>[/path]` (`?format=raw|car` kept): the mutable name is cached briefly, the
 * immutable content for good, and the content is served by the one /ipfs/ handler.
 */
export function registerIpnsRoutes (app: FastifyInstance, { ipns }: IpnsRoutesComponents): void {
  app.get('/ipns/:name/*', handler)
  app.get('/ipns/:name', handler)

  async function handler (request: IpnsRequest, reply: FastifyReply): Promise<FastifyReply> {
    const segments = (request.params['*'] ?? '').split('/').filter(s => s !== '')
    if (segments.length > MAX_PATH_SEGMENTS) return fail(reply, 400, `Paths are limited to ${MAX_PATH_SEGMENTS} segments.`)
    let value: string
    try {
      if (ipns === undefined) return fail(reply, 404, `This node keeps no IPNS name ${quoted(request.params.name)}.`)
      value = ipns.resolve(request.params.name).value
    } catch (err) {
      const name = (err as { name?: unknown }).name
      if (name === 'InvalidIpnsNameError') return fail(reply, 400, `${quoted(request.params.name)} is not an IPNS name (a key such as k51qzi5uqu5d…).`)
      if (name === 'IpnsNameNotFoundError') return fail(reply, 404, `This node keeps no IPNS name ${quoted(request.params.name)}; it serves only its own collections' names.`)
      throw err
    }
    let below = ''
    for (const segment of segments) below += `/${encodePathSegment(segment)}`
    // Only what /ipfs/ reads is passed on, so nothing a client sent lands in the header unchecked.
    const format = request.query.format
    const query = format === 'raw' || format === 'car' ? `?format=${format}` : ''
    return reply.code(302)
      .header('access-control-allow-origin', '*')
      .header('cache-control', `public, max-age=${IPNS_CACHE_SECONDS}`)
      .header('x-ipfs-path', `/ipns/${encodePathSegment(request.params.name)}${below}`)
      .header('location', `${value}${below}${query}`)
      .send()
  }
}
