/**
 * Limits and timings of the chain watcher. Each is listed in docs/LIMITS.md with why it has its value.
 */

/** Blocks an event must be buried under before it takes effect, unless the chain's setting says otherwise. */
export const DEFAULT_CONFIRMATIONS = 12

/** Most confirmations a chain may ask for (about a day of Ethereum blocks). */
export const MAX_CONFIRMATIONS = 10_000

/** How often the head is polled once a watch has caught up, unless the chain's setting says otherwise. */
export const DEFAULT_POLL_INTERVAL_MS = 4_000

/** Shortest and longest poll interval a chain may set. */
export const MIN_POLL_INTERVAL_MS = 50
export const MAX_POLL_INTERVAL_MS = 600_000

/** How long one JSON-RPC call may take, answer read whole, before it counts as failed. */
export const CALL_TIMEOUT_MS = 20_000

/**
 * Largest JSON-RPC answer read. A 2,000-block range of a busy collection's logs fits; a bigger
 * answer is refused without being read whole, and the range shrinks.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024

/** Blocks asked for in one eth_getLogs at first; the span halves on errors and doubles on success. */
export const INITIAL_BLOCK_SPAN = 2_000

/** Largest span of one eth_getLogs, however well the endpoint answers. */
export const MAX_BLOCK_SPAN = 10_000

/** First wait after a failed step; it doubles after each failure in a row. */
export const RETRY_INITIAL_DELAY_MS = 1_000

/** Longest wait between two attempts. */
export const RETRY_MAX_DELAY_MS = 60_000

/**
 * Checkpoints (range ends with their block hashes) kept per watch to find where a reorg forked.
 * A reorg that forks before the oldest kept one re-reads the collection from its start block.
 */
export const CHECKPOINTS_KEPT = 128

/** Longest endpoint URL accepted. */
export const MAX_ENDPOINT_LENGTH = 2048

/** Chain ids are positive integers (EIP-155); this bound keeps them exact in JSON and SQLite. */
export const MAX_CHAIN_ID = Number.MAX_SAFE_INTEGER

/** Watched collections per node. */
export const MAX_WATCHES = 1_000

/** Most chain events (cron txs) one read answers. */
export const MAX_CRON_TXS_PAGE = 1_000

/** Longest last-error text kept in a watch's status. */
export const MAX_ERROR_LENGTH = 500

export const TOKEN_TYPES = ['erc721', 'erc1155'] as const
export type TokenType = typeof TOKEN_TYPES[number]

/** The address a mint comes from and a burn goes to. */
export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'

/**
 * topic0 of the events that move tokens (keccak-256 of their signatures; test/chain/events.test.ts
 * checks them against ethers): written out so that reading the chain's tables loads no ethers.
 */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'
export const TRANSFER_SINGLE_TOPIC = '0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62'
export const TRANSFER_BATCH_TOPIC = '0x4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb'

/** topic0 of EIP-4906's MetadataUpdate(uint256) and BatchMetadataUpdate(uint256,uint256), read with the transfers. */
export const METADATA_UPDATE_TOPIC = '0xf8e1a15aba9398e019f0b49df1a4fde98ee17ae345cb5f6b5e2c27f5033e8ce7'
export const BATCH_METADATA_UPDATE_TOPIC = '0x6bd5c950a8d8df17f772f5af37cb3655737899cbf903264b9795592da439661c'

/** A reveal-on-mint placeholder document, as JSON text (what a marketplace shows before the mint). */
export const MAX_PLACEHOLDER_BYTES = 16 * 1024

/** Token ids one chain_reveal_tokens call asks about (a page of the UI's token list). */
export const MAX_REVEAL_TOKENS = 1_000

/** Peers the owner names as their own nodes (a copy to them carries hidden tokens). */
export const MAX_OWN_PEERS = 100

/**
 * How far past the head this node last saw a holder write's judging block (`chain_block` in its
 * mcdata) may be and still be waited for. An honest signer names a block it has seen; one further
 * ahead would hold its collection's writes back indefinitely, so it is judged as unknown instead.
 */
export const MAX_JUDGING_BLOCKS_AHEAD = 64
