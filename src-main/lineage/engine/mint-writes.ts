import type { Logger } from '@libp2p/logger'
import type { Database, Statement } from 'better-sqlite3'
import { CID } from 'multiformats/cid'
import { decodeVersionBlock, encodeVersionBlock, sameContent } from '../../dag/index.js'
import type { JsonValue } from '../../dag/index.js'
import type { ContractSandbox } from '../../marine/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import { ON_MINT } from './constants.js'
import { readContractOutput } from './contract-output.js'
import type { ContractWrite } from './contract-output.js'
import { contractRecord } from './contract-records.js'
import type { Ledger } from './ledger.js'
import type { BindingRow, SlotRow } from './records.js'

/** A confirmed mint, as the chain watcher gives it (one per ERC-1155 batch entry). */
export interface MintEvent {
  watch_id: number
  chain_id: number
  address: string
  block_number: number
  log_index: number
  batch_index: number
  tx_hash: string
  token_id: string
  from: string
  to: string
  amount: string
  /** The cron_tx hash of the mint: the version block's transaction hash. */
  hash: string
}

/** What a range's mints write, decided before the range commits; `apply` runs inside its transaction. */
export interface MintEffects {
  apply(): void
  /** After the commit: readers drop what they cached of the tokens written. */
  after(): void
}

export interface MintWriterComponents {
  db: Database
  ledger: Ledger
  blockstore: SqliteBlockstore
  sandbox: ContractSandbox
  log: Logger
  tokenKey(chainId: string, address: string): string
  dataKey(chainId: string, address: string, tokenId: string): string
  cards?: { refresh(dataKey: string, metaContractId: string, known?: ReadonlyMap<string, JsonValue>): void }
  /** A token's document changed outside a transaction: caches of it go. */
  changed(tokenKey: string, dataKey: string): void
}

interface MintAnswer { event: MintEvent, binding: BindingRow, dataKey: string, data: string, time: number, writes: ContractWrite[] }

interface MintWriteRow {
  watch_id: number
  block_number: number
  log_index: number
  batch_index: number
  ord: number
  mint_hash: string
  block_time: number
  token_key: string
  data_key: string
  token_id: string
  meta_contract_id: string
  public_key: string
  alias: string
  version: string
  head_cid: string
  loose: 0 | 1
  previous_cid: string | null
  previous_loose: number | null
  previous_tx: string | null
  previous_at: number | null
}

/**
 * The original's `on_mint`: for each confirmed mint of a collection bound to a meta contract, the
 * contract is asked what to write, and its writes become slot versions in the same SQLite
 * transaction as the watcher's range (with the event and the checkpoint). What makes them the
 * same on every node reading the same chain: the input is the binding and the decoded event, the
 * attribution is the binder's key (the key that chose the contract), and the version block's
 * time is the mint block's timestamp, not a clock. A reorg that removes the mint sets each slot
 * it wrote back to the head before (`undo`).
 */
export class MintWriter {
  private readonly s: Record<string, Statement>

  constructor (private readonly components: MintWriterComponents) {
    const { db } = components
    this.s = {
      insert: db.prepare(`INSERT INTO mint_writes (watch_id, block_number, log_index, batch_index, ord, mint_hash, block_time, token_key, data_key, token_id, meta_contract_id,
        public_key, alias, version, head_cid, loose, previous_cid, previous_loose, previous_tx, previous_at)
        VALUES (@watch_id, @block_number, @log_index, @batch_index, @ord, @mint_hash, @block_time, @token_key, @data_key, @token_id, @meta_contract_id,
        @public_key, @alias, @version, @head_cid, @loose, @previous_cid, @previous_loose, @previous_tx, @previous_at)`),
      after: db.prepare('SELECT * FROM mint_writes WHERE watch_id = ? AND block_number > ? ORDER BY block_number DESC, log_index DESC, batch_index DESC, ord DESC'),
      deleteSlot: db.prepare('DELETE FROM slots WHERE data_key = ? AND meta_contract_id = ? AND public_key = ? AND alias = ? AND version = ?'),
    }
  }

