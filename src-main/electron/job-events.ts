import { EVENTS } from '../api/index.js'
import type { JobNotification } from '../api/index.js'
import type { LineageNode } from '../node/index.js'
import type { Outcome } from '../lineage/engine/index.js'

export interface JobEventForwarder {
  /** Listens to the running node (again after a restart: its API and engine are new objects). */
  attach(): void
  /** Stops listening; safe to call twice. */
  detach(): void
}

/**
 * Forwards what the WebSocket forwards: import, export, pin and GC progress (`api.events`) and
 * the validator's outcomes, as `lineage:<area>:<event>` notifications. `send` puts them on the
 * page's IPC event channel, with its own check that the page is ours.
 */
export function createJobEventForwarder (node: LineageNode, send: (notification: JobNotification) => void): JobEventForwarder {
  let detachCurrent: (() => void) | undefined
  const forwarder: JobEventForwarder = {
    attach () {
      forwarder.detach()
      if (node.status().state !== 'running') return
      const events = node.api.events
      const lineage = node.lineage
      const onJob = (notification: JobNotification): void => { send(notification) }
      const onApplied = (outcome: Outcome): void => { send({ method: EVENTS.transactionApplied, params: outcome }) }
      const onRejected = (outcome: Outcome): void => { send({ method: EVENTS.transactionRejected, params: outcome }) }
      events.on('notification', onJob)
      lineage.on('applied', onApplied)
      lineage.on('rejected', onRejected)
      detachCurrent = () => {
        events.off('notification', onJob)
        lineage.off('applied', onApplied)
        lineage.off('rejected', onRejected)
      }
    },
    detach () {
      detachCurrent?.()
      detachCurrent = undefined
    },
  }
  return forwarder
}
