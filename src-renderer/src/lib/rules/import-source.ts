/** What an import reads: a folder of `<tokenId>.json` files, one CSV file, or a CAR backup. */
export type SourceKind = 'folder' | 'csv' | 'car'

/** The kind a single file is, by its name; null when it is none an import reads. */
export function fileKind (name: string): SourceKind | null {
  const lower = name.toLowerCase()
  if (lower.endsWith('.csv')) return 'csv'
  if (lower.endsWith('.car')) return 'car'
  return null
}

/** A file as a folder picker (`webkitdirectory`) gives it: `lanterns/1.json`, `lanterns/art/x.png`. */
export interface PickedFile { name: string, webkitRelativePath: string }

/**
 * The files of a picked folder that an import reads: those directly in it. The import reads one
 * folder, not its subfolders, and skips hidden files, so neither is sent; `nested` counts what
 * was left out, to say so once.
 */
export function folderFiles<F extends PickedFile> (files: readonly F[]): { folder: string, files: F[], nested: number } {
  const kept: F[] = []
  let nested = 0
  let folder = ''
  for (const file of files) {
    const parts = (file.webkitRelativePath === '' ? file.name : file.webkitRelativePath).split('/')
    folder ||= parts.length > 1 ? parts[0] ?? '' : ''
    if (parts.length > 2) nested++
    else if (!file.name.startsWith('.')) kept.push(file)
  }
  return { folder, files: kept, nested }
}

/** "12 files, 3.4 MB": what an upload holds, in words. */
export function sizeWords (files: number, bytes: number): string {
  const size = bytes < 1000 ? `${bytes} bytes` : bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : bytes < 1e9 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e9).toFixed(2)} GB`
  return `${files.toLocaleString('en-US')} ${files === 1 ? 'file' : 'files'}, ${size}`
}

/** `<data-dir>/uploads/<32 hex id>/<name>[/<file>]`: where the node keeps what a browser sent. */
const UPLOADED = /[/\\]uploads[/\\][0-9a-f]{32}[/\\](.+)$/

/**
 * A job's source as the creator knows it: what a browser sent is named by its folder or file
 * ("lanterns, sent from the browser"), not by the node's upload folder; any other path as it is.
 */
export function sourceLabel (path: string): string {
  const sent = UPLOADED.exec(path)?.[1]
  return sent === undefined ? path : `${sent.replace(/\\/g, '/').split('/').filter(p => p !== '').at(-1) ?? sent}, sent from the browser`
}
