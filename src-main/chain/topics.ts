import { TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC, TRANSFER_TOPIC } from './constants.js'
import type { TokenType } from './constants.js'

/** topic0 of each token type's events, as eth_getLogs filters them. */
export const TOPICS: Record<TokenType, string[]> = {
  erc721: [TRANSFER_TOPIC],
  erc1155: [TRANSFER_SINGLE_TOPIC, TRANSFER_BATCH_TOPIC],
}

/** The topic the original's `cron` rows named: one per watcher. */
export const CRON_TOPIC: Record<TokenType, string> = { erc721: TRANSFER_TOPIC, erc1155: TRANSFER_SINGLE_TOPIC }
