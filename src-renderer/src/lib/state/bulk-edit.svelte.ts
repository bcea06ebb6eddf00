import type { BulkEditJobInfoWire, BulkEditParam, BulkPreviewInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { bulkProblem, formProblems, operationOf } from '../rules/bulk-edit.js'
import type { BulkForm, BulkFormField } from '../rules/bulk-edit.js'
import type { BulkSelection } from './bulk-selection.svelte.js'
import type { CollectionRef } from './workspace.svelte.js'

/** How often a running edit is asked for its progress. */
const POLL_MS = 400

export type BulkStep = 'form' | 'preview' | 'running' | 'result'

/**
 * One bulk edit from the dialog: the form (checked here first), the node's preview, the job
 * started with the passphrase typed once, its progress (polled), cancel, and the result with the
 * refused tokens. A refusal is kept beside the input it concerns.
 */
export class BulkEditSession {
  form = $state<BulkForm>({ target: 'trait', action: 'set', name: '', value: '', to: '' })
  key = $state('')
  passphrase = $state('')
  step = $state<BulkStep>('form')
  busy = $state(false)
  preview = $state<BulkPreviewInfo | null>(null)
  job = $state<BulkEditJobInfoWire | null>(null)
  problems = $state<Partial<Record<BulkFormField, string>>>({})
  problem = $state<string | null>(null)
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor (private readonly client: UiClient, private readonly collection: CollectionRef, private readonly selection: BulkSelection, key: string) {
    this.key = key
  }

  private param (): BulkEditParam {
    return { chain_id: this.collection.chain_id, token_address: this.collection.token_address, selection: this.selection.param(), operation: operationOf(this.form), key: this.key }
  }

  private refuse (err: unknown): void {
    const { field, message } = bulkProblem(err)
    if (field === null) this.problem = message
    else this.problems = { [field]: message }
  }

  /** Checks the form, then asks the node what would change (nothing is written). */
  async showPreview (): Promise<void> {
    this.problem = null
    this.problems = formProblems(this.form)
    if (Object.keys(this.problems).length > 0) return
    this.busy = true
    try {
      this.preview = await this.client.call('bulk_edit_preview', this.param())
      this.step = 'preview'
    } catch (err) {
      this.refuse(err)
    } finally {
      this.busy = false
    }
  }

  back (): void {
    this.step = 'form'
    this.problem = null
  }

  /** Signs and publishes every change with the key (its passphrase asked once). */
  async apply (): Promise<void> {
    this.problem = null
    this.problems = {}
    if (this.passphrase === '') {
      this.problems = { passphrase: 'Type the passphrase of the signing key.' }
      return
    }
    this.busy = true
    try {
      this.job = await this.client.call('bulk_edit_apply', this.param(), this.passphrase)
      this.passphrase = ''
      this.step = 'running'
      this.poll()
    } catch (err) {
      this.refuse(err)
    } finally {
      this.busy = false
    }
  }

  async cancel (): Promise<void> {
    if (this.job === null) return
    try {
      this.job = await this.client.call('bulk_edit_cancel', this.job.job)
    } catch (err) {
      this.refuse(err)
    }
  }

  private poll (): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.refresh() }, POLL_MS)
  }

  private async refresh (): Promise<void> {
    if (this.job === null) return
    try {
      this.job = await this.client.call('bulk_edit_status', this.job.job)
    } catch (err) {
      this.refuse(err)
    }
    if (this.job.running || this.job.state === 'running') this.poll()
    else this.step = 'result'
  }

  dispose (): void {
    clearTimeout(this.timer)
  }
}
