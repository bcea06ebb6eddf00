import { randomUUID } from 'node:crypto'
import type { Logger } from '@libp2p/logger'
import type { Database, Statement } from 'better-sqlite3'
import type { Lineage, PublishResult } from '../engine/index.js'
import { CollectionNotBoundError } from '../engine/index.js'
import { canonicalPublicKey } from '../signing/index.js'
import type { TransactionSigner, UnsignedTransactionRequest } from '../signing/index.js'
import { BULK_EDIT_ALIAS, BULK_EDIT_BATCH, BULK_EDIT_PREVIEW_SHOWN, BULK_EDIT_PROGRESS_EVENT, BULK_EDIT_VERSION, MAX_BULK_EDIT_REFUSED_KEPT } from './constants.js'
import { BulkEditJobNotFoundError, BulkEditUnknownFieldError, BulkEditUnknownTraitError } from './errors.js'
import { BulkEditJobs, emptyCounters } from './jobs.js'
import type { BulkEditCounters, BulkEditParams, BulkEditState, BulkToken, RefusedToken } from './jobs.js'
import { jobNoncePrefix, tokenNonce } from './nonce.js'
import { checkOperation, describeOperation, editDocument } from './operation.js'
import type { BulkChange, BulkOperation, TokenEdit } from './operation.js'
import { Selections } from './selection.js'
import type { BulkSelection, SelectedToken } from './selection.js'

export interface BulkEditRequest {
  chain_id: string
  token_address: string
  selection: BulkSelection
  operation: BulkOperation
  /** The key that will sign: its main document (alias "", v1) of each token is what is edited. */
  public_key: string
}

export interface BulkPreviewItem {
  token_id: string
  name: string
  outcome: TokenEdit['outcome']
  changes: BulkChange[]
  /** Why it does not change, or why it cannot be edited; '' for a change. */
  reason: string
}

export interface BulkPreview {
  description: string
  meta_contract_id: string
  /** Whether the signing key bound the collection (its contract may refuse others' main documents). */
  signer_is_binder: boolean
  selected: number
  change: number
  unchanged: number
  refused: number
  /** Refused tokens first, then changes, then the unchanged, each in token order: the first BULK_EDIT_PREVIEW_SHOWN. */
  items: BulkPreviewItem[]
}

export interface BulkEditJobInfo {
  job: string
  state: BulkEditState
  running: boolean
  description: string
  chain_id: string
  token_address: string
  operation: BulkOperation
  public_key: string
  total: number
  /** Tokens looked at so far (changed, unchanged or refused). */
  done: number
  /** Changed and applied (counted from the ledger: exact after a crash too). */
  changed: number
  unchanged: number
  /** Refused before signing, and refused by the collection's contract. */
  refused: number
  /** The first MAX_BULK_EDIT_REFUSED_KEPT refused tokens, with reasons in plain words. */
  refused_items: RefusedToken[]
  error: string
  created_at: number
  updated_at: number
}

export interface BulkEditProgressEvent { type: typeof BULK_EDIT_PROGRESS_EVENT, job: string, done: number, total: number }

export interface BulkEditRunOptions {
  signal?: AbortSignal
  onProgress?(event: BulkEditProgressEvent): void
}

export interface BulkEditorComponents {
  db: Database
  lineage: Lineage
  log: Logger
}

export interface BulkEditorInit {
  /** Tokens a commit holds; default BULK_EDIT_BATCH (tests make it small to cancel between batches). */
  batch?: number
}

/** Errors that end a job rather than refuse one token: the key, the engine or storage failed. */
const JOB_FAILURES = new Set(['KeyLockedError', 'LineageStoppedError', 'SqliteError'])

const OUTCOME_ORDER: Record<TokenEdit['outcome'], number> = { refused: 0, change: 1, unchanged: 2 }

/**
 * Bulk edits of a collection's tokens: a preview (every selected token's before → after, writes
 * nothing), then a job that signs each changed token's main document with one unlocked key and
 * publishes them a batch at a time through the engine's one-commit path (signAndPublish, as the
 * importer does). A cancel stops between batches: each batch is committed whole or not at all, so
 * every token ends on its old or its new document. The job is a row of `jobs`, kept in the job
 * history; nonces derive from (job, token), so its counts are read from the ledger after a crash.
 */
