/**
 * Files between the creator's computer and the page: saving a text where they choose (the
 * desktop app's save dialog, else a browser download), and uploading the files of a folder (or
 * one file) to the node in browser mode, where the page cannot name a path on the node's computer.
 */
import type { FilesBridge } from './ipc-transport.js'
import { storedToken } from './session.js'

/** The desktop app's file bridge, or undefined in a browser. */
export function filesBridge (win: Window = window): FilesBridge | undefined {
  return win.lineage?.transport === 'ipc' ? win.lineage.files : undefined
}

/**
 * Saves `text` as a file: in the desktop app through the system save dialog (the path saved, or
 * null when cancelled); in a browser as a download ('download': the browser says where it went).
 */
export async function saveText (name: string, text: string, win: Window = window): Promise<string | null> {
  const bridge = filesBridge(win)
  if (bridge !== undefined) return await bridge.save(name, text)
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  try {
    const link = win.document.createElement('a')
    link.href = url
    link.download = name
    link.click()
  } finally {
    // After the click has handed the file to the browser's download.
    setTimeout(() => { URL.revokeObjectURL(url) }, 0)
  }
  return 'download'
}

export interface UploadProgress {
  files: number
  totalFiles: number
  bytes: number
  totalBytes: number
}

export interface UploadedFolder {
  id: string
  /** The folder on the node's computer that holds the files. */
  path: string
}

/** Why an upload failed, in the node's words. */
export class UploadError extends Error {
  override readonly name = 'UploadError'
}

/** One request to the node's upload endpoints, with the API token; rejects with the node's refusal in words. */
function send (method: string, url: string, body: Blob | null, onBytes: (sent: number) => void, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open(method, url)
    xhr.setRequestHeader('Authorization', `Bearer ${storedToken() ?? ''}`)
    // The node keeps the bytes as they are: never parsed as JSON on the way.
    if (body !== null) xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.responseType = 'json'
    xhr.upload.onprogress = event => { onBytes(event.loaded) }
    xhr.onload = () => {
      const answer = xhr.response as { error?: string } | null
      if (xhr.status >= 200 && xhr.status < 300) resolve(answer)
      else reject(new UploadError(answer?.error ?? `The node refused the upload (HTTP ${xhr.status}).`))
    }
    xhr.onerror = () => { reject(new UploadError('The node could not be reached; check that it still runs.')) }
    xhr.onabort = () => { reject(new DOMException('The upload was cancelled.', 'AbortError')) }
    if (signal.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'))
      return
    }
    signal.addEventListener('abort', () => { xhr.abort() }, { once: true })
    xhr.send(body)
  })
}

/** Files sent at once: enough to hide each request's round trip, few enough to keep progress in order. */
const PARALLEL_UPLOADS = 4

/**
 * Sends files to the node, one request each (a few at a time), into a fresh upload folder (named
 * `folder`, the creator's folder's name, so an import's history shows it); on
 * cancel or failure the upload is deleted on the node. Names are sent in Unicode NFC (macOS gives
 * some decomposed).
 */
export async function uploadFiles (files: readonly File[], onProgress: (progress: UploadProgress) => void, signal: AbortSignal, folder?: string, base = ''): Promise<UploadedFolder> {
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0)
  const query = folder === undefined ? '' : `?folder=${encodeURIComponent(folder.normalize('NFC'))}`
  const upload = await send('POST', `${base}/uploads${query}`, null, () => {}, signal) as UploadedFolder
  let done = 0
  let doneBytes = 0
  const sending = new Map<File, number>()
  const report = (): void => {
    let bytes = doneBytes
    for (const sent of sending.values()) bytes += sent
    onProgress({ files: done, totalFiles: files.length, bytes, totalBytes })
  }
  let next = 0
  // One failure stops the others: they see the abort of this shared controller.
  const stop = new AbortController()
  signal.addEventListener('abort', () => { stop.abort() }, { once: true })
  const worker = async (): Promise<void> => {
    while (next < files.length && !stop.signal.aborted) {
      const file = files[next++] as File
      sending.set(file, 0)
      const name = encodeURIComponent(file.name.normalize('NFC'))
      await send('PUT', `${base}/uploads/${upload.id}/${name}`, file, sent => { sending.set(file, sent); report() }, stop.signal)
      sending.delete(file)
      done++
      doneBytes += file.size
      report()
    }
  }
  try {
    report()
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, files.length) }, async () => {
      try {
        await worker()
      } catch (err) {
        stop.abort()
        throw err
      }
    }))
    if (signal.aborted) throw new DOMException('The upload was cancelled.', 'AbortError')
    return upload
  } catch (err) {
    await removeUpload(upload.id, base)
    // The first failure is the reason; the others' aborts follow from it.
    throw signal.aborted ? new DOMException('The upload was cancelled.', 'AbortError') : err
  }
}

/** Deletes an upload's files on the node (its import ended, or it was cancelled); a gone one is fine. */
export async function removeUpload (id: string, base = ''): Promise<void> {
  try {
    await send('DELETE', `${base}/uploads/${id}`, null, () => {}, new AbortController().signal)
  } catch {
    // Already gone (or the node restarted, which empties them all).
  }
}
