import { prefixLogger } from '@libp2p/logger'
import type { ComponentLogger, Logger } from '@libp2p/logger'

/** The real logger, quiet unless DEBUG names it, as in production. */
export const testLogger: ComponentLogger = prefixLogger('test')
export const testLog: Logger = testLogger.forComponent('lineage:test')
