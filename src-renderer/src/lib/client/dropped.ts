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

/** The name a drop of loose files (not a folder) goes under on the node and in the import's history. */
export const DROPPED_FILES_NAME = 'dropped files'

export async function readDrop (transfer: DataTransfer): Promise<Dropped> {
  const files = [...transfer.files]
  // Entries say what is a folder; a drop may give none (some browsers, a page's own drop).
  const entries = [...transfer.items].map(item => item.webkitGetAsEntry())
  const folder = entries.find(e => e?.isDirectory === true)
  const bridge = filesBridge()
  if (folder !== undefined && folder !== null) {
    if (entries.length !== 1 || files[0] === undefined) return { kind: 'refused', reason: REFUSED }
    if (bridge !== undefined) return pathOf(bridge.pathOf(files[0]), 'folder')
    const { files: inside, subfolders } = await topFiles(folder as FileSystemDirectoryEntry)
    return { kind: 'folder', name: folder.name, files: inside, subfolders }
  }
  const [first] = files
  if (first === undefined) return { kind: 'refused', reason: REFUSED }
  const kind = fileKind(first.name)
  if (files.length === 1 && kind !== null) return bridge === undefined ? { kind: 'file', file: first } : pathOf(bridge.pathOf(first), kind)
  if (kind !== null) return { kind: 'refused', reason: `Drop one .csv or .car file at a time. ${REFUSED}` }
  if (files.length === 1 && !first.name.toLowerCase().endsWith('.json')) return { kind: 'refused', reason: `${first.name} is not something an import reads. ${REFUSED}` }
  // Loose files (selected in a file manager and dragged together): a browser sends them as one
  // folder's files; the desktop app imports folders by path, so it asks for the folder instead.
  if (bridge !== undefined) return { kind: 'refused', reason: `Drop the folder that holds these files, not the files. ${REFUSED}` }
  return { kind: 'folder', name: DROPPED_FILES_NAME, files, subfolders: 0 }
}

function pathOf (path: string, source: SourceKind): Dropped {
  return path === '' ? { kind: 'refused', reason: REFUSED } : { kind: 'path', source, path }
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
