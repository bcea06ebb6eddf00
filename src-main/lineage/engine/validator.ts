import type { Logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { decodeVersionBlock, encodeVersionBlock, sameContent } from '../../dag/index.js'
import type { JsonValue } from '../../dag/index.js'
import type { ContractSandbox } from '../../marine/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import { canonicalAlias, canonicalSlotKey } from '../signing/index.js'
import { ON_CLONE, ON_EXECUTE, VALIDATOR_GROUP_COMMIT } from './constants.js'
import { readContractOutput } from './contract-output.js'
import { executeArguments } from './contract-records.js'
import { CollectionLanes } from './lanes.js'
import type { Ledger } from './ledger.js'
import type { BindingAuthority, BindingRow, FinalMetadata, SlotRow, TokenChainFacts, TransactionRow } from './records.js'

export interface Outcome {
  hash: string
  status: 'applied' | 'rejected'
  reason: string
  /** The head of each slot the transaction wrote to: a new version, or (unchanged) the one already holding that content. */
  heads: string[]
  /** Applied, but every write already was its slot's current content: nothing was stored, no head moved. */
  unchanged: boolean
  /** Which collection and token the transaction touched ('' data_key for a binding), so readers can invalidate what they cache. */
  method: string
  meta_contract_id: string
  token_key: string
  data_key: string
}

export interface ValidatorComponents {
  ledger: Ledger
  blockstore: SqliteBlockstore
  sandbox: ContractSandbox
  log: Logger
  now(): number
  onOutcome(outcome: Outcome): void
  /** The chain facts a contract that takes them is given (records.ts TokenChainFacts); undefined for one that does not. */
  chainFacts?: (tx: TransactionRow) => TokenChainFacts | undefined
  /** Whether a transaction must wait for the chain (it names a block not applied yet): its collection's lane stops there until notified. */
  waits?: (tx: TransactionRow) => boolean
  /** Who may bind a collection as its chain says (records.ts BindingAuthority); throws when the endpoint cannot answer. */
  bindingAuthority?: (tx: TransactionRow) => Promise<BindingAuthority>
  /** Keeps a token's browse card (lineage/browse) in step with its slots, in the same transaction. */
  cards?: { refresh(dataKey: string, metaContractId: string, known: ReadonlyMap<string, JsonValue>): void }
}

type ContractCall = Parameters<ContractSandbox['callMany']>[0][number]
type ContractCallResult = Awaited<ReturnType<ContractSandbox['callMany']>>[number]

/**
 * A metadata transaction whose contract was asked before it is decided (executeAll): the answer,
 * and the binding and slots it was asked with. The decision and its writes use these rather than
 * reading them again: nothing but a rewind changes them before the group commits, and a rewind
 * queues the transaction again, which drops the decision at commit.
 */
interface Asked {
  binding: BindingRow
  slots: SlotRow[]
  result: ContractCallResult
}

/** Where clone reads from, given in the request's mcdata. */
interface CloneSource { public_key: string, alias: string, version: string }

/**
 * What the validator decided for one transaction, before anything is written: its status, and
 * the writes (blocks and slot heads) that go with it, run inside the group's db.transaction.
 */
interface Decision {
  tx: TransactionRow
  status: 'applied' | 'rejected'
  reason: string
  write(): Written
}

/** What a decision's writes did: each slot's head after it, and whether none of them stored anything. */
interface Written {
  heads: string[]
  unchanged: boolean
}

/** A slot's head as the writes of one transaction see it; `content` once it has been read or written. */
interface Head {
  cid: string
  loose: 0 | 1
  content?: JsonValue
}

/** Decisions waiting for the next shared commit, and how each lane hears it went. */
interface QueuedCommit { decisions: Decision[], done: (committed: boolean) => void }

/**
 * Applies pending transactions as soon as they arrive. Each collection with pending transactions
 * gets a lane (lanes.ts), which applies them in arrival order; lanes run side by side, so a
 * collection whose contract burns its time budget delays only itself (the sandbox runs different
 * contracts in different workers). Within a lane, transactions are decided one at a time
 * (contract calls in order), then the decisions of a group commit; groups that lanes finish at the
 * same moment commit together, in one short synchronous SQLite transaction that writes their
 * blocks, slot heads, statuses and receipts (group commit: one fsync). No lock or queue is held across a contract call. A crash leaves a
 * group either wholly applied or still pending (and it is applied again on the next start:
 * contracts are deterministic).
 *
 * A transaction that arrives late in canonical order (timestamp, hash) rewinds its token or
 * collection when it is stored (convergence.ts): they are queued again, and whatever was being
 * decided for them is dropped at commit (the claim checks the transaction is still pending under
 * the seq it was loaded with).
 *
 * A decision reads committed state only: a transaction whose token already has a decision in the
 * group (same data_key) first commits the group, and a binding commits alone, so every contract
 * sees exactly what it would have seen applying one transaction at a time.
 */
export class Validator {
  private readonly lanes: CollectionLanes
  private stopped = false
  private readonly commits: QueuedCommit[] = []

  constructor (private readonly components: ValidatorComponents) {
    this.lanes = new CollectionLanes({ ledger: components.ledger, log: components.log, apply: async batch => await this.applyBatch(batch) })
  }

  /** There may be new pending transactions: apply them. Cheap to call often. */
  notify (): void {
    this.lanes.notify()
  }

  /** Lets the transactions being decided finish and commit, then stops. */
  async stop (): Promise<void> {
    this.stopped = true
    await this.lanes.stop()
  }

  /** Resolves when no transaction is pending or being applied. */
  async idle (): Promise<void> {
    await this.lanes.idle()
  }

  /**
   * Decides and commits a batch of one collection's pending transactions in order; false if it
   * had to stop. The next group's contract calls run in the sandbox while this group is decided
   * and committed, when nothing this group writes can change their inputs.
   */
  private async applyBatch (batch: TransactionRow[]): Promise<boolean | 'waiting'> {
    const waits = this.components.waits
    // Nothing asked of a contract for a collection held back at its first transaction.
    if (batch[0] !== undefined && waits?.(batch[0]) === true) return 'waiting'
    let group = takeGroup(batch, 0)
    let start = group.length
    let asking = this.executeAll(group)
    while (group.length > 0) {
      if (this.stopped) return false
      const decisions: Decision[] = []
      const next = takeGroup(batch, start)
      let nextAsking: Promise<Map<string, Asked>> | undefined
      try {
        const answers = await asking
        if (independent(group, next)) nextAsking = this.executeAll(next)
        for (const tx of group) {
          if (waits?.(tx) === true) {
            // This write and every later one of the collection stay pending, in order, until the chain catches up.
            nextAsking?.catch(() => {})
            return await this.commitGroup(decisions) ? 'waiting' : false
          }
          decisions.push(await this.decide(tx, answers.get(tx.hash)))
        }
      } catch (err) {
        // Only a storage failure lands here; the transaction stays pending for the next start.
        this.components.log.error('applying %s failed, will retry on restart: %e', group[decisions.length]?.hash, err)
        await this.commitGroup(decisions)
        nextAsking?.catch(() => {})
        return false
      }
      if (!await this.commitGroup(decisions)) {
        nextAsking?.catch(() => {})
        return false
      }
      group = next
      start += next.length
      asking = nextAsking ?? this.executeAll(next)
    }
    return !this.stopped
  }

  /**
   * The contract's answers for the group's metadata transactions, asked in one round trip to the
   * sandbox. Their inputs are what one-at-a-time would give: the group holds one transaction per
   * token and no binding, so no decision in it changes another's input.
   */
  private async executeAll (group: TransactionRow[]): Promise<Map<string, Asked>> {
    const { ledger, sandbox } = this.components
    const asked: Array<{ tx: TransactionRow, binding: BindingRow, slots: SlotRow[] }> = []
    const calls: ContractCall[] = []
    // A group holds no binding, so a collection's binding is the same for all of it: read once.
    const bindings = new Map<string, BindingRow | undefined>()
    for (const tx of group) {
      if (tx.method !== 'metadata') continue
      let binding = bindings.get(tx.token_key)
      if (binding === undefined && !bindings.has(tx.token_key)) {
        binding = ledger.binding(tx.token_key)
        bindings.set(tx.token_key, binding)
      }
      if (binding === undefined || binding.meta_contract_id !== tx.meta_contract_id || !sandbox.has(tx.meta_contract_id)) continue
      const slots = ledger.slots(tx.data_key, tx.meta_contract_id)
      asked.push({ tx, binding, slots })
      calls.push({ id: tx.meta_contract_id, fn: ON_EXECUTE, args: executeArguments(binding, slots, tx, this.components.chainFacts?.(tx)) })
    }
    const answers = new Map<string, Asked>()
    if (calls.length < 2) return answers
    const results = await sandbox.callMany(calls)
    asked.forEach(({ tx, binding, slots }, i) => {
      const result = results[i]
      if (result !== undefined) answers.set(tx.hash, { binding, slots, result })
    })
    return answers
  }

  /**
   * Queues the decisions of a group for the next shared commit (lanes that finish a group in the
   * same turn of the event loop commit together: one fsync); resolves false if the commit failed.
   * Empties the group.
   */
  private async commitGroup (group: Decision[]): Promise<boolean> {
    if (group.length === 0) return true
    const decisions = group.splice(0)
    return await new Promise<boolean>(resolve => {
      this.commits.push({ decisions, done: resolve })
      if (this.commits.length === 1) setImmediate(() => { this.commitQueued() })
    })
  }

  /**
   * Writes the queued decisions, each with its status and its one receipt, in one SQLite
   * transaction, then reports their outcomes. A decision whose transaction a rewind queued again
   * while it was being decided (it is no longer pending under the seq it was loaded with) is
   * dropped: it is decided again in its turn.
   */
  private commitQueued (): void {
    const { ledger, log } = this.components
    const queued = this.commits.splice(0)
    const outcomes: Outcome[] = []
    try {
      ledger.db.transaction(() => {
        for (const { decisions } of queued) {
          for (const { tx, status, reason, write } of decisions) {
            if (!ledger.claim(tx.hash, tx.seq, status)) {
              log('dropped the decision on %s: it was queued again', tx.hash)
              continue
            }
            const { heads, unchanged } = write()
            ledger.addReceipt(tx.seq, status, reason, heads, unchanged, this.components.now())
            outcomes.push({ hash: tx.hash, status, reason, heads, unchanged, method: tx.method, meta_contract_id: tx.meta_contract_id, token_key: tx.token_key, data_key: tx.data_key })
          }
        }
      })()
    } catch (err) {
      // A storage failure: every queued group stays pending for the next start.
      log.error('committing %d groups from %s failed, will retry on restart: %e', queued.length, queued[0]?.decisions[0]?.tx.hash, err)
      for (const { done } of queued) done(false)
      return
    }
    for (const outcome of outcomes) {
      // One failing listener must not keep the others, or the rest of the group, from hearing.
      try {
        this.components.onOutcome(outcome)
      } catch (err) {
        log.error('a listener of the outcome of %s failed: %e', outcome.hash, err)
      }
    }
    for (const { done } of queued) done(true)
  }

  private async decide (tx: TransactionRow, answer: Asked | undefined): Promise<Decision> {
    switch (tx.method) {
      case 'contract': return await this.applyBinding(tx)
      case 'metadata': return this.applyMetadata(tx, answer)
      case 'clone': return this.applyClone(tx)
    }
  }

  private async applyBinding (tx: TransactionRow): Promise<Decision> {
    const { ledger, sandbox } = this.components
    const current = ledger.binding(tx.token_key)
    let authority: BindingAuthority = { owner: null, block: null }
    try {
      authority = await this.components.bindingAuthority?.(tx) ?? authority
    } catch (err) {
      // Nothing changes, and the signer can send the binding again: the receipt says why.
      return this.reject(tx, `the collection contract's owner() could not be read from chain ${tx.chain_id}'s endpoint (${(err as Error).message}); nothing changed. Publish the binding again once the endpoint answers.`)
    }
    if (authority.owner !== null) {
      // Where the chain is configured and the contract has an owner(), it alone decides, also for a rebinding.
      if (tx.public_key !== authority.owner) return this.reject(tx, `only the collection contract's owner() (${authority.owner} at block ${authority.block ?? '?'}) may bind it; ${tx.public_key} is not`)
    } else if (current !== undefined && current.public_key !== tx.public_key) {
      // Checked again here, not only at publish: two bindings may have been accepted before either applied.
      return this.reject(tx, `only the key that bound this collection (${current.public_key}) may rebind it`)
    }
    if (!sandbox.has(tx.meta_contract_id)) return this.reject(tx, `no meta contract "${tx.meta_contract_id}" is deployed on this node`)
    return this.commit(tx, () => {
      ledger.putBinding({
        token_key: tx.token_key,
        chain_id: tx.chain_id,
        token_address: tx.token_address,
        meta_contract_id: tx.meta_contract_id,
        public_key: authority.owner ?? current?.public_key ?? tx.public_key,
        data: tx.data,
        tx_hash: tx.hash,
        updated_at: tx.timestamp,
      })
      return { heads: [], unchanged: false }
    })
  }

  /** `asked`: the contract's answer if it was already asked (executeAll), else it is asked here. */
  private async applyMetadata (tx: TransactionRow, asked: Asked | undefined): Promise<Decision> {
    const { ledger, sandbox } = this.components
    // Asked means the binding governed with this contract when the call was made (executeAll).
    const binding = asked?.binding ?? ledger.binding(tx.token_key)
    if (binding === undefined) return this.reject(tx, 'no meta contract governs this collection')
    if (binding.meta_contract_id !== tx.meta_contract_id) return this.reject(tx, `this collection is governed by "${binding.meta_contract_id}", not "${tx.meta_contract_id}"`)

    let answer: unknown
    let slots: SlotRow[]
    if (asked !== undefined) {
      if (!asked.result.ok) return this.reject(tx, asked.result.error.message)
      answer = asked.result.value
      slots = asked.slots
    } else {
      slots = ledger.slots(tx.data_key, tx.meta_contract_id)
      try {
        answer = await sandbox.call(tx.meta_contract_id, ON_EXECUTE, executeArguments(binding, slots, tx, this.components.chainFacts?.(tx)))
      } catch (err) {
        return this.reject(tx, (err as Error).message)
      }
    }
    // The answer is checked (count, sizes, names, attribution) before anything is written.
    const output = readContractOutput(answer, tx)
    if (!output.ok) return this.reject(tx, output.reason)
    // The token's slots as the contract saw them: each write links the head it replaces.
    const heads = new Map<string, Head>(slots.map(slot => [slotId(slot), { cid: slot.head_cid, loose: slot.loose }]))
    return this.commit(tx, () => this.writeAll(tx, output.writes, heads))
  }

  private async applyClone (tx: TransactionRow): Promise<Decision> {
    const { ledger, sandbox, blockstore } = this.components
    const binding = ledger.binding(tx.token_key)
    if (binding === undefined) return this.reject(tx, 'no meta contract governs this collection')
    // The slot to copy may name an EVM key (and an alias that is that key) in any case.
    const source = canonicalSlotKey(JSON.parse(tx.mcdata) as CloneSource)
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
    const write: FinalMetadata = { public_key: tx.public_key, alias: canonicalAlias(tx.alias, tx.public_key), content: '', loose: origin.loose, version: tx.version }
    return this.commit(tx, () => {
      const target = ledger.slot(tx.data_key, tx.meta_contract_id, write.public_key, write.alias, write.version)
      const heads = new Map<string, Head>(target === undefined ? [] : [[slotId(target), { cid: target.head_cid, loose: target.loose }]])
      return this.writeAll(tx, [{ write, content }], heads)
    })
  }

  /**
   * Stores a transaction's approved writes, in order, inside the group's transaction. A write whose
   * content (and loose flag) is already its slot's current head stores nothing: writing the same
   * document again is not a new version. Every node decides this alike, from the slot heads that
   * canonical order gives it. `heads` holds the slots the transaction was judged with and is
   * updated as writes land, so a second write to one slot links (and compares with) the first.
   */
  private writeAll (tx: TransactionRow, writes: Array<{ write: FinalMetadata, content: JsonValue }>, heads: Map<string, Head>): Written {
    let stored = 0
    const written = writes.map(({ write, content }) => {
      const id = slotId(write)
      const loose = write.loose === 0 ? 0 : 1
      const head = heads.get(id)
      if (head !== undefined && head.loose === loose && this.holds(head, content)) return head.cid
      const cid = this.writeVersion(tx, write, content, head?.cid)
      heads.set(id, { cid, loose, content })
      stored++
      return cid
    })
    if (stored > 0) this.components.cards?.refresh(tx.data_key, tx.meta_contract_id, new Map([...heads.values()].flatMap(h => h.content === undefined ? [] : [[h.cid, h.content]])))
    return { heads: written, unchanged: writes.length > 0 && stored === 0 }
  }

  /** Whether a slot's head holds `content`; its block is read once. */
  private holds (head: Head, content: JsonValue): boolean {
    if (head.content === undefined) {
      const bytes = this.components.blockstore.getSync(CID.parse(head.cid))
      // A head whose block is gone (a damaged database) cannot be compared: the write goes in as
      // before, rather than the validator stalling on it.
      if (bytes === undefined) {
        this.components.log.error('block %s (head of a slot) is missing from the blockstore; writing a new version over it', head.cid)
        return false
      }
      head.content = decodeVersionBlock(bytes).content
    }
    return sameContent(head.content, content)
  }

  /**
   * One new version of a slot: its block, linked to the slot's head (`previous`, none for a new
   * slot), and the new head. Inside the group's transaction.
   */
  private writeVersion (tx: TransactionRow, write: FinalMetadata, content: JsonValue, previous: string | undefined): string {
    const { ledger, blockstore } = this.components
    const block = encodeVersionBlock({
      timestamp: tx.timestamp,
      content,
      ...(previous === undefined ? {} : { previous: CID.parse(previous) }),
      transaction: { hash: tx.hash, timestamp: tx.timestamp, meta_contract_id: tx.meta_contract_id, method: tx.method, value: tx.data },
    })
    // Kept without its copies of the transaction, which the transaction's row holds (store/blockstore.ts).
    blockstore.putSync(block.cid, block.bytes, tx)
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

  /** An applied decision: `write` runs inside the group's transaction and says what it wrote. */
  private commit (tx: TransactionRow, write: () => Written): Decision {
    return { tx, status: 'applied', reason: '', write }
  }

  private reject (tx: TransactionRow, reason: string): Decision {
    return { tx, status: 'rejected', reason, write: () => ({ heads: [], unchanged: false }) }
  }
}

/** A slot's identity within one token and contract. */
function slotId (slot: Pick<SlotRow, 'public_key' | 'alias' | 'version'>): string {
  return `${slot.public_key}\n${slot.alias}\n${slot.version}`
}

/**
 * Whether `next` can ask its contract calls before `group` commits: `group` binds nothing (a
 * binding changes what every transaction of its collection sees) and writes none of `next`'s tokens.
 */
function independent (group: TransactionRow[], next: TransactionRow[]): boolean {
  if (next.length === 0 || group.some(tx => tx.method === 'contract')) return false
  const tokens = new Set(group.map(tx => tx.data_key))
  return next.every(tx => tx.method !== 'contract' && !tokens.has(tx.data_key))
}

/**
 * The transactions from `start` that can be decided together: consecutive, at most
 * VALIDATOR_GROUP_COMMIT, one per token (a second one of a token must see the first one's slots),
 * and a binding (which changes what every later transaction of its collection sees) alone.
 */
function takeGroup (batch: TransactionRow[], start: number): TransactionRow[] {
  const group: TransactionRow[] = []
  const tokens = new Set<string>()
  for (let i = start; i < batch.length && group.length < VALIDATOR_GROUP_COMMIT; i++) {
    const tx = batch[i]
    if (tx === undefined) break
    if (tx.method === 'contract') return group.length === 0 ? [tx] : group
    if (tokens.has(tx.data_key)) break
    tokens.add(tx.data_key)
    group.push(tx)
  }
  return group
}
