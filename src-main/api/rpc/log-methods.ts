import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

import { LOG_RING_SIZE, MAX_LOG_PAGE } from './log-ring.js'
import type { LogRing } from './log-ring.js'

export { LOG_RING_SIZE, LogRing, MAX_LOG_LINE_CHARS, MAX_LOG_PAGE, RECORDED_COMPONENT_PREFIX, recordingLogger } from './log-ring.js'

export interface LogMethodsComponents {
  /** The node's ring of recent lines; none in unit tests that build the API alone. */
  logs?: LogRing
}

/** recent_logs: what the node said lately, for the UI's log screen. */
export function logMethods ({ logs }: LogMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'recent_logs',
      requiresToken: true,
      description: `The node's latest log lines (at most ${LOG_RING_SIZE} are kept), oldest first; after: only lines with a higher seq.`,
      params: [{
        name: 'options',
        optional: true,
        schema: { type: 'object', additionalProperties: false, properties: { after: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: MAX_LOG_PAGE } } },
      }],
      handler: p => {
        const o = (p.options ?? {}) as { after?: number, limit?: number }
        return logs?.recent(o.after, o.limit) ?? []
      },
    }),
  ] as RpcMethod[]
}
