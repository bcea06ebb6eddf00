import type { MarineServiceHandle } from '../../services/toolchain/index.js'

export interface FormatterSlot {
  alias: string
  public_key: string
  version: string
  /** The slot's content as JSON text. */
  content: string
}

export type FormatOutcome = { ok: true, json: string } | { ok: false, error: string }

/** Merges a token's slots into its tokenURI JSON through the `formatter` Marine service. */
export interface MetadataFormatter {
  format(tokenId: string, slots: FormatterSlot[]): FormatOutcome
}

export function formatterFromService (service: MarineServiceHandle): MetadataFormatter {
  return {
    format (tokenId, slots) {
      const result = service.call('format', [tokenId, slots]) as { ok: boolean, json: string, error: string }
      return result.ok ? { ok: true, json: result.json } : { ok: false, error: result.error }
    },
  }
}

/** A slot with its head's content (parsed JSON), as the engine reads it. */
export interface ContentSlot {
  alias: string
  public_key: string
  version: string
  content: unknown
}

/**
 * A token's tokenURI JSON from its slots under the collection's meta contract: the one producer
 * of the bytes the gateway serves, so `get_token` and ipfs:// snapshots repeat them exactly.
 */
export function formatTokenDocument (formatter: MetadataFormatter, tokenId: string, slots: readonly ContentSlot[]): FormatOutcome {
  return formatter.format(tokenId, slots.map(s => ({ alias: s.alias, public_key: s.public_key, version: s.version, content: JSON.stringify(s.content) })))
}
