/**
 * Limits and timings of remote pinning. Each is listed in docs/LIMITS.md with why it has its value.
 */

/** How long one HTTP request to a pinning service may take before it counts as unreachable. */
export const REQUEST_TIMEOUT_MS = 30_000

/**
 * Largest response body read from a pinning service. A PinStatus is well under 4 KiB; a page of
 * 1,000 of them (the spec's largest) fits. A bigger body is refused without being read whole.
 */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

/** First wait before checking a request's status again; it doubles after each check. */
export const FOLLOW_INITIAL_DELAY_MS = 1_000

/** Longest wait between two status checks of one request. */
export const FOLLOW_MAX_DELAY_MS = 60_000

/**
 * Failed status checks in a row (the service unreachable or answering 5xx) before a request is
 * marked failed. With the backoff above that is about half an hour of trying while the node runs.
 */
export const FOLLOW_MAX_FAILURES = 30

/** Requests checked at the same time; the rest wait for their turn. */
export const FOLLOW_CONCURRENCY = 4

/** How often services that "pin everything I pin" look for new local pins. */
export const AUTO_PUSH_INTERVAL_MS = 5_000

/** Local pins pushed per service in one round of the automatic push. */
export const AUTO_PUSH_BATCH = 50

/** Names of services: short identifiers people type on the command line. */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Longest endpoint URL accepted. */
export const MAX_ENDPOINT_LENGTH = 2048

/** Longest access token accepted (JWTs of real services are about 200–1,000 characters). */
export const MAX_TOKEN_LENGTH = 4096

/** The spec's limit on a pin's name (Pin.name maxLength). */
export const MAX_REMOTE_PIN_NAME_LENGTH = 255

/** The spec's limits on Pin.origins and PinStatus.delegates. */
export const MAX_ORIGINS = 20
export const MAX_DELEGATES = 20

/** Characters of the token left visible in listings, so people can tell tokens apart. */
export const TOKEN_VISIBLE_CHARS = 4

/** Longest reason kept from a service's error (its `details` can be anything). */
export const MAX_REASON_LENGTH = 1024

/** How long dialling one delegate may take; a delegate we cannot reach is skipped. */
export const DELEGATE_DIAL_TIMEOUT_MS = 10_000