export class BulkEditor {
  private table: BulkEditJobs | undefined
  private readonly traitTypes: Statement<[string, string], string>
  private readonly active = new Map<string, { controller: AbortController, done?: Promise<BulkEditJobInfo> }>()

  private readonly batch: number

  constructor (private readonly components: BulkEditorComponents, init: BulkEditorInit = {}) {
    this.batch = init.batch ?? BULK_EDIT_BATCH
    this.traitTypes = components.db.prepare<[string, string], string>('SELECT DISTINCT trait_type FROM trait_values WHERE collection = (SELECT id FROM card_collections WHERE token_key = ? AND meta_contract_id = ?) ORDER BY trait_type').pluck()
  }

  /** Opens the jobs; a job a killed process left running is marked failed, its counts read from the ledger. Idempotent. */
  start (): void {
    if (this.table !== undefined) return
    const table = new BulkEditJobs(this.components.db)
    this.table = table
    for (const job of table.leftRunning()) {
      const info = this.status(job)
      table.saveProgress(job, info.done, { ...table.get(job)?.counters ?? emptyCounters(), applied: info.changed, rejected: info.refused })
      table.setState(job, 'failed', 'interrupted: the node stopped while it ran. Tokens already changed stay changed; preview the same edit again to finish the rest.')
      this.components.log('bulk edit %s was interrupted: %d changed', job, info.changed)
    }
  }

  /** Cancels the runs in progress (between batches) and waits for them. */
  async stop (): Promise<void> {
    const runs = [...this.active.values()]
    for (const { controller } of runs) controller.abort()
    await Promise.allSettled(runs.map(r => r.done))
    this.table = undefined
  }

  private get jobs (): BulkEditJobs {
    if (this.table === undefined) throw new Error('the bulk editor is not started')
    return this.table
  }