  /**
   * Asks each mint's governing contract (`on_mint(contract, data_key, token_id, data)`, `data`
   * the original's `{ from, to, tokenId, value }`) and checks its answers as a transaction's are
   * checked, with the binder as the signer. A collection with no binding, a contract that is not
   * deployed here, lacks on_mint, fails or refuses: nothing is written for that mint.
   */
  async prepare (events: MintEvent[], blockTimeMs: (block: number) => Promise<number | null>): Promise<MintEffects | undefined> {
    const { ledger, sandbox, log } = this.components
    const answers: MintAnswer[] = []
    const times = new Map<number, number | null>()
    const asked: Array<{ event: MintEvent, binding: BindingRow, dataKey: string, data: string }> = []
    for (const event of events) {
      const chainId = String(event.chain_id)
      const binding = ledger.binding(this.components.tokenKey(chainId, event.address))
      if (binding === undefined || !sandbox.has(binding.meta_contract_id)) continue
      const dataKey = this.components.dataKey(chainId, event.address, event.token_id)
      const data = JSON.stringify({ from: event.from, to: event.to, tokenId: event.token_id, value: event.amount })
      asked.push({ event, binding, dataKey, data })
    }
    if (asked.length === 0) return undefined
    // One round trip to the sandbox for the range (a drop mints thousands in a block); calls of one contract run in order.
    const results = await sandbox.callMany(asked.map(({ event, binding, dataKey, data }) => ({ id: binding.meta_contract_id, fn: ON_MINT, args: [contractRecord(binding), dataKey, event.token_id, data] })))
    for (const [i, { event, binding, dataKey, data }] of asked.entries()) {
      const result = results[i]
      if (result === undefined || !result.ok) {
        log('on_mint of %s for token %s: %s; nothing written', binding.meta_contract_id, event.token_id, result?.ok === false ? result.error.message : 'no answer')
        continue
      }
      const output = readContractOutput(result.value, { public_key: binding.public_key })
      if (!output.ok) {
        log('on_mint of %s for token %s refused: %s', binding.meta_contract_id, event.token_id, output.reason)
        continue
      }
      if (output.writes.length === 0) continue
      if (!times.has(event.block_number)) times.set(event.block_number, await blockTimeMs(event.block_number))
      const time = times.get(event.block_number)
      // The block vanished meanwhile (a reorg): the range will not commit on this branch anyway.
      if (time === null || time === undefined) return { apply: () => { throw new Error(`block ${event.block_number} is gone (a reorg)`) }, after: () => {} }
      answers.push({ event, binding, dataKey, data, time, writes: output.writes })
    }
    if (answers.length === 0) return undefined
    const touched = new Map<string, string>()
    return {
      apply: () => { for (const answer of answers) this.write(answer, touched) },
      after: () => { for (const [dataKey, tokenKey] of touched) this.components.changed(tokenKey, dataKey) },
    }
  }

  /**
   * Undoes what the watch's mints after block `keep` wrote, newest first: a slot whose head is
   * still that write goes back to the head before it (or goes, if the mint created it). A slot a
   * signed transaction wrote over since keeps its head; the mint's version stays in its history.
   * Inside the rewind's transaction, before the events (and with them these rows) are deleted.
   * Answers what to tell readers once it has committed.
   */
  undo (watchId: number, keep: number): () => void {
    const { ledger } = this.components
    const touched = new Map<string, string>()
    for (const row of this.s.after!.all(watchId, keep) as MintWriteRow[]) {
      const slot = ledger.slot(row.data_key, row.meta_contract_id, row.public_key, row.alias, row.version)
      if (slot?.head_cid !== row.head_cid) continue
      if (row.previous_cid === null) {
        this.s.deleteSlot!.run(row.data_key, row.meta_contract_id, row.public_key, row.alias, row.version)
      } else {
        ledger.putSlot({ ...slot, head_cid: row.previous_cid, loose: row.previous_loose === 0 ? 0 : 1, last_tx: row.previous_tx ?? '', updated_at: row.previous_at ?? 0 })
      }
      this.components.cards?.refresh(row.data_key, row.meta_contract_id)
      touched.set(row.data_key, row.token_key)
    }
    return () => { for (const [dataKey, tokenKey] of touched) this.components.changed(tokenKey, dataKey) }
  }

  private write (answer: MintAnswer, touched: Map<string, string>): void {
    const { ledger, blockstore } = this.components
    const { event, binding, dataKey, data, time } = answer
    const known = new Map<string, JsonValue>()
    let stored = 0
    answer.writes.forEach(({ write, content }, ord) => {
      const loose = write.loose === 0 ? 0 : 1
      const current = ledger.slot(dataKey, binding.meta_contract_id, write.public_key, write.alias, write.version)
      // Writing what the slot already holds is not a new version (as for a transaction).
      if (current !== undefined && current.loose === loose && this.holds(current, content)) return
      const block = encodeVersionBlock({
        timestamp: time,
        content,
        ...(current === undefined ? {} : { previous: CID.parse(current.head_cid) }),
        transaction: { hash: event.hash, timestamp: time, meta_contract_id: binding.meta_contract_id, method: 'mint', value: data },
      })
      blockstore.putSync(block.cid, block.bytes)
      const head = block.cid.toString()
      const slot: SlotRow = {
        data_key: dataKey,
        meta_contract_id: binding.meta_contract_id,
        public_key: write.public_key,
        alias: write.alias,
        version: write.version,
        token_key: binding.token_key,
        token_id: event.token_id,
        head_cid: head,
        loose,
        last_tx: event.hash,
        updated_at: time,
      }
      ledger.putSlot(slot)
      this.s.insert!.run({
        watch_id: event.watch_id,
        block_number: event.block_number,
        log_index: event.log_index,
        batch_index: event.batch_index,
        ord,
        mint_hash: event.hash,
        block_time: time,
        token_key: binding.token_key,
        data_key: dataKey,
        token_id: event.token_id,
        meta_contract_id: binding.meta_contract_id,
        public_key: write.public_key,
        alias: write.alias,
        version: write.version,
        head_cid: head,
        loose,
        previous_cid: current?.head_cid ?? null,
        previous_loose: current?.loose ?? null,
        previous_tx: current?.last_tx ?? null,
        previous_at: current?.updated_at ?? null,
      })
      known.set(head, content)
      stored++
    })
    if (stored === 0) return
    this.components.cards?.refresh(dataKey, binding.meta_contract_id, known)
    touched.set(dataKey, binding.token_key)
  }

  private holds (slot: SlotRow, content: JsonValue): boolean {
    const bytes = this.components.blockstore.getSync(CID.parse(slot.head_cid))
    return bytes !== undefined && sameContent(decodeVersionBlock(bytes).content, content)
  }
}
