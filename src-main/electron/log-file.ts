import fs from 'node:fs'
import path from 'node:path'
import { LOG_FILE, LOG_KEEP_FILES, LOG_MAX_BYTES } from './constants.js'

export interface LogFileInit {
  /** File name in the folder; rotated copies insert `.1`, `.2`… before the extension. */
  name?: string
  maxBytes?: number
  keep?: number
}

/**
 * An append-only log file rotated by size: when the next line would pass `maxBytes`, the file
 * becomes `<name>.1.log`, older copies shift up, and the one past `keep` is deleted. Writes are
 * synchronous, so the lines before a crash are on disk.
 */
export class RotatingLogFile {
  readonly path: string
  private readonly maxBytes: number
  private readonly keep: number
  private fd: number | undefined
  private size = 0

  constructor (readonly dir: string, init: LogFileInit = {}) {
    this.path = path.join(dir, init.name ?? LOG_FILE)
    this.maxBytes = init.maxBytes ?? LOG_MAX_BYTES
    this.keep = init.keep ?? LOG_KEEP_FILES
  }

  /** The n-th rotated copy's path (`lineage.2.log`). */
  rotatedPath (n: number): string {
    const ext = path.extname(this.path)
    return `${this.path.slice(0, this.path.length - ext.length)}.${n}${ext}`
  }

  write (line: string): void {
    const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8')
    if (this.fd === undefined) this.open()
    if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate()
    fs.writeSync(this.fd as number, bytes)
    this.size += bytes.length
  }

  close (): void {
    if (this.fd === undefined) return
    fs.closeSync(this.fd)
    this.fd = undefined
  }

  private open (): void {
    // Owner-only: logs name files, peers and paths.
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    this.fd = fs.openSync(this.path, 'a', 0o600)
    this.size = fs.fstatSync(this.fd).size
  }

  private rotate (): void {
    this.close()
    fs.rmSync(this.rotatedPath(this.keep), { force: true })
    for (let n = this.keep - 1; n >= 1; n--) {
      if (fs.existsSync(this.rotatedPath(n))) fs.renameSync(this.rotatedPath(n), this.rotatedPath(n + 1))
    }
    if (this.keep > 0) fs.renameSync(this.path, this.rotatedPath(1))
    else fs.rmSync(this.path, { force: true })
    this.open()
  }
}
