/**
 * What was dropped on the window, read the way each mode can: the desktop app gets a path from
 * the preload; a browser reads a dropped folder's files through the File and Directory Entries API.
 */
import { filesBridge } from './files.js'
import { fileKind } from '../rules/import-source.js'
import type { SourceKind } from '../rules/import-source.js'

export type Dropped =
  | { kind: 'path', source: SourceKind, path: string }
  | { kind: 'folder', name: string, files: File[], subfolders: number }
  | { kind: 'file', file: File }
  | { kind: 'refused', reason: string }

const REFUSED = 'Drop one folder of <tokenId>.json files, a .csv file or a .car backup.'

/** Whether a drag carries files (not text or a link dragged from the page). */
export function carriesFiles (transfer: DataTransfer | null): boolean {
  return transfer?.types.includes('Files') === true
}

export async function readDrop (transfer: DataTransfer): Promise<Dropped> {
  const item = transfer.items[0]
  const entry = item?.webkitGetAsEntry() ?? null
  const file = transfer.files[0]
  if (transfer.items.length !== 1 || entry === null || file === undefined) return { kind: 'refused', reason: REFUSED }
  const kind = entry.isDirectory ? 'folder' : fileKind(entry.name)
  if (kind === null) return { kind: 'refused', reason: `${entry.name} is not something an import reads. ${REFUSED}` }
  const bridge = filesBridge()
  if (bridge !== undefined) {
    const path = bridge.pathOf(file)
    return path === '' ? { kind: 'refused', reason: REFUSED } : { kind: 'path', source: kind, path }
  }
  if (!entry.isDirectory) return { kind: 'file', file }
  const { files, subfolders } = await topFiles(entry as FileSystemDirectoryEntry)
  return { kind: 'folder', name: entry.name, files, subfolders }
}

/** The files directly in a dropped folder (readEntries answers in batches until an empty one). */
async function topFiles (dir: FileSystemDirectoryEntry): Promise<{ files: File[], subfolders: number }> {
  const reader = dir.createReader()
  const entries: FileSystemEntry[] = []
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => { reader.readEntries(resolve, reject) })
    if (batch.length === 0) break
    entries.push(...batch)
  }
  const files = await Promise.all(entries.filter(e => e.isFile).map(async e => await new Promise<File>((resolve, reject) => { (e as FileSystemFileEntry).file(resolve, reject) })))
  return { files, subfolders: entries.filter(e => e.isDirectory).length }
}
