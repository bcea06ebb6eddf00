import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import type { Database, Statement } from 'better-sqlite3'
import { CID } from 'multiformats/cid'
import { exportCar, getBlock } from '../../dag/index.js'
import type { BlockSource, CarProgressEvent } from '../../dag/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import { encodeArchive, encodeTransactionBlock } from '../archive/index.js'
import type { TransactionRequest } from '../signing/index.js'
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
  /** The transaction archive first (the signed requests, to replay), then the slot heads and pins. */
  roots: string[]
  /** Signed transactions in the archive. */
  transactions: number
  blocks: number
  bytes: number
}

export interface Exporter {
  /**
   * Writes a CAR v1 file of the chosen slot heads (with their whole histories), or of everything
   * kept: every slot head and every pin. The first root is an archive of the signed transactions
   * that wrote those slots, in the order they were applied (collection bindings included), so
   * another node can check and replay them and end with the same heads.
   */
  export(request: ExportRequest, options?: { signal?: AbortSignal, onProgress?(event: CarProgressEvent): void }): Promise<ExportResult>
}

class CarExporter implements Exporter {
  private readonly headsOfCollection: Statement
  private readonly headsOfToken: Statement
  private readonly allHeads: Statement
  private readonly allPins: Statement
  private readonly txOfCollection: Statement
  private readonly txOfToken: Statement
  private readonly allTx: Statement
  private readonly txByHash: Statement
  private readonly tokenOfData: Statement

  constructor (private readonly components: ExporterComponents) {
    const db: Database = components.store.db
    const applied = "status = 'applied'"
    this.txOfCollection = db.prepare(`SELECT hash FROM transactions WHERE token_key = ? AND ${applied} ORDER BY seq`).pluck()
    // A token's transactions, and its collection's bindings, which the replay needs first.
    this.txOfToken = db.prepare(`SELECT hash FROM transactions WHERE ${applied} AND (data_key = ? OR (token_key = ? AND method = 'contract')) ORDER BY seq`).pluck()
    this.allTx = db.prepare(`SELECT hash FROM transactions WHERE ${applied} ORDER BY seq`).pluck()
    this.txByHash = db.prepare('SELECT * FROM transactions WHERE hash = ?')
    this.tokenOfData = db.prepare('SELECT token_key FROM slots WHERE data_key = ? LIMIT 1').pluck()
    this.headsOfCollection = db.prepare('SELECT DISTINCT head_cid FROM slots WHERE token_key = ? ORDER BY head_cid').pluck()
    this.headsOfToken = db.prepare('SELECT DISTINCT head_cid FROM slots WHERE data_key = ? ORDER BY head_cid').pluck()
    this.allHeads = db.prepare('SELECT DISTINCT head_cid FROM slots ORDER BY head_cid').pluck()
    this.allPins = db.prepare('SELECT cid FROM pins ORDER BY cid').pluck()
  }

  async export (request: ExportRequest, options: { signal?: AbortSignal, onProgress?(event: CarProgressEvent): void } = {}): Promise<ExportResult> {
    const target = checkTarget(request.path)
    const heads = this.roots(request)
    const archive = this.archive(request)
    const roots = [archive.root.toString(), ...heads]
    let blocks = 0
    let bytes = 0
    // Written beside the target and renamed at the end, so a failed or cancelled export leaves no half file.
    const partial = `${target}.partial-${process.pid}`
    const fd = onTarget(target, () => fs.openSync(partial, 'wx'))
    try {
      await pipeline(
        Readable.from(exportCar(archive.source, roots.map(r => CID.parse(r)), {
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onProgress: event => {
            blocks = event.blocks
            bytes = event.bytes
            options.onProgress?.(event)
          },
        })),
        fs.createWriteStream(partial, { fd }),
      )
      onTarget(target, () => { fs.linkSync(partial, target) })
    } finally {
      fs.rmSync(partial, { force: true })
    }
    return { path: target, roots, transactions: archive.transactions, blocks, bytes }
  }

  /**
   * The archive of the export's applied transactions, and a block source that serves its blocks
   * over the blockstore's. Transaction blocks are encoded again when the CAR writer reaches them,
   * so memory holds one CID per transaction, not the transactions.
   */
  private archive (request: ExportRequest): { root: CID, transactions: number, source: BlockSource } {
    const hashes = (request.dataKey !== undefined
      ? this.txOfToken.all(request.dataKey, request.tokenKey ?? this.tokenKeyOf(request.dataKey))
      : request.tokenKey !== undefined ? this.txOfCollection.all(request.tokenKey) : this.allTx.all()) as string[]
    const byCid = new Map<string, string>()
    const links = hashes.map(hash => {
      const { cid } = encodeTransactionBlock(this.request(hash))
      byCid.set(cid.toString(), hash)
      return cid
    })
    const { root, pages } = encodeArchive(links)
    const built = new Map([root, ...pages].map(b => [b.cid.toString(), b.bytes]))
    const { blockstore } = this.components
    const signedRequest = (hash: string): TransactionRequest => this.request(hash)
    return {
      root: root.cid,
      transactions: links.length,
      source: {
        async * get (cid, options) {
          const key = cid.toString()
          const hash = byCid.get(key)
          const bytes = built.get(key) ?? (hash === undefined ? await getBlock(blockstore, cid, options) : encodeTransactionBlock(signedRequest(hash)).bytes)
          yield bytes
        },
      },
    }
  }

  private request (hash: string): TransactionRequest {
    const row = this.txByHash.get(hash) as TransactionRequest | undefined
    if (row === undefined) throw new Error(`transaction ${hash} vanished from the ledger during the export`)
    return row
  }

  private tokenKeyOf (dataKey: string): string {
    return (this.tokenOfData.get(dataKey) as string | undefined) ?? ''
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

/**
 * Runs a file operation on the target (or the partial file beside it), turning what the file
 * system refuses about that path (a name too long, a file where a folder should be, no
 * permission, a file that appeared meanwhile) into ExportPathError; anything else is rethrown.
 */
function onTarget<T> (target: string, operation: () => T): T {
  try {
    return operation()
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (code === 'EEXIST') throw new ExportPathError(`${target} already exists; choose a new file name`)
    if (code === 'ENAMETOOLONG') throw new ExportPathError(`the file name is ${Buffer.byteLength(path.basename(target))} bytes long, too long for the file system`)
    if (code === 'ENOTDIR') throw new ExportPathError(`${path.dirname(target)} is not a folder`)
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EISDIR') throw new ExportPathError(`${target} cannot be written (${code})`)
    throw err
  }
}

export function createExporter (components: ExporterComponents): Exporter {
  return new CarExporter(components)
}
