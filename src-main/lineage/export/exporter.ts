import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import type { Database, Statement } from 'better-sqlite3'
import { CID } from 'multiformats/cid'
import { exportCar } from '../../dag/index.js'
import type { CarProgressEvent } from '../../dag/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import { ExportPathError, NothingToExportError } from './errors.js'

export interface ExporterComponents {
  store: Store
  blockstore: SqliteBlockstore
}

export interface ExportRequest {
  /** Absolute path of the CAR file to write; it must not exist yet. */
  path: string
  /** One collection: the heads of every slot of its tokens. */
  tokenKey?: string
  /** One token: the heads of its slots. */
  dataKey?: string
}

export interface ExportResult {
  path: string
  roots: string[]
  blocks: number
  bytes: number
}

export interface Exporter {
  /** Writes a CAR v1 file of the chosen slot heads (with their whole histories), or of everything kept: every slot head and every pin. */
  export(request: ExportRequest, options?: { signal?: AbortSignal, onProgress?(event: CarProgressEvent): void }): Promise<ExportResult>
}

class CarExporter implements Exporter {
  private readonly headsOfCollection: Statement
  private readonly headsOfToken: Statement
  private readonly allHeads: Statement
  private readonly allPins: Statement

  constructor (private readonly components: ExporterComponents) {
    const db: Database = components.store.db
    this.headsOfCollection = db.prepare('SELECT DISTINCT head_cid FROM slots WHERE token_key = ? ORDER BY head_cid').pluck()
    this.headsOfToken = db.prepare('SELECT DISTINCT head_cid FROM slots WHERE data_key = ? ORDER BY head_cid').pluck()
    this.allHeads = db.prepare('SELECT DISTINCT head_cid FROM slots ORDER BY head_cid').pluck()
    this.allPins = db.prepare('SELECT cid FROM pins ORDER BY cid').pluck()
  }

  async export (request: ExportRequest, options: { signal?: AbortSignal, onProgress?(event: CarProgressEvent): void } = {}): Promise<ExportResult> {
    const target = checkTarget(request.path)
    const roots = this.roots(request)
    let blocks = 0
    let bytes = 0
    // Written beside the target and renamed at the end, so a failed or cancelled export leaves no half file.
    const partial = `${target}.partial-${process.pid}`
    try {
      await pipeline(
        Readable.from(exportCar(this.components.blockstore, roots.map(r => CID.parse(r)), {
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onProgress: event => {
            blocks = event.blocks
            bytes = event.bytes
            options.onProgress?.(event)
          },
        })),
        fs.createWriteStream(partial, { flags: 'wx' }),
      )
      fs.linkSync(partial, target)
    } finally {
      fs.rmSync(partial, { force: true })
    }
    return { path: target, roots, blocks, bytes }
  }

  private roots (request: ExportRequest): string[] {
    if (request.dataKey !== undefined) return nonEmpty(this.headsOfToken.all(request.dataKey) as string[], `token ${request.dataKey} has no slots on this node`)
    if (request.tokenKey !== undefined) return nonEmpty(this.headsOfCollection.all(request.tokenKey) as string[], `collection ${request.tokenKey} has no slots on this node`)
    const everything = new Set([...this.allHeads.all() as string[], ...this.allPins.all() as string[]])
    return nonEmpty([...everything].sort(), 'this node holds no slots and no pins')
  }
}

function nonEmpty (roots: string[], why: string): string[] {
  if (roots.length === 0) throw new NothingToExportError(why)
  return roots
}

function checkTarget (target: string): string {
  if (!path.isAbsolute(target)) throw new ExportPathError('must be an absolute path')
  if (target.includes('\0')) throw new ExportPathError('contains a NUL character')
  const normal = path.normalize(target)
  if (fs.existsSync(normal)) throw new ExportPathError(`${normal} already exists; choose a new file name`)
  if (!fs.existsSync(path.dirname(normal))) throw new ExportPathError(`the folder ${path.dirname(normal)} does not exist`)
  return normal
}

export function createExporter (components: ExporterComponents): Exporter {
  return new CarExporter(components)
}
