import path from 'node:path'
import type { Exporter } from '../../lineage/export/index.js'
import type { JobHistory } from '../../lineage/job-history/index.js'
import { jobReporter } from '../events.js'
import type { JobEvents } from '../events.js'
import type { ExportStatusInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface ExportMethodsComponents {
  exporter: Exporter
  /** Where export runs report progress (the WebSocket forwards it); none in unit tests. */
  events?: JobEvents
  /** Where finished exports are kept for the creator's history; none in unit tests. */
  jobHistory?: Pick<JobHistory, 'recordExport'>
}

const key = { type: 'string', minLength: 1, maxLength: 128 }
const target = { name: 'path', schema: { type: 'string', minLength: 1, maxLength: 4096 } }

/**
 * export_car: a CAR file of a token, a collection, or everything the node keeps. An export of a
 * large node takes a while: export_status follows it and export_cancel stops it (by its path,
 * which no other export can share, since the file must not exist).
 */
export function exportMethods ({ exporter, events, jobHistory }: ExportMethodsComponents): RpcMethod[] {
  const running = new Map<string, { controller: AbortController, blocks: number, bytes: number }>()
  const status = (file: string): ExportStatusInfo => {
    const run = running.get(path.normalize(file))
    return { path: file, running: run !== undefined, blocks: run?.blocks ?? 0, bytes: run?.bytes ?? 0 }
  }
  return [
    defineMethod({
      name: 'export_car',
      requiresToken: true,
      description: 'Writes a CAR v1 file (absolute path, must not exist) of the slot heads of one token (data_key), one collection (token_key), or of every slot head and pin, with their histories, the signed transactions and the deployed contracts they need; answers when the file is complete.',
      params: [
        target,
        { name: 'options', schema: { type: 'object', properties: { token_key: key, data_key: key }, additionalProperties: false }, optional: true },
      ],
      handler: async p => {
        const options = (p.options ?? {}) as { token_key?: string, data_key?: string }
        const file = p.path as string
        const report = jobReporter(events, 'export', { path: file })
        const run = { controller: new AbortController(), blocks: 0, bytes: 0 }
        const id = path.normalize(file)
        running.set(id, run)
        const startedAt = Date.now()
        const keep = (state: 'done' | 'failed' | 'cancelled', error?: string, transactions = 0): void => {
          jobHistory?.recordExport({ path: file, ...options, state, blocks: run.blocks, bytes: run.bytes, transactions, started_at: startedAt, ...(error === undefined ? {} : { error }) })
        }
        try {
          const result = await report.track(async () => await exporter.export({
            path: file,
            ...(options.token_key === undefined ? {} : { tokenKey: options.token_key }),
            ...(options.data_key === undefined ? {} : { dataKey: options.data_key }),
          }, {
            signal: run.controller.signal,
            onProgress: ({ blocks, bytes }) => {
              run.blocks = blocks
              run.bytes = bytes
              report.progress({ blocks, bytes })
            },
          }), result => result)
          run.blocks = result.blocks
          run.bytes = result.bytes
          keep('done', undefined, result.transactions)
          return result
        } catch (err) {
          // A refused path is the form's error, said at once; an export that ran is kept, however it ended.
          if ((err as Error).name !== 'ExportPathError') keep(run.controller.signal.aborted ? 'cancelled' : 'failed', (err as Error).message)
          throw err
        } finally {
          if (running.get(id) === run) running.delete(id)
        }
      },
    }),
    defineMethod({
      name: 'export_status',
      requiresToken: true,
      description: 'How far the export to this path is (blocks and bytes written), or running: false.',
      params: [target],
      handler: p => status(p.path as string),
    }),
    defineMethod({
      name: 'export_cancel',
      requiresToken: true,
      description: 'Stops the export to this path; its export_car call answers with a cancelled error and no file is left.',
      params: [target],
      handler: p => {
        running.get(path.normalize(p.path as string))?.controller.abort()
        return status(p.path as string)
      },
    }),
  ] as RpcMethod[]
}
