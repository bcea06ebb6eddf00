import type { BindingInfo, MetadataVerdictInfo, TokenInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { draftKey, forgetDraft, readDraft, saveDraft } from '../rules/drafts.js'
import type { DraftStorage } from '../rules/drafts.js'
import { attributesOf, checkMetadata, formatDocument, parseDocument, withField } from '../rules/metadata.js'
import type { Attribute, MetadataDocument } from '../rules/metadata.js'
import { describeProblem } from '../rules/problems.js'
import { waitForReceipt } from './receipts.js'

/** How long typing pauses before the collection's contract is asked. */
const CHECK_DELAY_MS = 300

export interface TokenAddress { chainId: string, address: string, tokenId: string }

/**
 * One token's main document being edited: the form and the raw JSON view are two views of
 * `document`, kept in step; local checks are derived, the contract's verdict (validate_metadata,
 * a dry run that writes nothing) follows each pause in typing; publishing signs with a node key.
 */
export class TokenEditor {
  token = $state<TokenInfo | null>(null)
  /** The collection's binding; null when no contract governs it yet. */
  binding = $state<BindingInfo | null>(null)
  document = $state<MetadataDocument>({})
  raw = $state('{}')
  rawProblem = $state<string | null>(null)
  verdict = $state<MetadataVerdictInfo | null>(null)
  verdictProblem = $state<string | null>(null)
  checking = $state(false)
  loading = $state(true)
  problem = $state<string | null>(null)
  /** The latest refused write of this token (an import's rejected item): its document and why. */
  refused = $state<{ data: string, reason: string } | null>(null)
  publishing = $state(false)
  published = $state<{ cid: string, hash: string } | null>(null)
  publishProblem = $state<string | null>(null)
  /** The public key the write would be signed with; the binder's when not chosen. */
  signer = $state<string | undefined>(undefined)
  /** Edits restored from this computer (a reload or a crash came between): and whether the published version moved since. */
  restored = $state<{ savedAt: number, stale: boolean } | null>(null)
  private baseline = $state('{}')

  local = $derived(checkMetadata(this.document))
  attributes = $derived(attributesOf(this.document))
  changed = $derived(JSON.stringify(this.document) !== this.baseline)
  contractId = $derived(this.binding?.meta_contract_id ?? null)
  private timer: ReturnType<typeof setTimeout> | undefined
  private checks = 0

  private readonly draft: string

  constructor (private readonly client: UiClient, readonly at: TokenAddress, private readonly storage?: DraftStorage) {
    this.draft = draftKey(at)
  }

  async load (): Promise<void> {
    this.loading = true
    try {
      const { chainId, address, tokenId } = this.at
      this.token = await this.client.call('get_token', { chain_id: chainId, token_address: address, token_id: tokenId })
      // A token nothing was written to yet has no record: its collection's binding is asked for itself.
      const binding = this.token?.binding ?? await this.client.call('get_meta_contract', await this.client.call('generate_token_key', chainId, address))
      this.binding = binding
      const main = this.token?.slots.find(s => s.alias === '' && s.meta_contract_id === binding?.meta_contract_id && s.public_key === binding?.public_key)
      const dataKey = this.token?.data_key ?? await this.client.call('generate_data_key', chainId, address, tokenId)
      const refused = await this.client.call('get_transactions', {
        query: [{ column: 'data_key', op: '=', query: dataKey }, { column: 'status', op: '=', query: 'rejected' }],
        ordering: [{ column: 'timestamp', sort: 'desc' }],
        to: 1,
      })
      const last = refused[0]
      const receipt = last === undefined ? null : await this.client.call('get_transaction_receipt', last.hash)
      this.refused = last !== undefined && receipt !== null && (main === undefined || last.timestamp > main.updated_at) ? { data: last.data, reason: receipt.reason } : null
      this.replace(main?.content !== undefined && typeof main.content === 'object' && main.content !== null ? main.content as MetadataDocument : { name: '' })
      this.baseline = JSON.stringify(this.document)
      this.problem = null
      this.restoreDraft()
    } catch (err) {
      this.problem = describeProblem(err)
    } finally {
      this.loading = false
    }
  }

  /** Unpublished edits kept on this computer come back over the published document. */
  private restoreDraft (): void {
    const draft = readDraft(this.storage, this.draft)
    if (draft === null || draft.document === this.baseline) return
    const parsed = parseDocument(draft.document)
    if (!parsed.ok) return
    this.setRaw(formatDocument(parsed.value))
    this.restored = { savedAt: draft.savedAt, stale: draft.baseline !== this.baseline }
  }

  /** Back to the published document: the edits and their draft are dropped. */
  discard (): void {
    forgetDraft(this.storage, this.draft)
    this.replace(JSON.parse(this.baseline) as MetadataDocument)
    this.restored = null
    this.publishProblem = null
  }

  /** Starts from the refused document, to fix what the contract said. */
  useRefused (): void {
    if (this.refused !== null) this.setRaw(formatDocument(JSON.parse(this.refused.data) as unknown))
  }

  private replace (document: MetadataDocument): void {
    this.document = document
    this.raw = formatDocument(document)
    this.rawProblem = null
    this.published = null
    this.keepDraft()
    this.scheduleCheck()
  }

  private keepDraft (): void {
    if (!this.loading) saveDraft(this.storage, this.draft, JSON.stringify(this.document), this.baseline)
  }

  setField (field: string, value: unknown): void {
    this.replace(withField(this.document, field, value))
  }

  setAttributes (attributes: Attribute[]): void {
    this.replace(withField(this.document, 'attributes', attributes.length === 0 ? undefined : attributes))
  }

  /** The raw view changed: the form follows once the text is JSON again. */
  setRaw (text: string): void {
    this.raw = text
    const parsed = parseDocument(text)
    if (!parsed.ok) {
      this.rawProblem = parsed.message
      return
    }
    this.rawProblem = null
    this.document = (typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value) ? parsed.value : { '': parsed.value }) as MetadataDocument
    this.keepDraft()
    this.scheduleCheck()
  }

  setSigner (publicKey: string | undefined): void {
    this.signer = publicKey
    this.scheduleCheck()
  }

  scheduleCheck (): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.check() }, CHECK_DELAY_MS)
  }

  /** Asks the collection's contract, without writing anything. */
  async check (): Promise<void> {
    if (this.binding === null) return
    const mine = ++this.checks
    this.checking = true
    try {
      const verdict = await this.client.call('validate_metadata', {
        chain_id: this.at.chainId, token_address: this.at.address, token_id: this.at.tokenId, data: JSON.stringify(this.document), ...(this.signer === undefined ? {} : { public_key: this.signer }),
      })
      if (mine !== this.checks) return
      this.verdict = verdict
      this.verdictProblem = null
    } catch (err) {
      if (mine === this.checks) this.verdictProblem = describeProblem(err)
    } finally {
      if (mine === this.checks) this.checking = false
    }
  }

  async publish (key: string, passphrase: string): Promise<void> {
    const contract = this.contractId
    if (contract === null) {
      this.publishProblem = 'This collection has no contract yet. Bind one on the Collections screen first.'
      return
    }
    this.publishing = true
    this.publishProblem = null
    try {
      const { hash } = await this.client.call('sign_and_publish', key, passphrase, {
        method: 'metadata', chain_id: this.at.chainId, token_address: this.at.address, token_id: this.at.tokenId, meta_contract_id: contract, data: JSON.stringify(this.document),
      })
      const receipt = await waitForReceipt(this.client, hash)
      if (receipt === null) this.publishProblem = 'The node accepted the write but has not decided yet. Look again in a moment (History shows it once applied).'
      else if (receipt.status === 'rejected') this.publishProblem = `The collection's contract refused it: ${receipt.reason}. Fix that and publish again.`
      else {
        forgetDraft(this.storage, this.draft)
        this.restored = null
        await this.load()
        this.published = { cid: receipt.heads[0] ?? '', hash }
      }
    } catch (err) {
      this.publishProblem = describeProblem(err)
    } finally {
      this.publishing = false
    }
  }

  dispose (): void {
    clearTimeout(this.timer)
  }
}
