/**
 * Unpublished edits kept on this computer, so a reload, a crash or a stopped node loses nothing:
 * one draft per token (the editor's whole document), with the published document it started
 * from, so the editor can tell when someone published in between. Cleared on publish or discard.
 */
export interface Draft {
  /** The edited document, as JSON. */
  document: string
  /** The published document the edits started from, as JSON. */
  baseline: string
  savedAt: number
}

/** Storage as drafts need it: the Web Storage API, or a Map in tests. */
export interface DraftStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

const PREFIX = 'lineage:draft:'

export function draftKey (at: { chainId: string, address: string, tokenId: string }): string {
  return `${PREFIX}${at.chainId}/${at.address.toLowerCase()}/${at.tokenId}`
}

export function readDraft (storage: DraftStorage | undefined, key: string): Draft | null {
  const text = storage?.getItem(key) ?? null
  if (text === null) return null
  try {
    const draft = JSON.parse(text) as Partial<Draft>
    return typeof draft.document === 'string' && typeof draft.baseline === 'string' ? { document: draft.document, baseline: draft.baseline, savedAt: Number(draft.savedAt) || 0 } : null
  } catch {
    return null
  }
}

/** Keeps the edits, or forgets them when the document is back to what is published. */
export function saveDraft (storage: DraftStorage | undefined, key: string, document: string, baseline: string): void {
  if (storage === undefined) return
  try {
    if (document === baseline) storage.removeItem(key)
    else storage.setItem(key, JSON.stringify({ document, baseline, savedAt: Date.now() } satisfies Draft))
  } catch {
    // Storage full or disabled: editing goes on, only the safety net is missing.
  }
}

export function forgetDraft (storage: DraftStorage | undefined, key: string): void {
  storage?.removeItem(key)
}

/** The browser's localStorage when the page may use it. */
export function browserStorage (): DraftStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined
  } catch {
    return undefined
  }
}
