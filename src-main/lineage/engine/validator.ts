import type { Logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { decodeVersionBlock, encodeVersionBlock } from '../../dag/index.js'
import type { JsonValue } from '../../dag/index.js'
import type { ContractSandbox } from '../../marine/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import { ON_CLONE, ON_EXECUTE, VALIDATOR_BATCH } from './constants.js'
import { contractRecord, metadataRecord, readContractResult, transactionRecord } from './contract-records.js'
import type { Ledger } from './ledger.js'
import type { FinalMetadata, TransactionRow } from './records.js'

export interface Outcome {
  hash: string
  status: 'applied' | 'rejected'
  reason: string
  heads: string[]
}

export interface ValidatorComponents {
  ledger: Ledger
  blockstore: SqliteBlockstore
  sandbox: ContractSandbox
  log: Logger
  now(): number
  onOutcome(outcome: Outcome): void
}

/** Where clone reads from, given in the request's mcdata. */
interface CloneSource { public_key: string, alias: string, version: string }

/**
 * Applies pending transactions one at a time, in arrival order, as soon as they arrive. Every
 * transaction ends in one SQLite transaction that writes its blocks, slot heads, status and
 * receipt together, so a crash leaves it either wholly applied or still pending (and it is
 * applied again on the next start: contracts are deterministic).
 */
export class Validator {
  private running: Promise<void> | undefined
  private wanted = false
  private stopped = false

  constructor (private readonly components: ValidatorComponents) {}

  /** There may be new pending transactions: drain them. Cheap to call often. */
  notify (): void {
    if (this.stopped) return
    this.wanted = true
    this.running ??= this.drain().finally(() => { this.running = undefined })
  }

  /** Lets the transaction in progress finish, then stops. */
  async stop (): Promise<void> {
    this.stopped = true
    await this.running
  }

  /** Resolves when no transaction is pending or being applied. */
  async idle (): Promise<void> {
    while (this.running !== undefined) await this.running
  }

  private async drain (): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false
      for (;;) {
        const batch = this.components.ledger.pendingTransactions(VALIDATOR_BATCH)
        if (batch.length === 0) break
        for (const tx of batch) {
          if (this.stopped) return
          try {
            this.components.onOutcome(await this.apply(tx))
          } catch (err) {
            // Only a storage failure lands here; the transaction stays pending for the next start.
            this.components.log.error('applying %s failed, will retry on restart: %e', tx.hash, err)
            return
          }
        }
      }
    }
  }

  private async apply (tx: TransactionRow): Promise<Outcome> {
    switch (tx.method) {
      case 'contract': return this.applyBinding(tx)
      case 'metadata': return this.applyMetadata(tx)
      case 'clone': return this.applyClone(tx)
    }
  }

  private applyBinding (tx: TransactionRow): Outcome {
    const { ledger, sandbox } = this.components
    const current = ledger.binding(tx.token_key)
    // Checked again here, not only at publish: two bindings may have been accepted before either applied.
    if (current !== undefined && current.public_key !== tx.public_key) return this.reject(tx, `only the key that bound this collection (${current.public_key}) may rebind it`)
    if (!sandbox.has(tx.meta_contract_id)) return this.reject(tx, `no meta contract "${tx.meta_contract_id}" is deployed on this node`)
    return this.commit(tx, [], () => {
      ledger.putBinding({
        token_key: tx.token_key,
        chain_id: tx.chain_id,
        token_address: tx.token_address,
        meta_contract_id: tx.meta_contract_id,
        public_key: current?.public_key ?? tx.public_key,
        data: tx.data,
        tx_hash: tx.hash,
        updated_at: tx.timestamp,
      })
      return []
    })
  }

  private async applyMetadata (tx: TransactionRow): Promise<Outcome> {
    const { ledger, sandbox } = this.components
    const binding = ledger.binding(tx.token_key)
    if (binding === undefined) return this.reject(tx, 'no meta contract governs this collection')
    if (binding.meta_contract_id !== tx.meta_contract_id) return this.reject(tx, `this collection is governed by "${binding.meta_contract_id}", not "${tx.meta_contract_id}"`)

    const metadatas = ledger.slots(tx.data_key, tx.meta_contract_id).map(metadataRecord)
    let answer: unknown
    try {
      answer = await sandbox.call(tx.meta_contract_id, ON_EXECUTE, [contractRecord(binding), metadatas, transactionRecord(tx)])
    } catch (err) {
      return this.reject(tx, (err as Error).message)
    }
    const result = readContractResult(answer)
    if (typeof result === 'string') return this.reject(tx, result)
    if (!result.result) return this.reject(tx, result.error_string === '' ? 'the meta contract rejected it without a reason' : result.error_string)

    const contents: JsonValue[] = []
    for (const write of result.metadatas) {
      try {
        contents.push(JSON.parse(write.content) as JsonValue)
      } catch {
        return this.reject(tx, `the meta contract approved content for alias "${write.alias}" that is not JSON`)
      }
    }
    return this.commit(tx, result.metadatas, writes => writes.map((write, i) => this.writeVersion(tx, write, contents[i] ?? null)))
  }

  private async applyClone (tx: TransactionRow): Promise<Outcome> {
    const { ledger, sandbox, blockstore } = this.components
    const binding = ledger.binding(tx.token_key)
    if (binding === undefined) return this.reject(tx, 'no meta contract governs this collection')
    const source = JSON.parse(tx.mcdata) as CloneSource
    const origin = ledger.slot(tx.data_key, tx.meta_contract_id, source.public_key, source.alias, source.version)
    if (origin === undefined) return this.reject(tx, 'the slot to clone does not exist')
    let approved: unknown
    try {
      approved = await sandbox.call(tx.meta_contract_id, ON_CLONE, [])
    } catch (err) {
      return this.reject(tx, (err as Error).message)
    }
    if (approved !== true) return this.reject(tx, 'the meta contract does not allow cloning')
    const bytes = blockstore.getSync(CID.parse(origin.head_cid))
    if (bytes === undefined) return this.reject(tx, `the block ${origin.head_cid} of the slot to clone is missing`)
    const content = decodeVersionBlock(bytes).content
    const write: FinalMetadata = { public_key: tx.public_key, alias: tx.alias, content: '', loose: origin.loose, version: tx.version }
    return this.commit(tx, [write], writes => writes.map(w => this.writeVersion(tx, w, content)))
  }

  /** One new version of a slot: its block, linked to the slot's head, and the new head. Inside commit's transaction. */
  private writeVersion (tx: TransactionRow, write: FinalMetadata, content: JsonValue): string {
    const { ledger, blockstore } = this.components
    const previous = ledger.slot(tx.data_key, tx.meta_contract_id, write.public_key, write.alias, write.version)
    const block = encodeVersionBlock({
      timestamp: tx.timestamp,
      content,
      ...(previous === undefined ? {} : { previous: CID.parse(previous.head_cid) }),
      transaction: { hash: tx.hash, timestamp: tx.timestamp, meta_contract_id: tx.meta_contract_id, method: tx.method, value: tx.data },
    })
    blockstore.putSync(block.cid, block.bytes)
    const head = block.cid.toString()
    ledger.putSlot({
      data_key: tx.data_key,
      meta_contract_id: tx.meta_contract_id,
      public_key: write.public_key,
      alias: write.alias,
      version: write.version,
      token_key: tx.token_key,
      token_id: tx.token_id,
      head_cid: head,
      loose: write.loose === 0 ? 0 : 1,
      last_tx: tx.hash,
      updated_at: tx.timestamp,
    })
    return head
  }

  private commit<W> (tx: TransactionRow, writes: W[], write: (writes: W[]) => string[]): Outcome {
    const { ledger } = this.components
    let heads: string[] = []
    ledger.db.transaction(() => {
      heads = write(writes)
      ledger.finish(tx.hash, 'applied', '', heads, this.components.now())
    })()
    return { hash: tx.hash, status: 'applied', reason: '', heads }
  }

  private reject (tx: TransactionRow, reason: string): Outcome {
    this.components.ledger.db.transaction(() => {
      this.components.ledger.finish(tx.hash, 'rejected', reason, [], this.components.now())
    })()
    return { hash: tx.hash, status: 'rejected', reason, heads: [] }
  }
}
