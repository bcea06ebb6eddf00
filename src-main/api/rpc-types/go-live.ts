/**
 * Params and results of the Go live methods (check_token_uri): what a marketplace gets from a
 * tokenURI. Types only, re-exported by ../rpc-types.ts.
 */

// Repeats lineage/uri-check/check.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
/** A tokenURI fetched the way a marketplace does, and what it would make of the answer. */
export interface TokenUriCheckInfo {
  /** HTTP 200, a JSON object, a non-empty `name`: a marketplace shows the token. */
  ok: boolean
  /** The http(s) address fetched first (an ipfs:// URI resolved through a gateway). */
  url: string
  redirects: number
  /** The last answer's HTTP status; null when nothing answered. */
  status: number | null
  content_type: string | null
  /** Bytes of the document read. */
  bytes: number
  elapsed_ms: number
  name?: string
  image?: string
  /** Why a marketplace would not show it, in plain words ("answered 404", "not JSON", "took longer than 10 s"…). */
  problem?: string
}
