import { setImmediate as nextTurn } from 'node:timers/promises'
import type { AbortOptions } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import { importer } from 'ipfs-unixfs-importer'
import type { ImportCandidate, ImporterOptions, ImportResult } from 'ipfs-unixfs-importer'
import { AbortError } from '../../dag/index.js'
import { formatTokenDocument } from '../../marine/index.js'
import type { MetadataFormatter } from '../../marine/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import type { BindingRow, SlotWithContent } from '../engine/index.js'
import type { ExportDagResult, Exporter, ExportOptions } from '../export/index.js'
import { toCid } from '../pins/index.js'
import type { Pins } from '../pins/index.js'
import { tokenOrderKey } from '../tokens/index.js'
import { KUBO_SHARD_FANOUT_BITS, KUBO_SHARD_SPLIT_THRESHOLD_BYTES, MAX_SNAPSHOT_TOKENS, SNAPSHOT_PAGE_TOKENS, SNAPSHOT_PROGRESS_EVENT, SNAPSHOT_STAGE_BLOCKS } from './constants.js'
import { EmptyCollectionError, SnapshotBusyError, SnapshotCollectionError, SnapshotDocumentError, SnapshotHiddenCollectionError, SnapshotNamedError, SnapshotNotFoundError, SnapshotTooLargeError } from './errors.js'
import { SnapshotTables } from './tables.js'
import type { SnapshotRow } from './tables.js'
import { StagedWriter } from './writer.js'

/** What snapshots read of the engine: a collection's key and binding, a token's current slots. */
export interface SnapshotSource {
  tokenKey(chainId: string, tokenAddress: string): string
  binding(tokenKey: string): BindingRow | undefined
  slots(dataKey: string, metaContractId: string): SlotWithContent[]
  /** The head CIDs of a token's slots under a contract, sorted; no block is read. */
  slotHeads(dataKey: string, metaContractId: string): string[]
}

/**
 * The gateway's formatted documents kept in the database: a token's, if made from exactly these
 * slot heads (sorted, comma-joined) under this contract by the running formatter build.
 */
export interface KeptDocuments {
  kept(token: { dataKey: string, tokenKey: string, tokenId: string }, metaContractId: string, heads: string): string | undefined
}

export interface SnapshotsComponents {
  store: Store
  blockstore: SqliteBlockstore
  lineage: SnapshotSource
  /** The gateway's formatter: entries hold exactly the bytes `/metadata/…` serves. */
  formatter: MetadataFormatter
  /** Documents the gateway already made (a warm node has them all): used as they are, not made again. */
  documents?: KeptDocuments
  pins: Pins
  /** Writes a snapshot's CAR file (same file handling as `export_car`). */
  exporter: Exporter
  log: Logger
  /** Told of each snapshot once stored and pinned (the node announces it on the DHT, moves its IPNS name); never fails a snapshot. */
  onCreated?(snapshot: SnapshotInfo): void
  /** The IPNS name pointing at this root, if any: such a snapshot is not removed. */
  nameOf?(rootCid: string): string | undefined
  /** Reveal on mint: a collection hidden until minted is not snapshotted (every token would be public). */
  isHidden?(chainId: string, tokenAddress: string): boolean
}

export interface SnapshotsInit {
  /** Folder size (links' names and CIDs) past which it is HAMT-sharded; Kubo's 256 KiB by default. */
  shardSplitThresholdBytes?: number
  pageTokens?: number
  stageBlocks?: number
  maxTokens?: number
}

/** A collection by chain id and contract address. */
export interface SnapshotCollection {
  chain_id: string
  token_address: string
}

/** One snapshot: its root, the `ipfs://` baseURI to give the contract, and what it holds. */
export interface SnapshotInfo {
  chain_id: string
  token_address: string
  token_key: string
  root_cid: string
  /** `ipfs://<root_cid>/`: a token's URI is this plus its id (plus `.json` with json_suffix). */
  base_uri: string
  /** ISO 8601. */
  created_at: string
  tokens: number
  /** The folder's blocks, each counted once: what a pinning service stores. */
  bytes: number
  /** Each token also has a `<tokenId>.json` entry (the same file). */
  json_suffix: boolean
  /** A HAMT-sharded directory (a large collection), as Kubo makes one. */
  sharded: boolean
}

