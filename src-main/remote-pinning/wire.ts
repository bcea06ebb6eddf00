import { Ajv } from 'ajv'
import type { ErrorObject, JSONSchemaType } from 'ajv'
import { MAX_DELEGATES } from './constants.js'

/** The four states of a pin request in the IPFS Pinning Service API. */
export const REMOTE_PIN_STATUSES = ['queued', 'pinning', 'pinned', 'failed'] as const
export type RemotePinStatus = typeof REMOTE_PIN_STATUSES[number]

/** A PinStatus object as a service sends it (the fields we use; others are ignored). */
export interface WirePinStatus {
  requestid: string
  status: RemotePinStatus
  created: string
  pin: { cid: string, name?: string }
  delegates: string[]
  info?: Record<string, string>
}

/** The body of an error answer: `{ error: { reason, details? } }`. */
export interface WireFailure {
  error: { reason: string, details?: string }
}

/**
 * The spec's schemas, reduced to what a client relies on. Unknown extra fields are allowed:
 * services add their own, and the spec says clients ignore them. The spec's `uniqueItems` and
 * `minItems: 1` on delegates are not enforced: real services send duplicates or none, and
 * nothing here depends on either.
 */
const pinStatusSchema: JSONSchemaType<WirePinStatus> = {
  type: 'object',
  required: ['requestid', 'status', 'created', 'pin', 'delegates'],
  properties: {
    requestid: { type: 'string', minLength: 1, maxLength: 1024 },
    status: { type: 'string', enum: [...REMOTE_PIN_STATUSES] },
    created: { type: 'string', maxLength: 64 },
    pin: {
      type: 'object',
      required: ['cid'],
      properties: { cid: { type: 'string', maxLength: 1024 }, name: { type: 'string', nullable: true } },
    },
    delegates: { type: 'array', items: { type: 'string', maxLength: 1024 }, maxItems: MAX_DELEGATES },
    info: { type: 'object', nullable: true, required: [], additionalProperties: { type: 'string' } },
  },
}

const failureSchema: JSONSchemaType<WireFailure> = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['reason'],
      properties: { reason: { type: 'string' }, details: { type: 'string', nullable: true } },
    },
  },
}

const ajv = new Ajv({ allErrors: false, strict: false })
const checkPinStatus = ajv.compile(pinStatusSchema)
const checkFailure = ajv.compile(failureSchema)

/** The PinStatus in `body`, or a sentence saying what is wrong with it. */
export function parsePinStatus (body: unknown): WirePinStatus | string {
  if (!checkPinStatus(body)) return describe(checkPinStatus.errors?.[0])
  // RFC 3339 date-time; ajv-formats is not a dependency, and Date.parse accepts every RFC 3339 form.
  if (Number.isNaN(Date.parse(body.created))) return `created is not a date-time ("${body.created.slice(0, 64)}")`
  return body
}

/** The error body of a failed answer, when it has the spec's shape. */
export function parseFailure (body: unknown): WireFailure | undefined {
  return checkFailure(body) ? body : undefined
}

function describe (error: ErrorObject | undefined): string {
  if (error === undefined) return 'the PinStatus is malformed'
  const where = error.instancePath === '' ? 'the PinStatus' : error.instancePath.slice(1).replace(/\//g, '.')
  return `${where} ${error.message ?? 'is invalid'}`
}
