import { format } from 'node:util'
import { prefixLogger } from '@libp2p/logger'
import type { ComponentLogger, Logger } from '@libp2p/logger'

/** The real logger, quiet unless DEBUG names it, as in production. */
export const testLogger: ComponentLogger = prefixLogger('test')
export const testLog: Logger = testLogger.forComponent('lineage:test')

export interface LoggedLine {
  component: string
  level: 'info' | 'error' | 'trace'
  /** The line as debug prints it, errors by name and message (their stacks hold newlines by design). */
  text: string
}

function render (formatter: unknown, args: unknown[]): string {
  const text = typeof formatter === 'string' ? formatter.replace(/%[a-zA-Z]/g, m => (m === '%d' || m === '%i' || m === '%f' ? m : '%s')) : String(formatter)
  return format(text, ...args.map(arg => arg instanceof Error ? `${arg.name}: ${arg.message}` : arg))
}

function recording (logger: Logger, component: string, lines: LoggedLine[]): Logger {
  const log = ((formatter: unknown, ...args: unknown[]): void => {
    lines.push({ component, level: 'info', text: render(formatter, args) })
    logger(formatter, ...args)
  }) as Logger
  log.error = (formatter: unknown, ...args: unknown[]): void => {
    lines.push({ component, level: 'error', text: render(formatter, args) })
    logger.error(formatter, ...args)
  }
  log.trace = (formatter: unknown, ...args: unknown[]): void => {
    lines.push({ component, level: 'trace', text: render(formatter, args) })
    logger.trace(formatter, ...args)
  }
  log.enabled = logger.enabled
  log.newScope = (name: string): Logger => recording(logger.newScope(name), `${component}:${name}`, lines)
  return log
}

/**
 * The test logger, also keeping every line the node's own components (`lineage:*`) log, at every
 * level and whatever DEBUG says: for tests that check what reaches the log.
 */
export function recordingTestLogger (): { logger: ComponentLogger, lines: LoggedLine[] } {
  const lines: LoggedLine[] = []
  return {
    lines,
    logger: { forComponent: (name: string) => name.startsWith('lineage') ? recording(testLogger.forComponent(name), name, lines) : testLogger.forComponent(name) },
  }
}
