import { EventEmitter } from 'node:events'
import { JOB_PROGRESS_INTERVAL_MS } from './constants.js'
import { toRpcError } from './errors.js'
import { namedPaths } from './public-text.js'
import type { LineageNotificationName, LineageNotifications } from './rpc-types.js'

/** One notification as the WebSocket sends it: a JSON-RPC method name and its params. */
export interface JobNotification<N extends LineageNotificationName = LineageNotificationName> {
  method: N
  params: LineageNotifications[N]
}

export interface JobEventsEvents {
  notification: [JobNotification]
}

/**
 * The progress of long work (imports, exports, pins, GC) for every transport that forwards
 * events. Each open WebSocket adds one listener and removes it when it closes, so there is no
 * listener limit: many UI tabs are not a leak.
 */
export class JobEvents extends EventEmitter<JobEventsEvents> {
  constructor () {
    super()
    this.setMaxListeners(0)
  }

  publish<N extends LineageNotificationName> (method: N, params: LineageNotifications[N]): void {
    this.emit('notification', { method, params } as JobNotification)
  }
}

type Area = 'export' | 'pin' | 'gc' | 'snapshot'
type ProgressOf<A extends Area> = LineageNotifications[`lineage:${A}:progress`]
type DoneOf<A extends Area> = LineageNotifications[`lineage:${A}:done`]
/** The fields that name the run in each of its events (the pinned CID, the export path…). */
type RunOf<A extends Area> = Omit<LineageNotifications[`lineage:${A}:failed`], 'error'>

/** The events of one run: progress at most every JOB_PROGRESS_INTERVAL_MS, then done or failed. */
export interface JobReporter<A extends Area> {
  progress(params: Omit<ProgressOf<A>, keyof RunOf<A>>): void
  done(params: Omit<DoneOf<A>, keyof RunOf<A>>): void
  failed(err: unknown): void
  /** Runs the work, then reports done (with what `summary` makes of its result) or failed. */
  track<T>(work: () => Promise<T>, summary: (result: T) => Omit<DoneOf<A>, keyof RunOf<A>>): Promise<T>
}

/**
 * Reports one run of `area` to `events` (nothing when there are none). Progress is throttled:
 * the first event goes out at once, later ones at most every interval, and the latest one held
 * back is sent before `done`, so a listener always sees the final totals.
 */
export function jobReporter<A extends Area> (events: JobEvents | undefined, area: A, run: RunOf<A>): JobReporter<A> {
  const name = <E extends 'progress' | 'done' | 'failed'>(event: E): `lineage:${A}:${E}` => `lineage:${area}:${event}`
  let last = 0
  let held: object | undefined
  const send = (params: object): void => {
    last = Date.now()
    held = undefined
    events?.publish(name('progress'), { ...run, ...params } as never)
  }
  const reporter: JobReporter<A> = {
    progress (params) {
      if (Date.now() - last >= JOB_PROGRESS_INTERVAL_MS) send(params)
      else held = params
    },
    done (params) {
      if (held !== undefined) send(held)
      events?.publish(name('done'), { ...run, ...params } as never)
    },
    failed (err) {
      // The run's own params (an export's path) were named by the client, so they may be repeated.
      const { code, message } = toRpcError(err, namedPaths(run))
      events?.publish(name('failed'), { ...run, error: { code, message } } as never)
    },
    async track (work, summary) {
      let result
      try {
        result = await work()
      } catch (err) {
        reporter.failed(err)
        throw err
      }
      reporter.done(summary(result))
      return result
    },
  }
  return reporter
}