export interface SnapshotProgressEvent {
  type: typeof SNAPSHOT_PROGRESS_EVENT
  /** Tokens written into the folder so far, of `total` (counted when it started). */
  done: number
  total: number
}

export interface CreateSnapshotOptions extends AbortOptions {
  /** Add a `<tokenId>.json` entry beside each `<tokenId>` (the same file: no extra storage). */
  jsonSuffix?: boolean
  onProgress?(event: SnapshotProgressEvent): void
}

export interface SnapshotStatus {
  running: boolean
  done: number
  total: number
}

export interface Snapshots {
  /**
   * Builds the collection's ipfs:// folder (UnixFS, CIDv1, raw leaves, HAMT-sharded past Kubo's
   * threshold), then stores its blocks, pins it and records it in one SQLite transaction.
   * Cancelled or failed, it leaves no block, pin or record. Throws SnapshotCollectionError,
   * EmptyCollectionError, SnapshotTooLargeError, SnapshotBusyError, SnapshotDocumentError, AbortError.
   */
  create(collection: SnapshotCollection, options?: CreateSnapshotOptions): Promise<SnapshotInfo>
  /** How far the snapshot of this collection being taken is, or running: false. */
  status(collection: SnapshotCollection): SnapshotStatus
  /** Stops the snapshot of this collection being taken; its create throws AbortError. */
  cancel(collection: SnapshotCollection): SnapshotStatus
  /** The collection's snapshots (every collection's without one), newest first. */
  ls(collection?: SnapshotCollection): SnapshotInfo[]
  /** Forgets the snapshots with this root and unpins it (GC frees what nothing else keeps). Throws SnapshotNotFoundError, InvalidCidError. */
  rm(rootCid: string): SnapshotInfo[]
  /** Writes a snapshot as a CAR v1 file with its one root. Throws SnapshotNotFoundError and what Exporter.exportDag throws. */
  exportCar(rootCid: string, path: string, options?: ExportOptions): Promise<ExportDagResult>
}

interface Run {
  controller: AbortController
  done: number
  total: number
}

class StoreSnapshots implements Snapshots {
  private tablesCache: SnapshotTables | undefined
  private readonly runs = new Map<string, Run>()
  private readonly threshold: number
  private readonly pageTokens: number
  private readonly stageBlocks: number
  private readonly maxTokens: number

  constructor (private readonly components: SnapshotsComponents, init: SnapshotsInit = {}) {
    this.threshold = init.shardSplitThresholdBytes ?? KUBO_SHARD_SPLIT_THRESHOLD_BYTES
    this.pageTokens = init.pageTokens ?? SNAPSHOT_PAGE_TOKENS
    this.stageBlocks = init.stageBlocks ?? SNAPSHOT_STAGE_BLOCKS
    this.maxTokens = init.maxTokens ?? MAX_SNAPSHOT_TOKENS
  }

