import { format } from 'node:util'
import type { ComponentLogger, Logger } from '@libp2p/logger'
import type { LogLineInfo } from '../rpc-types.js'

// Apart from the recent_logs method (log-methods.ts): the node records its log from its first
// line, before it loads the RPC methods and their schema compiler.
/** Log lines the node keeps in memory for recent_logs (the oldest go first). */
export const LOG_RING_SIZE = 1000
/** Longest line kept; a longer message is cut with "…". */
export const MAX_LOG_LINE_CHARS = 2000
/** Most lines one recent_logs call returns. */
export const MAX_LOG_PAGE = 1000

/** The node's latest log lines, in a fixed-size ring: memory stays bounded however long it runs. */
export class LogRing {
  private readonly lines: LogLineInfo[] = []
  private next = 1

  constructor (private readonly size = LOG_RING_SIZE) {}

  add (level: LogLineInfo['level'], component: string, message: string): void {
    const text = message.length > MAX_LOG_LINE_CHARS ? `${message.slice(0, MAX_LOG_LINE_CHARS)}…` : message
    this.lines.push({ time: Date.now(), level, component, message: text, seq: this.next++ })
    if (this.lines.length > this.size) this.lines.shift()
  }

  /** Lines with a seq above `after`, oldest first, at most `limit` (the newest ones). */
  recent (after = 0, limit = MAX_LOG_PAGE): LogLineInfo[] {
    const newer = this.lines.filter(line => line.seq > after)
    return newer.slice(Math.max(0, newer.length - limit))
  }
}

/** debug's %-formats (and libp2p's %e, %p…), rendered with util.format, errors by their message. */
function render (formatter: unknown, args: unknown[]): string {
  const text = typeof formatter === 'string' ? formatter.replace(/%[a-zA-Z]/g, m => (m === '%d' || m === '%i' || m === '%f' ? m : '%s')) : String(formatter)
  return format(text, ...args.map(arg => arg instanceof Error ? arg.message : typeof arg === 'object' && arg !== null ? safeJson(arg) : arg))
}

function safeJson (value: object): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

function recording (logger: Logger, component: string, ring: LogRing): Logger {
  const log = ((formatter: unknown, ...args: unknown[]): void => {
    ring.add('info', component, render(formatter, args))
    logger(formatter, ...args)
  }) as Logger
  log.error = (formatter: unknown, ...args: unknown[]): void => {
    ring.add('error', component, render(formatter, args))
    logger.error(formatter, ...args)
  }
  // Trace lines are for debugging the node itself: passed on, not kept.
  log.trace = (formatter: unknown, ...args: unknown[]): void => { logger.trace(formatter, ...args) }
  log.enabled = logger.enabled
  log.newScope = (name: string): Logger => recording(logger.newScope(name), `${component}:${name}`, ring)
  return log
}

/** Components whose lines are kept: the node's own (libp2p's chatter is left to DEBUG). */
export const RECORDED_COMPONENT_PREFIX = 'lineage'

/**
 * A ComponentLogger that writes everything it is given to `logger` as before, and keeps the
 * info and error lines of the node's own components in `ring` (whatever DEBUG says), for recent_logs.
 */
export function recordingLogger (logger: ComponentLogger, ring: LogRing): ComponentLogger {
  return {
    forComponent: (name: string) => name.startsWith(RECORDED_COMPONENT_PREFIX) ? recording(logger.forComponent(name), name, ring) : logger.forComponent(name),
  }
}

