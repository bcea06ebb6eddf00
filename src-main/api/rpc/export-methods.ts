import type { Exporter } from '../../lineage/export/index.js'
import { jobReporter } from '../events.js'
import type { JobEvents } from '../events.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface ExportMethodsComponents {
  exporter: Exporter
  /** Where export runs report progress (the WebSocket forwards it); none in unit tests. */
  events?: JobEvents
}

const key = { type: 'string', minLength: 1, maxLength: 128 }

/** export_car: a CAR file of a token, a collection, or everything the node keeps. */
export function exportMethods ({ exporter, events }: ExportMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'export_car',
      requiresToken: true,
      description: 'Writes a CAR v1 file (absolute path, must not exist) of the slot heads of one token (data_key), one collection (token_key), or of every slot head and pin, with their histories.',
      params: [
        { name: 'path', schema: { type: 'string', minLength: 1, maxLength: 4096 } },
        { name: 'options', schema: { type: 'object', properties: { token_key: key, data_key: key }, additionalProperties: false }, optional: true },
      ],
      handler: async p => {
        const options = (p.options ?? {}) as { token_key?: string, data_key?: string }
        const report = jobReporter(events, 'export', { path: p.path as string })
        return await report.track(async () => await exporter.export({
          path: p.path as string,
          ...(options.token_key === undefined ? {} : { tokenKey: options.token_key }),
          ...(options.data_key === undefined ? {} : { dataKey: options.data_key }),
        }, { onProgress: ({ blocks, bytes }) => { report.progress({ blocks, bytes }) } }), result => result)
      },
    }),
  ] as RpcMethod[]
}
