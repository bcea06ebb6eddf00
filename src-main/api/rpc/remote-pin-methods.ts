import { MAX_CID_TEXT_LENGTH } from '../../lineage/pins/index.js'
import { MAX_ENDPOINT_LENGTH, MAX_REMOTE_PIN_NAME_LENGTH, MAX_TOKEN_LENGTH, REMOTE_PIN_STATUSES } from '../../remote-pinning/index.js'
import type { RemotePinning } from '../../remote-pinning/index.js'
import { InvalidParamsError } from '../errors.js'
import { publicReasons } from '../public-text.js'
import { defineMethod } from './method.js'
import type { RpcMethod, RpcParam } from './method.js'

export interface RemotePinMethodsComponents {
  /** Absent where a node part is built without it (unit tests of other groups): no remote_pin_* methods then. */
  remotePinning?: RemotePinning
}

const serviceName: RpcParam = { name: 'service', schema: { type: 'string', minLength: 1, maxLength: 64 } }
const cid: RpcParam = { name: 'cid', schema: { type: 'string', minLength: 1, maxLength: MAX_CID_TEXT_LENGTH } }

/** Errors about one input (a CID, a service's endpoint…) are invalid params naming the field. */
const FIELD_ERRORS = new Set(['InvalidCidError', 'InvalidServiceConfigError', 'InvalidRemotePinError'])

async function withParams<T> (run: () => Promise<T> | T): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const { name, field, message } = err as { name?: unknown, field?: unknown, message?: unknown }
    if (typeof name === 'string' && FIELD_ERRORS.has(name) && typeof field === 'string' && typeof message === 'string') throw new InvalidParamsError(message, field)
    throw err
  }
}

/** Remote pinning (remote-pinning/): services speaking the IPFS Pinning Service API, and the pins pushed to them. */
export function remotePinMethods ({ remotePinning: remote }: RemotePinMethodsComponents): RpcMethod[] {
  if (remote === undefined) return []
  return [
    defineMethod({
      name: 'remote_pin_service_add',
      requiresToken: true,
      description: 'Configures a pinning service (IPFS Pinning Service API) by name, endpoint and access token; the token is kept by the node and never returned.',
      params: [
        { name: 'name', schema: { type: 'string', maxLength: 64 } },
        { name: 'endpoint', schema: { type: 'string', maxLength: MAX_ENDPOINT_LENGTH } },
        { name: 'token', schema: { type: 'string', maxLength: MAX_TOKEN_LENGTH } },
        { name: 'auto_pin', schema: { type: 'boolean' }, optional: true },
      ],
      handler: async p => await withParams(() => remote.addService({ name: p.name, endpoint: p.endpoint, token: p.token, auto_pin: p.auto_pin })),
    }),
    defineMethod({
      name: 'remote_pin_service_rm',
      requiresToken: true,
      description: 'Forgets a pinning service and the requests made to it (the service keeps its pins).',
      params: [{ name: 'name', schema: { type: 'string', minLength: 1, maxLength: 64 } }],
      handler: async p => await withParams(() => remote.removeService(p.name as string)),
    }),
    defineMethod({
      name: 'remote_pin_service_ls',
      requiresToken: true,
      description: 'Every configured pinning service, with its token masked and its pins counted by status.',
      params: [],
      handler: () => remote.services(),
    }),
    defineMethod({
      name: 'remote_pin_add',
      requiresToken: true,
      description: 'Asks a pinning service to pin a CID pinned on this node, and follows the request until it is pinned or failed.',
      params: [cid, serviceName, { name: 'name', schema: { type: 'string', maxLength: MAX_REMOTE_PIN_NAME_LENGTH }, optional: true }],
      handler: async p => publicReasons(await withParams(async () => await remote.add(p.cid as string, p.service as string, p.name === undefined ? {} : { name: p.name as string })), []),
    }),
    defineMethod({
      name: 'remote_pin_rm',
      requiresToken: true,
      description: 'Removes a pin request at the service, then here.',
      params: [cid, serviceName],
      handler: async p => await withParams(async () => await remote.rm(p.cid as string, p.service as string)),
    }),
    defineMethod({
      name: 'remote_pin_ls',
      requiresToken: true,
      description: 'The pins pushed to pinning services with each request\'s status, optionally filtered by service, CID or status.',
      params: [{
        name: 'filter',
        optional: true,
        schema: {
          type: 'object',
          additionalProperties: false,
          properties: { service: serviceName.schema, cid: cid.schema, status: { type: 'string', enum: [...REMOTE_PIN_STATUSES] } },
        },
      }],
      // A request's reason may be a failure's message (a connection refused, the service's answer): made public.
      handler: async p => publicReasons(await withParams(() => remote.ls((p.filter ?? {}) as { service?: string, cid?: string, status?: typeof REMOTE_PIN_STATUSES[number] })), []),
    }),
  ] as RpcMethod[]
}
