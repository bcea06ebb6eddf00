import { format, stripVTControlCharacters } from 'node:util'
import { defaultLogger, enable } from '@libp2p/logger'
import type { ComponentLogger } from '@libp2p/logger'
import { LOG_DEFAULT_NAMESPACES } from './constants.js'
import { RotatingLogFile } from './log-file.js'
import type { LogFileInit } from './log-file.js'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/

/** One log line from a logger's formatted arguments: no colour codes, always a timestamp first. */
export function logLine (args: unknown[], now = new Date()): string {
  const text = stripVTControlCharacters(format(...args)).trim()
  return ISO_DATE.test(text) ? text : `${now.toISOString()} ${text}`
}

export interface AppLogs {
  /** Give this to the node: every component's enabled lines go to the file. */
  logger: ComponentLogger
  file: RotatingLogFile
  close(): void
}

/**
 * Logs to the app's log folder (`app.getPath('logs')`): the node's components log through
 * `@libp2p/logger` as in the CLI, and each enabled line is also appended to `lineage.log`,
 * rotated by size. Which components log is `DEBUG` when set, else Lineage's own lines and every
 * component's errors. Uncaught errors of the main process go there too.
 */
export function setupLogs (dir: string, init: LogFileInit & { namespaces?: string } = {}): AppLogs {
  const file = new RotatingLogFile(dir, init)
  enable(init.namespaces ?? process.env.DEBUG ?? LOG_DEFAULT_NAMESPACES)
  const logger = defaultLogger({
    onLog: (...args: unknown[]) => {
      try {
        file.write(logLine(args))
      } catch {
        // A full disk must not take the node down with it; the line still went to stderr.
      }
    },
  })
  return { logger, file, close: () => { file.close() } }
}
