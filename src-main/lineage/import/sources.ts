import type fs from 'node:fs'
import path from 'node:path'

/**
 * One item of a source: a token's metadata document, or why it cannot be one. `id` names it
 * within the job (it seeds the item's nonce), `label` names it for a person (made safe to show).
 */
export type SourceItem =
  | { id: string, label: string, tokenId: string, data: string, error?: undefined }
  | { id: string, label: string, tokenId?: string, data?: undefined, error: string }

/**
 * A source read as a stream of items; `count` walks it once without keeping contents. `items`
 * throws only for the source as a whole (it is gone, a CSV's header is unusable): a problem of
 * one item is that item's `error`.
 */
export interface ItemSource {
  count(signal?: AbortSignal): Promise<number>
  items(signal?: AbortSignal): AsyncGenerator<SourceItem>
}

export { folderSource } from './folder-source.js'
export { csvSource } from './csv-source.js'

/** The format a path holds, by what it is and its extension. */
export function detectFormat (source: string, stat: fs.Stats): 'folder' | 'csv' | 'car' | undefined {
  if (stat.isDirectory()) return 'folder'
  if (!stat.isFile()) return undefined
  const ext = path.extname(source).toLowerCase()
  return ext === '.csv' ? 'csv' : ext === '.car' ? 'car' : undefined
}