  async create (collection: SnapshotCollection, options: CreateSnapshotOptions = {}): Promise<SnapshotInfo> {
    const { lineage, blockstore, pins, log } = this.components
    const tokenKey = lineage.tokenKey(collection.chain_id, collection.token_address)
    const binding = lineage.binding(tokenKey)
    if (binding === undefined) throw new SnapshotCollectionError(collection.chain_id, collection.token_address)
    if (this.components.isHidden?.(binding.chain_id, binding.token_address) === true) throw new SnapshotHiddenCollectionError(collection.chain_id, collection.token_address)
    if (this.runs.has(tokenKey)) throw new SnapshotBusyError(collection.chain_id, collection.token_address)
    const tables = this.tables()
    const total = tables.countTokens.get(tokenKey, binding.meta_contract_id) ?? 0
    if (total === 0) throw new EmptyCollectionError(collection.chain_id, collection.token_address)
    if (total > this.maxTokens) throw new SnapshotTooLargeError(total, this.maxTokens)

    const run: Run = { controller: new AbortController(), done: 0, total }
    const signal = options.signal === undefined ? run.controller.signal : AbortSignal.any([options.signal, run.controller.signal])
    this.runs.set(tokenKey, run)
    const staging = blockstore.createStaging()
    try {
      const writer = new StagedWriter(staging, this.stageBlocks)
      const progress = (): void => { options.onProgress?.({ type: SNAPSHOT_PROGRESS_EVENT, done: run.done, total: run.total }) }
      let root: ImportResult | undefined
      // The folder is the last entry the importer yields (wrapWithDirectory).
      for await (const entry of importer(this.entries(binding, run, signal, options.jsonSuffix === true, progress), writer, this.importerOptions())) root = entry
      if (signal.aborted) throw new AbortError('snapshot')
      if (root === undefined) throw new EmptyCollectionError(collection.chain_id, collection.token_address)
      writer.flush()
      const rootCid = root.cid
      const row: SnapshotRow = {
        token_key: tokenKey,
        root_cid: rootCid.toV1().toString(),
        chain_id: binding.chain_id,
        token_address: binding.token_address,
        created_at: Date.now(),
        tokens: run.done,
        bytes: writer.bytes,
        json_suffix: options.jsonSuffix === true ? 1 : 0,
        sharded: root.unixfs?.type === 'hamt-sharded-directory' ? 1 : 0,
      }
      // Blocks, pin and row commit together: GC (one synchronous transaction too) sees all or none.
      tables.db.transaction(() => {
        staging.commitSync()
        pins.addWrittenSync(rootCid, { name: pinName(row) })
        tables.upsert.run(row)
      })()
      log('snapshot of %s/%s: %s (%d tokens, %d blocks, %d bytes%s)', row.chain_id, row.token_address, row.root_cid, row.tokens, writer.blocks, row.bytes, row.sharded === 1 ? ', sharded' : '')
      const created = info(row)
      try {
        this.components.onCreated?.(created)
      } catch (err) {
        log('after snapshot %s: %s', row.root_cid, (err as Error).message)
      }
      return created
    } finally {
      staging.discardSync()
      if (this.runs.get(tokenKey) === run) this.runs.delete(tokenKey)
    }
  }

  status (collection: SnapshotCollection): SnapshotStatus {
    const run = this.runs.get(this.components.lineage.tokenKey(collection.chain_id, collection.token_address))
    return { running: run !== undefined, done: run?.done ?? 0, total: run?.total ?? 0 }
  }

  cancel (collection: SnapshotCollection): SnapshotStatus {
    const status = this.status(collection)
    this.runs.get(this.components.lineage.tokenKey(collection.chain_id, collection.token_address))?.controller.abort()
    return status
  }

  ls (collection?: SnapshotCollection): SnapshotInfo[] {
    const tables = this.tables()
    const rows = collection === undefined ? tables.all.all() : tables.ofCollection.all(this.components.lineage.tokenKey(collection.chain_id, collection.token_address))
    return rows.map(info)
  }

  rm (rootCid: string): SnapshotInfo[] {
    const key = toCid(rootCid, 'root_cid').toV1().toString()
    const tables = this.tables()
    const { pins } = this.components
    const removed = tables.db.transaction(() => {
      const rows = tables.byRoot.all(key)
      if (rows.length === 0) throw new SnapshotNotFoundError(key)
      const name = this.components.nameOf?.(key)
      if (name !== undefined) throw new SnapshotNamedError(key, name)
      tables.removeRoot.run(key)
      // Someone may have unpinned it by hand already; the record goes all the same.
      if (pins.ls({ cid: key }).length > 0) pins.rm(key)
      return rows
    })()
    this.components.log('snapshot %s removed and unpinned', key)
    return removed.map(info)
  }

