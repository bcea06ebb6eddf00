import type { Logger } from '@libp2p/logger'
import type { Database, Statement } from 'better-sqlite3'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ChainClient } from '../chain/index.js'
import { MAX_TX_ERROR_LENGTH } from './constants.js'
import type { WriteAction } from './constants.js'
import type { ChainTxInfo, ChainTxState } from './types.js'

export interface TxRow {
  id: number
  chain_id: number
  address: string
  from_address: string
  action: WriteAction
  function: string
  args: string
  tx_hash: string
  nonce: number
  gas_limit: string
  max_fee_per_gas: string
  raw: string
  state: ChainTxState
  block_number: number | null
  gas_used: string | null
  confirmations: number
  error: string | null
  created_at: number
  updated_at: number
}

export function txInfo (r: TxRow, depth: number): ChainTxInfo {
  return {
    id: r.id, chain_id: r.chain_id, address: r.address, from: r.from_address, action: r.action, function: r.function, args: JSON.parse(r.args) as string[],
    tx_hash: r.tx_hash, nonce: r.nonce, gas_limit: r.gas_limit, max_fee_per_gas: r.max_fee_per_gas, state: r.state, block_number: r.block_number,
    depth: r.state === 'confirmed' ? Math.max(depth, r.confirmations) : r.block_number === null ? 0 : depth,
    confirmations: r.confirmations, gas_used: r.gas_used, error: r.error, created_at: new Date(r.created_at).toISOString(), updated_at: new Date(r.updated_at).toISOString(),
  }
}

interface Receipt { status?: string, blockNumber?: string, gasUsed?: string, logs?: unknown[] }

export interface TxTrackerComponents {
  db: Database
  log: Logger
  client(chainId: number): Promise<ChainClient>
  confirmations(chainId: number): number
}

/**
 * Follows each sent transaction until it is confirmed or failed: its receipt, then the depth of
 * its block against the chain's confirmation setting. A receipt that disappears (a reorg) puts
 * it back to sent and its signed bytes are broadcast again; so is a transaction the endpoint
 * forgot (a restarted node's mempool). State is in SQLite, so tracking resumes after a restart.
 */
export class TxTracker {
  private readonly s: Record<string, Statement>
  private readonly depths = new Map<number, number>()
  private controller: AbortController | undefined
  private wakeUp: AbortController | undefined
  private running: Promise<void> | undefined

  constructor (private readonly components: TxTrackerComponents, private readonly pollIntervalMs: number) {
    const { db } = components
    this.s = {
      open: db.prepare("SELECT * FROM chain_txs WHERE state IN ('sent', 'mined') ORDER BY id"),
      setState: db.prepare('UPDATE chain_txs SET state = @state, block_number = @block_number, gas_used = @gas_used, error = @error, updated_at = @now WHERE id = @id'),
      record: db.prepare(`INSERT OR IGNORE INTO chain_metadata_updates (chain_id, address, tx_hash, log_index, block_number, token_from, token_to, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    }
  }

  start (): void {
    if (this.running !== undefined) return
    this.controller = new AbortController()
    this.running = this.run(this.controller.signal)
  }

  async stop (): Promise<void> {
    this.controller?.abort()
    this.wakeUp?.abort()
    await this.running
    this.running = undefined
  }

  wake (): void { this.wakeUp?.abort() }

  depthOf (row: TxRow): number { return this.depths.get(row.id) ?? 0 }

  private async run (signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const open = this.s.open!.all() as TxRow[]
      const chains = new Set(open.map(r => r.chain_id))
      for (const chainId of chains) {
        if (signal.aborted) break
        try {
          await this.check(chainId, open.filter(r => r.chain_id === chainId))
        } catch (err) {
          // The endpoint is down or refusing: the transactions stay as they are, and the next round asks again.
          this.components.log('chain %d: cannot follow sent transactions now: %s', chainId, (err as Error).message)
        }
      }
      this.wakeUp = new AbortController()
      await sleep(this.pollIntervalMs, undefined, { signal: AbortSignal.any([signal, this.wakeUp.signal]) }).catch(() => {})
    }
  }

  private async check (chainId: number, rows: TxRow[]): Promise<void> {
    const client = await this.components.client(chainId)
    try {
      await client.checkChainId()
      const head = await client.blockNumber()
      for (const row of rows) await this.checkOne(client, row, head)
    } finally {
      client.destroy()
    }
  }

  private async checkOne (client: ChainClient, row: TxRow, head: number): Promise<void> {
    const receipt = await client.request('eth_getTransactionReceipt', [row.tx_hash]) as Receipt | null
    if (receipt === null || typeof receipt.blockNumber !== 'string') {
      this.depths.delete(row.id)
      if (row.state === 'mined') this.update(row, 'sent', null, null, null)
      // Forgotten by the endpoint (restarted, or its block reorged away): the same signed bytes again.
      if (await client.request('eth_getTransactionByHash', [row.tx_hash]) === null) {
        await client.request('eth_sendRawTransaction', [row.raw]).catch((err: Error) => { this.components.log('rebroadcast of %s refused: %s', row.tx_hash, err.message) })
      }
      return
    }
    const block = Number(receipt.blockNumber)
    const gasUsed = typeof receipt.gasUsed === 'string' ? BigInt(receipt.gasUsed).toString() : null
    if (receipt.status !== '0x1') {
      this.update(row, 'failed', block, gasUsed, `The transaction was mined in block ${block} but reverted: the contract refused it (its state changed since the estimate, or the key lost its rights).`)
      return
    }
    const depth = head - block + 1
    this.depths.set(row.id, depth)
    const needed = Math.max(1, row.confirmations)
    if (depth < needed) {
      if (row.state !== 'mined' || row.block_number !== block) this.update(row, 'mined', block, gasUsed, null)
      return
    }
    const { metadataUpdates } = await import('./evm.js')
    const updates = metadataUpdates(Array.isArray(receipt.logs) ? receipt.logs as never[] : [], row.address)
    // The state and the events it brought are written together.
    this.components.db.transaction(() => {
      this.update(row, 'confirmed', block, gasUsed, null)
      for (const u of updates) this.s.record!.run(row.chain_id, row.address, row.tx_hash, u.logIndex, block, u.from, u.to, Date.now())
    })()
    this.components.log('%s confirmed in block %d (%d EIP-4906 events)', row.tx_hash, block, updates.length)
  }

  private update (row: TxRow, state: ChainTxState, block: number | null, gasUsed: string | null, error: string | null): void {
    this.s.setState!.run({ id: row.id, state, block_number: block, gas_used: gasUsed, error: error?.slice(0, MAX_TX_ERROR_LENGTH) ?? null, now: Date.now() })
  }
}
