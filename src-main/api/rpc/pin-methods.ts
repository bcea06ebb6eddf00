import type { Pins } from '../../lineage/pins/index.js'
import { MAX_CID_TEXT_LENGTH, MAX_PIN_NAME_LENGTH, toCid } from '../../lineage/pins/index.js'
import { InvalidParamsError } from '../errors.js'
import { jobReporter } from '../events.js'
import type { JobEvents } from '../events.js'
import { defineMethod } from './method.js'
import type { RpcMethod, RpcParam } from './method.js'

export interface PinMethodsComponents {
  pins: Pins
  /** Where pin and GC runs report progress (the WebSocket forwards it); none in unit tests. */
  events?: JobEvents
}

const cid = (optional = false): RpcParam => ({ name: 'cid', schema: { type: 'string', minLength: 1, maxLength: MAX_CID_TEXT_LENGTH }, optional })

/**
 * Runs a pin operation, reporting a malformed CID or name as invalid params naming the field,
 * the same answer a failed schema check gives.
 */
async function withParams<T> (run: () => Promise<T> | T): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const { name, field, message } = err as { name?: unknown, field?: unknown, message?: unknown }
    if ((name === 'InvalidCidError' || name === 'InvalidPinNameError') && typeof field === 'string' && typeof message === 'string') {
      throw new InvalidParamsError(message, field)
    }
    throw err
  }
}

/** Pins and garbage collection (lineage/pins): pin_add, pin_cancel, pin_rm, pin_ls, gc. */
export function pinMethods ({ pins, events }: PinMethodsComponents): RpcMethod[] {
  // The pin_add runs in progress, by CIDv1, so pin_cancel can stop a pin that is fetching from peers.
  const running = new Map<string, Set<AbortController>>()
  const runKey = (cid: string): string => toCid(cid).toV1().toString()
  return [
    defineMethod({
      name: 'pin_add',
      requiresToken: true,
      description: 'Pins a block, with everything it links to unless recursive is false, fetching blocks this node lacks from connected peers (bitswap); returns the pin and its size.',
      params: [
        cid(),
        { name: 'recursive', schema: { type: 'boolean' }, optional: true },
        { name: 'name', schema: { type: 'string', maxLength: MAX_PIN_NAME_LENGTH }, optional: true },
      ],
      handler: async p => {
        const report = jobReporter(events, 'pin', { cid: p.cid as string })
        const controller = new AbortController()
        return await report.track(async () => await withParams(async () => {
          const key = runKey(p.cid as string)
          const runs = running.get(key) ?? new Set()
          running.set(key, runs.add(controller))
          try {
            return await pins.add(p.cid as string, {
              signal: controller.signal,
              recursive: (p.recursive as boolean | undefined) ?? true,
              ...(p.name === undefined ? {} : { name: p.name as string }),
              onProgress: ({ blocks, bytes, fetchedBlocks, fetchedBytes }) => {
                report.progress({ blocks, bytes, ...(fetchedBlocks === undefined ? {} : { fetched_blocks: fetchedBlocks, fetched_bytes: fetchedBytes ?? 0 }) })
              },
            })
          } finally {
            runs.delete(controller)
            if (runs.size === 0) running.delete(key)
          }
        }), pin => pin)
      },
    }),
    defineMethod({
      name: 'pin_cancel',
      requiresToken: true,
      description: 'Stops every pin_add of this CID in progress (one fetching blocks from peers); each ends with a "cancelled" error and pins nothing.',
      params: [cid()],
      handler: async p => await withParams(() => {
        const key = runKey(p.cid as string)
        const runs = [...running.get(key) ?? []]
        for (const controller of runs) controller.abort()
        return { cid: key, cancelled: runs.length }
      }),
    }),
    defineMethod({
      name: 'pin_rm',
      requiresToken: true,
      description: 'Removes a pin; its blocks stay until the next gc.',
      params: [cid()],
      handler: async p => await withParams(() => pins.rm(p.cid as string)),
    }),
    defineMethod({
      name: 'pin_ls',
      requiresToken: true,
      description: 'Every pin with the blocks and bytes it protects, or the pin of one CID (empty when it is not pinned).',
      params: [cid(true)],
      handler: async p => await withParams(() => pins.ls(p.cid === undefined ? {} : { cid: p.cid as string })),
    }),
    defineMethod({
      name: 'gc',
      requiresToken: true,
      description: 'Deletes every block no pin, slot head or meta contract reaches; dry_run reports the same list without deleting.',
      params: [{ name: 'dry_run', schema: { type: 'boolean' }, optional: true }],
      handler: async p => {
        const dryRun = p.dry_run === true
        const report = jobReporter(events, 'gc', { dry_run: dryRun })
        return await report.track(async () => await pins.gc({
          dryRun,
          onProgress: ({ phase, checked, freed, bytes }) => { report.progress({ phase, checked, freed, bytes }) },
        }), result => ({ freed: result.freed.length, bytes: result.bytes }))
      },
    }),
  ]
}
