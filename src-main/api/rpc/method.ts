import { Ajv } from 'ajv'
import type { ValidateFunction, ErrorObject, AnySchema } from 'ajv'
import { InvalidParamsError } from '../errors.js'
import type { ParamRule } from '../errors.js'
import type { RpcMethodName, RpcMethods } from '../rpc-types.js'

/** One named parameter. Positional calls fill them in this order. */
export interface RpcParam {
  name: string
  schema: AnySchema
  optional?: boolean
}

export interface RpcContext {
  /** How the request arrived. */
  transport: 'http' | 'ws' | 'ipc'
  /** Whether the caller proved it holds the node's API token (IPC: the app's own window). */
  authenticated: boolean
}

export interface RpcMethod<M extends RpcMethodName = RpcMethodName> {
  name: M
  description: string
  params: readonly RpcParam[]
  /**
   * Methods that change the node other than through a signed transaction, and reads of what only
   * its owner may see (jobs, files and paths, keys, peers and their addresses, pins, settings,
   * logs), need the API token. Reads of published content and `publish` (whose signature is its
   * authorization) do not; docs/SECURITY.md lists them and says why.
   */
  requiresToken?: boolean
  /**
   * A read whose result depends only on its params, on whether the caller holds the token and on
   * what the store holds: its answers may be served from the dispatcher's read cache until the
   * store changes (read-cache.ts). Never for anything that reads the clock, peers, files or memory.
   */
  cacheable?: boolean
  handler(params: Record<string, unknown>, context: RpcContext): Promise<RpcMethods[M]['result']> | RpcMethods[M]['result']
}

/** A method whose params are checked before its handler runs. */
export interface CompiledMethod {
  method: RpcMethod
  /** Normalises positional or named params into a checked object, or throws InvalidParamsError. */
  bind(params: unknown): Record<string, unknown>
}

const ajv = new Ajv({ allErrors: false, strict: true })

export function defineMethod<M extends RpcMethodName> (method: RpcMethod<M>): RpcMethod<M> {
  return method
}

export function compileMethod (method: RpcMethod): CompiledMethod {
  const names = method.params.map(p => p.name)
  const validate: ValidateFunction = ajv.compile({
    type: 'object',
    properties: Object.fromEntries(method.params.map(p => [p.name, p.schema])),
    required: method.params.filter(p => p.optional !== true).map(p => p.name),
    additionalProperties: false,
  })

  return {
    method,
    bind (params: unknown): Record<string, unknown> {
      let named: Record<string, unknown>
      if (params === undefined) {
        named = {}
      } else if (Array.isArray(params)) {
        if (params.length > names.length) {
          throw new InvalidParamsError(`${method.name} takes at most ${names.length} parameter${names.length === 1 ? '' : 's'} (${names.join(', ') || 'none'}), got ${params.length}`)
        }
        named = Object.fromEntries(params.map((value: unknown, i) => [names[i], value]))
      } else {
        named = { ...(params as Record<string, unknown>) }
      }
      if (!validate(named)) throw describe(validate.errors?.[0], method.name)
      return named
    },
  }
}

/** One ajv error as a sentence that names the parameter. */
function describe (error: ErrorObject | undefined, methodName: string): InvalidParamsError {
  if (error === undefined) return new InvalidParamsError(`${methodName}: parameters rejected`)
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty)
    const within = error.instancePath.replace(/^\//, '').replace(/\//g, '.')
    if (within !== '') return new InvalidParamsError(`${within} has no field named "${extra}"`, within.split('.')[0], { keyword: error.keyword })
    return new InvalidParamsError(`${methodName} has no parameter named "${extra}"`, extra, { keyword: error.keyword })
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty)
    return new InvalidParamsError(`${missing} is required`, missing, { keyword: error.keyword })
  }
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.')
  // For a closed list (columns, operators…), say what is allowed, not only that this is not it.
  const allowed = error.keyword === 'enum' ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.map(v => JSON.stringify(v)).join(', ')}` : ''
  return new InvalidParamsError(`${field} ${error.message ?? 'is invalid'}${allowed}`, field.split('.')[0], ruleOf(error, field))
}

/** The rule and its bound, and for a field inside a parameter (options.chain_id), that field's name. */
function ruleOf (error: ErrorObject, field: string): ParamRule {
  const limit = (error.params as { limit?: unknown }).limit
  const inner = field.split('.').slice(1).filter(part => !/^\d+$/.test(part)).at(-1)
  return { keyword: error.keyword, ...(typeof limit === 'number' ? { limit } : {}), ...(inner === undefined ? {} : { property: inner }) }
}
