/** How long a tokenURI check waits for the whole answer, redirects and body included: marketplaces give up sooner than a person does. */
export const URI_CHECK_TIMEOUT_MS = 10_000
/** Redirects a check follows before it calls the address a loop (browsers allow 20; a tokenURI should need one or two). */
export const URI_CHECK_MAX_REDIRECTS = 5
/** Largest answer a check reads: a token's metadata is a few KiB, and marketplaces refuse far less than this. */
export const URI_CHECK_MAX_BYTES = 1024 * 1024
/** Longest tokenURI or gateway URL a check takes. */
export const MAX_CHECKED_URI_LENGTH = 2048
/** Sent with each check's request, so a server's log says what asked. */
export const URI_CHECK_USER_AGENT = 'lineage-node tokenURI check'