  /**
   * What the edit would do to each selected token; writes nothing.
   *
   * @throws BulkEditInputError, BulkEditEmptySelectionError, BulkEditTooManyTokensError,
   *   BulkEditUnknownTraitError, BulkEditUnknownFieldError, CollectionNotBoundError, BrowseQueryError
   */
  preview (request: BulkEditRequest): BulkPreview {
    const { metaContractId, binderKey, tokens, edits } = this.evaluate(request)
    const items = tokens.map((t, i): BulkPreviewItem => {
      const edit = edits[i] as TokenEdit
      return { token_id: t.token_id, name: t.name, outcome: edit.outcome, changes: edit.outcome === 'change' ? edit.changes : [], reason: edit.outcome === 'change' ? '' : edit.reason }
    })
    const count = (outcome: TokenEdit['outcome']): number => items.filter(i => i.outcome === outcome).length
    return {
      description: describeOperation(request.operation),
      meta_contract_id: metaContractId,
      signer_is_binder: binderKey === canonicalPublicKey(request.public_key),
      selected: items.length,
      change: count('change'),
      unchanged: count('unchanged'),
      refused: count('refused'),
      // A stable sort: token order within each outcome.
      items: [...items].sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]).slice(0, BULK_EDIT_PREVIEW_SHOWN),
    }
  }

  /** Checks the request, resolves the selection and computes every token's edit from its current document. */
  private evaluate (request: BulkEditRequest): { tokenKey: string, metaContractId: string, binderKey: string, tokens: SelectedToken[], edits: TokenEdit[] } {
    const { lineage } = this.components
    const operation = checkOperation(request.operation)
    const tokenKey = lineage.tokenKey(request.chain_id, request.token_address)
    const binding = lineage.binding(tokenKey)
    if (binding === undefined) throw new CollectionNotBoundError(tokenKey)
    const metaContractId = binding.meta_contract_id
    const selections = new Selections(this.components.db, id => lineage.dataKey(request.chain_id, request.token_address, id))
    const tokens = selections.resolve(tokenKey, metaContractId, request.selection)
    const publicKey = canonicalPublicKey(request.public_key)
    const edits = tokens.map(t => editDocument(this.documentOf(t, metaContractId, publicKey), operation))
    this.checkNamed(operation, tokenKey, metaContractId, tokens, publicKey)
    return { tokenKey, metaContractId, binderKey: canonicalPublicKey(binding.public_key), tokens, edits }
  }

  /**
   * A rename or removal must name something there: a trait of the collection, or a field of a
   * selected token. A rename already done (only the new name is there) is not an error: its
   * tokens are unchanged.
   */
  private checkNamed (operation: BulkOperation, tokenKey: string, metaContractId: string, tokens: readonly BulkToken[], publicKey: string): void {
    if (operation.op === 'rename_trait' || operation.op === 'remove_trait') {
      const known = this.traitTypes.all(tokenKey, metaContractId)
      if (!known.includes(operation.trait_type) && (operation.op === 'remove_trait' || !known.includes(operation.to))) throw new BulkEditUnknownTraitError(operation.trait_type, known)
    }
    if (operation.op === 'rename_field' || operation.op === 'remove_field') {
      const has = (name: string): boolean => tokens.some(t => {
        const document = this.documentOf(t, metaContractId, publicKey)
        return typeof document === 'object' && document !== null && !Array.isArray(document) && Object.hasOwn(document, name)
      })
      if (!has(operation.field) && (operation.op === 'remove_field' || !has(operation.to))) throw new BulkEditUnknownFieldError(operation.field)
    }
  }

  private documentOf (token: BulkToken, metaContractId: string, publicKey: string): ReturnType<Lineage['contentOf']> | undefined {
    return this.components.lineage.slot({ data_key: token.data_key, meta_contract_id: metaContractId, public_key: publicKey, alias: BULK_EDIT_ALIAS, version: BULK_EDIT_VERSION })?.content
  }

  /**
   * Records a job for the edit (the selection resolved now, once) and runs it in the background
   * with the signer; answers the job at once. The signer is locked by the caller when `done` settles.
   *
   * @throws as `preview` does, before anything is recorded
   */
  apply (request: BulkEditRequest, signer: TransactionSigner, options: BulkEditRunOptions = {}): { info: BulkEditJobInfo, done: Promise<BulkEditJobInfo> } {
    const { metaContractId, tokens } = this.evaluate(request)
    const job = randomUUID()
    const params: BulkEditParams = {
      chain_id: request.chain_id,
      token_address: request.token_address,
      meta_contract_id: metaContractId,
      public_key: canonicalPublicKey(signer.publicKey),
      operation: request.operation,
      description: describeOperation(request.operation),
      nonce_prefix: jobNoncePrefix(job),
      tokens: tokens.map(t => ({ token_id: t.token_id, data_key: t.data_key })),
    }
    this.jobs.create(job, params)
    const controller = new AbortController()
    if (options.signal?.aborted === true) controller.abort()
    options.signal?.addEventListener('abort', () => { controller.abort() }, { once: true })
    const entry: { controller: AbortController, done?: Promise<BulkEditJobInfo> } = { controller }
    this.active.set(job, entry)
    this.components.log('bulk edit %s: %s on %d tokens', job, params.description, tokens.length)
    const done = this.run(job, params, signer, controller.signal, options.onProgress)
    entry.done = done
    return { info: this.status(job), done }
  }

  /** Stops a running job after the batch it is publishing; its state becomes "cancelled". */
  cancel (job: string): BulkEditJobInfo {
    const info = this.status(job)
    this.active.get(job)?.controller.abort()
    return info
  }

  isRunning (job: string): boolean {
    return this.active.has(job)
  }

  /** A job's state and counts; what it changed and what the contract refused are read from the ledger. */
  status (job: string): BulkEditJobInfo {
    const row = this.jobs.get(job)
    if (row === undefined) throw new BulkEditJobNotFoundError(job)
    const { params, counters } = row
    const committed = this.components.lineage.transactionCounts(params.public_key, params.nonce_prefix, 'metadata')
    const refused = committed.rejected + counters.refused_unsigned
    return {
      job,
      state: row.state,
      running: this.active.has(job),
      description: params.description,
      chain_id: params.chain_id,
      token_address: params.token_address,
      operation: params.operation,
      public_key: params.public_key,
      total: row.total,
      done: Math.max(row.done, committed.applied + refused + counters.unchanged),
      changed: committed.applied,
      unchanged: counters.unchanged,
      refused,
      refused_items: counters.refused_items,
      error: row.error,
      created_at: row.created_at,
      updated_at: row.updated_at,
    }
  }

  private async run (job: string, params: BulkEditParams, signer: TransactionSigner, signal: AbortSignal, onProgress?: (event: BulkEditProgressEvent) => void): Promise<BulkEditJobInfo> {
    const counters: BulkEditCounters = emptyCounters()
    const refuse = (token: BulkToken, reason: string, signed: boolean): void => {
      counters.rejected++
      if (!signed) counters.refused_unsigned++
      if (counters.refused_items.length < MAX_BULK_EDIT_REFUSED_KEPT) counters.refused_items.push({ token_id: token.token_id, reason })
    }
    let done = 0
    let state: BulkEditState = 'done'
    try {
      for (let start = 0; start < params.tokens.length; start += this.batch) {
        if (signal.aborted) {
          state = 'cancelled'
          break
        }
        const batch = params.tokens.slice(start, start + this.batch)
        await this.publishBatch(job, params, batch, signer, counters, refuse)
        done += batch.length
        this.jobs.saveProgress(job, done, counters)
        onProgress?.({ type: BULK_EDIT_PROGRESS_EVENT, job, done, total: params.tokens.length })
      }
      this.jobs.setState(job, state)
    } catch (err) {
      this.jobs.saveProgress(job, done, counters)
      this.jobs.setState(job, 'failed', String((err as Error).message).slice(0, 1024))
      this.components.log.error('bulk edit %s failed: %e', job, err)
    }
    this.active.delete(job)
    const info = this.status(job)
    this.components.log('bulk edit %s %s: %d changed, %d unchanged, %d refused', job, info.state, info.changed, info.unchanged, info.refused)
    return info
  }

  /** Edits one batch from the documents as they are now, signs the changes and publishes them in one commit, then reads their receipts. */
  private async publishBatch (job: string, params: BulkEditParams, batch: readonly BulkToken[], signer: TransactionSigner, counters: BulkEditCounters, refuse: (token: BulkToken, reason: string, signed: boolean) => void): Promise<void> {
    const { lineage } = this.components
    const pending: Array<{ token: BulkToken, request: UnsignedTransactionRequest }> = []
    for (const token of batch) {
      const edit = editDocument(this.documentOf(token, params.meta_contract_id, params.public_key), params.operation)
      if (edit.outcome === 'unchanged') counters.unchanged++
      else if (edit.outcome === 'refused') refuse(token, edit.reason, false)
      else {
        pending.push({
          token,
          request: {
            method: 'metadata',
            chain_id: params.chain_id,
            token_address: params.token_address,
            token_id: token.token_id,
            meta_contract_id: params.meta_contract_id,
            alias: BULK_EDIT_ALIAS,
            version: BULK_EDIT_VERSION,
            public_key: params.public_key,
            nonce: tokenNonce(job, token.token_id, params.nonce_prefix),
            // After the token's newest transaction, so the edit wins it even on a slow clock.
            timestamp: lineage.timestampFor({ method: 'metadata', chain_id: params.chain_id, token_address: params.token_address, token_id: token.token_id }),
            data: JSON.stringify(edit.document),
            mcdata: '',
          },
        })
      }
    }
    if (pending.length === 0) return
    const results: PublishResult[] = await lineage.signAndPublish(pending.map(p => p.request), signer)
    const published: Array<{ token: BulkToken, hash: string }> = []
    results.forEach((result, i) => {
      const { token } = pending[i] as { token: BulkToken }
      if (result.hash !== undefined) published.push({ token, hash: result.hash })
      else if (JOB_FAILURES.has(result.error.name)) throw result.error
      else refuse(token, `it could not be published: ${result.error.message}`, false)
    })
    await lineage.settled()
    for (const { token, hash } of published) {
      const receipt = lineage.receipt(hash)
      if (receipt?.status === 'applied') counters.applied++
      else if (receipt?.status === 'rejected') refuse(token, `the collection's contract refused it: ${receipt.reason}`, true)
    }
  }
}
