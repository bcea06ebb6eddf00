import { randomBytes } from 'node:crypto'
import type { ExportStream } from '../../lineage/export/index.js'
import { DOWNLOAD_TICKET_BYTES, DOWNLOAD_TICKET_TTL_MS, MAX_OPEN_DOWNLOADS } from './constants.js'
import { DownloadLimitError, DownloadNotFoundError } from './errors.js'

export interface Download {
  stream: ExportStream
  /** The file name the browser is told to save it under. */
  name: string
  /** The collection exported; none: everything the node keeps. */
  tokenKey?: string
}

/**
 * Download links: each a random, single-use ticket for one export opened (its snapshot taken) when
 * the link was made. A link not used within DOWNLOAD_TICKET_TTL_MS is dropped with its snapshot.
 */
export class DownloadTickets {
  private readonly open = new Map<string, { download: Download, timer: NodeJS.Timeout }>()

  constructor (private readonly ttlMs = DOWNLOAD_TICKET_TTL_MS) {}

  /** @throws DownloadLimitError; the stream is discarded then */
  add (download: Download): string {
    if (this.open.size >= MAX_OPEN_DOWNLOADS) {
      download.stream.discard()
      throw new DownloadLimitError(MAX_OPEN_DOWNLOADS)
    }
    const ticket = randomBytes(DOWNLOAD_TICKET_BYTES).toString('base64url')
    const timer = setTimeout(() => { this.take(ticket)?.stream.discard() }, this.ttlMs)
    // A waiting link does not keep the process alive.
    timer.unref()
    this.open.set(ticket, { download, timer })
    return ticket
  }

  /** The download, removed: a link works once. @throws DownloadNotFoundError */
  use (ticket: string): Download {
    const download = this.take(ticket)
    if (download === undefined) throw new DownloadNotFoundError()
    return download
  }

  /** Drops every waiting link and its snapshot (the server closes). */
  clear (): void {
    for (const ticket of [...this.open.keys()]) this.take(ticket)?.stream.discard()
  }

  private take (ticket: string): Download | undefined {
    const entry = this.open.get(ticket)
    if (entry === undefined) return undefined
    this.open.delete(ticket)
    clearTimeout(entry.timer)
    return entry.download
  }
}
