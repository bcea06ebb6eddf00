import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Transform } from 'node:stream'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { MAX_OPEN_UPLOADS, MAX_UPLOAD_FILE_BYTES, MAX_UPLOAD_FILES, MAX_UPLOAD_TOTAL_BYTES } from './constants.js'
import { UploadExistsError, UploadLimitError, UploadNotFoundError, UploadTooLargeError } from './errors.js'
import { checkUploadName, isUploadId } from './names.js'

export interface UploadsInit {
  /** The folder holding every upload (`<data-dir>/uploads`); emptied when created. */
  dir: string
  maxFileBytes?: number
  maxFiles?: number
  maxTotalBytes?: number
  maxOpen?: number
}

/** One upload as its creator sees it. */
export interface UploadInfo {
  id: string
  /** The folder on the node's computer that holds its files: what `import_folder` reads. */
  path: string
  files: number
  bytes: number
}

interface Upload {
  /** The upload's own folder, removed whole. */
  root: string
  /** Where its files go: `root`, or the folder named after the creator's (what an import's history shows). */
  dir: string
  /** Names written or being written (reserved as a file starts, so two at once cannot share one). */
  names: Set<string>
  bytes: number
}

export interface Uploads {
  /** Opens an upload; `folder` names the folder its files go in (the creator's folder's name). */
  create(folder?: string): UploadInfo
  /** Streams one file into an upload; refuses it (and keeps nothing of it) past a limit. */
  write(id: string, name: string, body: Readable, declaredBytes?: number): Promise<UploadInfo & { name: string, written: number }>
  remove(id: string): void
}

/**
 * Files a browser sends to the node (browser mode has no way to name a path on the node's
 * computer): each upload is a fresh folder of plain files, written under a temporary name and
 * renamed when whole, so an import never reads half a file.
 */
export function createUploads (init: UploadsInit): Uploads {
  const maxFileBytes = init.maxFileBytes ?? MAX_UPLOAD_FILE_BYTES
  const maxFiles = init.maxFiles ?? MAX_UPLOAD_FILES
  const maxTotalBytes = init.maxTotalBytes ?? MAX_UPLOAD_TOTAL_BYTES
  const maxOpen = init.maxOpen ?? MAX_OPEN_UPLOADS
  // Nothing survives a restart: its imports ended with the node that ran them.
  fs.rmSync(init.dir, { recursive: true, force: true })
  fs.mkdirSync(init.dir, { recursive: true, mode: 0o700 })
  const open = new Map<string, Upload>()

  const find = (id: string): Upload => {
    const upload = isUploadId(id) ? open.get(id) : undefined
    if (upload === undefined) throw new UploadNotFoundError()
    return upload
  }
  const info = (id: string, upload: Upload): UploadInfo => ({ id, path: upload.dir, files: upload.names.size, bytes: upload.bytes })

  return {
    create (folder) {
      if (folder !== undefined) checkUploadName(folder)
      if (open.size >= maxOpen) throw new UploadLimitError(`The node keeps at most ${maxOpen} uploads at once; cancel one or let its import finish.`)
      const id = randomBytes(16).toString('hex')
      const root = path.join(init.dir, id)
      const upload: Upload = { root, dir: folder === undefined ? root : path.join(root, folder), names: new Set(), bytes: 0 }
      fs.mkdirSync(upload.dir, { recursive: true, mode: 0o700 })
      open.set(id, upload)
      return info(id, upload)
    },

    async write (id, name, body, declaredBytes) {
      const upload = find(id)
      checkUploadName(name)
      if (upload.names.has(name)) throw new UploadExistsError(name)
      if (upload.names.size >= maxFiles) throw new UploadTooLargeError(`one upload may hold at most ${maxFiles.toLocaleString('en-US')} files`)
      if (declaredBytes !== undefined) checkSize(declaredBytes, upload.bytes)
      upload.names.add(name)
      const target = path.join(upload.dir, name)
      const partial = path.join(upload.dir, `.${name}.partial`)
      let written = 0
      const counter = new Transform({
        transform (chunk: Buffer, _encoding, done) {
          written += chunk.length
          upload.bytes += chunk.length
          try {
            checkSize(written, upload.bytes - written)
          } catch (err) {
            done(err as Error)
            return
          }
          done(null, chunk)
        },
      })
      try {
        // 'wx': never over an existing file, nor through a link someone placed there.
        await pipeline(body, counter, fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 }))
        fs.renameSync(partial, target)
      } catch (err) {
        upload.bytes -= written
        upload.names.delete(name)
        fs.rmSync(partial, { force: true })
        if (!open.has(id)) throw new UploadNotFoundError()
        throw err
      }
      if (!open.has(id)) throw new UploadNotFoundError()
      return { ...info(id, upload), name, written }
    },

    remove (id) {
      const upload = find(id)
      open.delete(id)
      fs.rmSync(upload.root, { recursive: true, force: true })
    },
  }

  function checkSize (fileBytes: number, otherBytes: number): void {
    if (fileBytes > maxFileBytes) throw new UploadTooLargeError(`one file may hold at most ${maxFileBytes.toLocaleString('en-US')} bytes`)
    if (fileBytes + otherBytes > maxTotalBytes) throw new UploadTooLargeError(`one upload may hold at most ${maxTotalBytes.toLocaleString('en-US')} bytes in all`)
  }
}