  async exportCar (rootCid: string, path: string, options: ExportOptions = {}): Promise<ExportDagResult> {
    const root = toCid(rootCid, 'root_cid')
    if (this.tables().byRoot.get(root.toV1().toString()) === undefined) throw new SnapshotNotFoundError(root.toString())
    return await this.components.exporter.exportDag({ path, roots: [root] }, options)
  }

  /**
   * `ipfs add -r --cid-version=1` as Kubo does it: CIDv1, raw leaves, 256 KiB chunks in a
   * balanced layout of 174 links (the importer's defaults), and HAMT sharding past Kubo's
   * threshold, estimated as Kubo estimates it.
   */
  private importerOptions (): ImporterOptions {
    return {
      cidVersion: 1,
      rawLeaves: true,
      wrapWithDirectory: true,
      shardSplitThresholdBytes: this.threshold,
      shardSplitStrategy: 'links-bytes',
      shardFanoutBits: KUBO_SHARD_FANOUT_BITS,
    }
  }

  /**
   * The folder's files, a page of tokens at a time in numeric order, each the document the
   * gateway serves for it (same slots, same formatter). A token written while the snapshot runs
   * is in it in one version or the other.
   */
  private async * entries (binding: BindingRow, run: Run, signal: AbortSignal, jsonSuffix: boolean, progress: () => void): AsyncGenerator<ImportCandidate> {
    const encoder = new TextEncoder()
    for (let after = ''; ;) {
      if (signal.aborted) throw new AbortError('snapshot')
      const page = this.tables().tokenPage.all(binding.token_key, binding.meta_contract_id, after, this.pageTokens)
      for (const { token_id: tokenId, data_key: dataKey } of page) {
        const json = this.document(binding.meta_contract_id, binding.token_key, tokenId, dataKey)
        // Rewound since the page was read: the gateway has no document for it now either.
        if (json === undefined) continue
        const content = encoder.encode(json)
        yield { path: tokenId, content }
        if (jsonSuffix) yield { path: `${tokenId}.json`, content }
        run.done++
      }
      progress()
      const last = page.at(-1)
      if (last === undefined || page.length < this.pageTokens) return
      after = tokenOrderKey(last.token_id)
      // The gateway and the API get a turn between pages.
      await nextTurn()
    }
  }

  /** The token's document as the gateway serves it: the one it kept if still current, else made now. */
  private document (metaContractId: string, tokenKey: string, tokenId: string, dataKey: string): string | undefined {
    const { lineage, formatter, documents } = this.components
    const kept = documents?.kept({ dataKey, tokenKey, tokenId }, metaContractId, lineage.slotHeads(dataKey, metaContractId).join(','))
    if (kept !== undefined) return kept
    const slots = lineage.slots(dataKey, metaContractId)
    if (slots.length === 0) return undefined
    const made = formatTokenDocument(formatter, tokenId, slots)
    if (!made.ok) throw new SnapshotDocumentError(tokenId, made.error)
    return made.json
  }

  /** Statements belong to one connection; a restarted store has a new one. */
  private tables (): SnapshotTables {
    const db = this.components.store.db
    if (this.tablesCache?.db !== db) this.tablesCache = new SnapshotTables(db)
    return this.tablesCache
  }
}

/** `snapshot 1/0xbc4c… 2026-12-07T01:20:05Z`: which collection, and when, for the pins list. */
function pinName (row: SnapshotRow): string {
  return `snapshot ${row.chain_id}/${row.token_address} ${new Date(row.created_at).toISOString().replace(/\.\d{3}Z$/, 'Z')}`
}

function info (row: SnapshotRow): SnapshotInfo {
  return {
    chain_id: row.chain_id,
    token_address: row.token_address,
    token_key: row.token_key,
    root_cid: row.root_cid,
    base_uri: `ipfs://${row.root_cid}/`,
    created_at: new Date(row.created_at).toISOString(),
    tokens: row.tokens,
    bytes: row.bytes,
    json_suffix: row.json_suffix === 1,
    sharded: row.sharded === 1,
  }
}

export function createSnapshots (components: SnapshotsComponents, init: SnapshotsInit = {}): Snapshots {
  return new StoreSnapshots(components, init)
}
