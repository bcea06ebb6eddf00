import { BATCH_METADATA_UPDATE_TOPIC, METADATA_UPDATE_TOPIC, TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC, TRANSFER_TOPIC } from './constants.js'
import type { TokenType } from './constants.js'

/** topic0 of each token type's events, as eth_getLogs filters them. */
export const TOPICS: Record<TokenType, string[]> = {
  erc721: [TRANSFER_TOPIC],
  erc1155: [TRANSFER_SINGLE_TOPIC, TRANSFER_BATCH_TOPIC],
}

/** The topic the original's `cron` rows named: one per watcher. */
export const CRON_TOPIC: Record<TokenType, string> = { erc721: TRANSFER_TOPIC, erc1155: TRANSFER_SINGLE_TOPIC }

/** EIP-4906's events: a contract of either type may announce that its tokens' metadata changed. */
export const METADATA_TOPICS: readonly string[] = [METADATA_UPDATE_TOPIC, BATCH_METADATA_UPDATE_TOPIC]

/** What a watch asks eth_getLogs for: its transfers and EIP-4906 announcements, in one filter. */
export const WATCH_TOPICS: Record<TokenType, string[]> = {
  erc721: [...TOPICS.erc721, ...METADATA_TOPICS],
  erc1155: [...TOPICS.erc1155, ...METADATA_TOPICS],
}
