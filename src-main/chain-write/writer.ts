import type { Logger } from '@libp2p/logger'
import type { Database, Statement } from 'better-sqlite3'
import { CALL_TIMEOUT_MS, ChainNotConfiguredError, MAX_RESPONSE_BYTES, NoContractError, checkAddress, checkChainId, checkTokenId, createChainClient } from '../chain/index.js'
import type { ChainClient, ChainWatcher } from '../chain/index.js'
import type { Keystore } from '../lineage/keys/index.js'
import {
  CANDIDATE_FUNCTIONS, DEFAULT_PRIORITY_FEE_WEI, EIP1967_IMPLEMENTATION_SLOT, GAS_LIMIT_HEADROOM_PERCENT, MAX_LISTED, MAX_URI_LENGTH,
  TX_POLL_INTERVAL_MS, WRITE_ACTIONS,
} from './constants.js'
import type { WriteAction } from './constants.js'
import {
  ChainTxNotFoundError, FeeRoseError, InsufficientFundsError, InvalidChainWriteInputError, NoSetterError, NotContractOwnerError, TransactionRevertedError,
} from './errors.js'
import { TxTracker, txInfo } from './tracker.js'
import type { TxRow } from './tracker.js'
import type { ChainTxInfo, MetadataUpdateInfo, SendInput, WriteEstimateInfo, WriteFunctionsInfo, WriteInput } from './types.js'

export interface ChainWriterComponents {
  db: Database
  /** Where each chain's endpoint is set (by the owner only). */
  chain: Pick<ChainWatcher, 'endpoints'>
  keystore: Keystore
  log: Logger
}

export interface ChainWriterInit {
  pollIntervalMs?: number
  callTimeoutMs?: number
}

export interface ChainWriter {
  /** Resumes tracking every transaction not yet confirmed or failed. */
  start(): void
  stop(): Promise<void>
  /** Which changes the contract can take (its code is read; nothing is signed). */
  functions(chainId: unknown, address: unknown): Promise<WriteFunctionsInfo>
  /** The gas a change needs from the key's account, and what it may cost; nothing is signed or sent. */
  estimate(input: WriteInput): Promise<WriteEstimateInfo>
  /** Estimates again, signs with the key and sends; the transaction is then tracked until confirmed. */
  send(input: SendInput): Promise<ChainTxInfo>
  /** A transaction by id or hash. */
  tx(ref: unknown): ChainTxInfo
  txs(chainId?: unknown, address?: unknown): ChainTxInfo[]
  metadataUpdates(chainId: unknown, address: unknown): MetadataUpdateInfo[]
}

interface Plan {
  chainId: number
  address: string
  action: WriteAction
  from: string
  fn: string
  args: string[]
  data: string
}

export class ChainWriterImpl implements ChainWriter {
  private readonly tracker: TxTracker
  private readonly s: Record<string, Statement>
  private readonly callTimeoutMs: number

  constructor (private readonly components: ChainWriterComponents, init: ChainWriterInit = {}) {
    const { db } = components
    this.callTimeoutMs = init.callTimeoutMs ?? CALL_TIMEOUT_MS
    this.tracker = new TxTracker({ db, log: components.log, client: async chainId => await this.client(chainId), confirmations: chainId => this.endpoint(chainId).confirmations }, init.pollIntervalMs ?? TX_POLL_INTERVAL_MS)
    this.s = {
      insert: db.prepare(`INSERT INTO chain_txs (chain_id, address, from_address, action, function, args, tx_hash, nonce, gas_limit, max_fee_per_gas, raw, state, confirmations, created_at, updated_at)
        VALUES (@chain_id, @address, @from_address, @action, @function, @args, @tx_hash, @nonce, @gas_limit, @max_fee_per_gas, @raw, 'sent', @confirmations, @now, @now)`),
      remove: db.prepare('DELETE FROM chain_txs WHERE id = ?'),
      byId: db.prepare('SELECT * FROM chain_txs WHERE id = ?'),
      byHash: db.prepare('SELECT * FROM chain_txs WHERE tx_hash = ?'),
      all: db.prepare(`SELECT * FROM chain_txs ORDER BY id DESC LIMIT ${MAX_LISTED}`),
      ofCollection: db.prepare(`SELECT * FROM chain_txs WHERE chain_id = ? AND address = ? ORDER BY id DESC LIMIT ${MAX_LISTED}`),
      updates: db.prepare(`SELECT * FROM chain_metadata_updates WHERE chain_id = ? AND address = ? ORDER BY block_number DESC, log_index DESC LIMIT ${MAX_LISTED}`),
    }
  }

  start (): void { this.tracker.start() }
  async stop (): Promise<void> { await this.tracker.stop() }

  async functions (chainIdInput: unknown, addressInput: unknown): Promise<WriteFunctionsInfo> {
    const chainId = checkChainId(chainIdInput)
    const address = checkAddress(addressInput)
    return await this.withClient(chainId, async client => {
      const code = await this.code(client, chainId, address)
      const { codeHasSelector, selectorOf } = await import('./evm.js')
      const find = (action: WriteAction): string | null => CANDIDATE_FUNCTIONS[action].find(fn => codeHasSelector(code, selectorOf(fn))) ?? null
      return { chain_id: chainId, address, base_uri: find('base_uri'), token_uri: find('token_uri'), metadata_update: find('metadata_update'), eip4906: await this.supports4906(client, address) }
    })
  }

  async estimate (input: WriteInput): Promise<WriteEstimateInfo> {
    const { chainId, address, action, from, args } = this.check(input)
    return await this.withClient(chainId, async client => await this.estimateWith(client, { chainId, address, action, from, args }))
  }

  async send (input: SendInput): Promise<ChainTxInfo> {
    const checked = this.check(input)
    if (typeof input.passphrase !== 'string' || input.passphrase === '') throw new InvalidChainWriteInputError('passphrase', 'is needed to sign with the key')
    const limit = input.max_cost_wei === undefined ? undefined : wei(input.max_cost_wei, 'max_cost_wei')
    const confirmations = Math.max(1, this.endpoint(checked.chainId).confirmations)
    return await this.withClient(checked.chainId, async client => {
      const estimate = await this.estimateWith(client, checked)
      if (!estimate.enough_funds) throw new InsufficientFundsError(estimate.from, estimate.cost_wei, estimate.balance_wei)
      if (limit !== undefined && BigInt(estimate.cost_wei) > limit) throw new FeeRoseError(limit.toString(), estimate.cost_wei)
      const nonce = Number(await client.request('eth_getTransactionCount', [estimate.from, 'pending']))
      // Unlocked last, for one signature: nothing between unlock and lock() awaits the endpoint.
      const signer = await this.components.keystore.unlock(checked.key, input.passphrase as string)
      let signed: { raw: string, hash: string }
      try {
        const { encodeCall, signTransaction } = await import('./evm.js')
        signed = signTransaction({
          chainId: checked.chainId, nonce, to: checked.address, data: encodeCall(estimate.function, estimate.args),
          gasLimit: BigInt(estimate.gas_limit), maxFeePerGas: BigInt(estimate.max_fee_per_gas), maxPriorityFeePerGas: BigInt(estimate.max_priority_fee_per_gas),
        }, signer)
      } finally {
        signer.lock()
      }
      // Kept before it is sent: a crash after sending still leaves it tracked. A refusal deletes it.
      const { lastInsertRowid } = this.s.insert!.run({
        chain_id: checked.chainId, address: checked.address, from_address: estimate.from, action: checked.action, function: estimate.function,
        args: JSON.stringify(estimate.args), tx_hash: signed.hash, nonce, gas_limit: estimate.gas_limit, max_fee_per_gas: estimate.max_fee_per_gas,
        raw: signed.raw, confirmations, now: Date.now(),
      })
      try {
        await client.request('eth_sendRawTransaction', [signed.raw])
      } catch (err) {
        this.s.remove!.run(lastInsertRowid)
        throw refusal(err, estimate)
      }
      this.components.log('sent %s to %s on chain %d: %s', estimate.function, checked.address, checked.chainId, signed.hash)
      this.tracker.wake()
      return this.tx(Number(lastInsertRowid))
    })
  }

  tx (ref: unknown): ChainTxInfo {
    const row = (typeof ref === 'number' || (typeof ref === 'string' && /^[0-9]{1,15}$/.test(ref))
      ? this.s.byId!.get(Number(ref))
      : typeof ref === 'string' && /^0x[0-9a-fA-F]{64}$/.test(ref) ? this.s.byHash!.get(ref.toLowerCase()) : undefined) as TxRow | undefined
    if (row === undefined) throw new ChainTxNotFoundError(String(ref).slice(0, 80))
    return txInfo(row, this.tracker.depthOf(row))
  }

  txs (chainId?: unknown, address?: unknown): ChainTxInfo[] {
    const rows = (chainId === undefined ? this.s.all!.all() : this.s.ofCollection!.all(checkChainId(chainId), checkAddress(address))) as TxRow[]
    return rows.map(r => txInfo(r, this.tracker.depthOf(r)))
  }

  metadataUpdates (chainIdInput: unknown, addressInput: unknown): MetadataUpdateInfo[] {
    const rows = this.s.updates!.all(checkChainId(chainIdInput), checkAddress(addressInput)) as Array<Omit<MetadataUpdateInfo, 'recorded_at'> & { recorded_at: number }>
    return rows.map(r => ({ chain_id: r.chain_id, address: r.address, tx_hash: r.tx_hash, block_number: r.block_number, token_from: r.token_from, token_to: r.token_to, recorded_at: new Date(r.recorded_at).toISOString() }))
  }

  private check (input: WriteInput): { chainId: number, address: string, action: WriteAction, key: string, from: string, args: string[] } {
    const chainId = checkChainId(input.chain_id)
    const address = checkAddress(input.address)
    if (typeof input.action !== 'string' || !(WRITE_ACTIONS as readonly string[]).includes(input.action)) throw new InvalidChainWriteInputError('action', `must be one of ${WRITE_ACTIONS.join(', ')}`)
    const action = input.action as WriteAction
    if (typeof input.key !== 'string' || input.key === '') throw new InvalidChainWriteInputError('key', 'must name an EVM key of this node\'s keystore')
    const info = this.components.keystore.exportPublic(input.key)
    if (info.type !== 'secp256k1') throw new InvalidChainWriteInputError('key', `"${info.name}" is an ed25519 key; a transaction needs an EVM (secp256k1) key`)
    const args: string[] = []
    if (action === 'token_uri' || action === 'metadata_update') args.push(checkTokenId(input.token_id))
    if (action === 'metadata_update') args.push(input.to_token_id === undefined ? args[0] ?? '' : checkTokenId(input.to_token_id, 'to_token_id'))
    if (action === 'metadata_update' && BigInt(args[1] ?? '0') < BigInt(args[0] ?? '0')) throw new InvalidChainWriteInputError('to_token_id', 'must not be below token_id')
    if (action === 'base_uri' || action === 'token_uri') args.push(checkUri(input.uri))
    return { chainId, address, action, key: input.key, from: info.publicKey.toLowerCase(), args }
  }

  /** The first candidate in the code, estimated from the key's account; refusals say why. */
  private async estimateWith (client: ChainClient, { chainId, address, action, from, args }: Omit<Plan, 'fn' | 'data'>): Promise<WriteEstimateInfo> {
    await client.checkChainId()
    const code = await this.code(client, chainId, address)
    const { codeHasSelector, encodeCall, selectorOf, classifyRevert } = await import('./evm.js')
    const candidates = CANDIDATE_FUNCTIONS[action].filter(fn => action !== 'metadata_update' || fn.includes(',') || args[0] === args[1])
    const fn = candidates.find(f => codeHasSelector(code, selectorOf(f)))
    if (fn === undefined) throw new NoSetterError(chainId, address, action, candidates)
    const callArgs = fn === 'emitMetadataUpdate(uint256)' ? args.slice(0, 1) : args
    let gas: bigint
    try {
      gas = BigInt(String(await client.request('eth_estimateGas', [{ from, to: address, data: encodeCall(fn, callArgs) }])))
    } catch (err) {
      const e = err as { name?: string, data?: string, reason?: string }
      if (e.name !== 'ChainEndpointRejectedError') throw err
      if (/insufficient funds/i.test(e.reason ?? '')) throw new InsufficientFundsError(from, 'more than it has', 'too little')
      const why = classifyRevert(e.data)
      if (why.kind === 'owner') throw new NotContractOwnerError(chainId, address, from, why.detail)
      throw new TransactionRevertedError(why.kind === 'reason' ? why.detail : `it reverted without saying why (${String(e.reason).slice(0, 120)})`)
    }
    const gasLimit = gas + gas * BigInt(GAS_LIMIT_HEADROOM_PERCENT) / 100n
    const block = await client.request('eth_getBlockByNumber', ['latest', false]) as { baseFeePerGas?: string } | null
    let priority: bigint
    try {
      priority = BigInt(String(await client.request('eth_maxPriorityFeePerGas', [])))
    } catch {
      priority = DEFAULT_PRIORITY_FEE_WEI
    }
    const base = typeof block?.baseFeePerGas === 'string' ? BigInt(block.baseFeePerGas) : BigInt(String(await client.request('eth_gasPrice', [])))
    // Twice the base fee: room for six full blocks of rising fees (12.5 % each) before it would wait.
    const maxFee = base * 2n + priority
    const balance = BigInt(String(await client.request('eth_getBalance', [from, 'latest'])))
    const cost = gasLimit * maxFee
    return {
      chain_id: chainId, address, action, function: fn, args: callArgs, from,
      gas: gas.toString(), gas_limit: gasLimit.toString(), max_fee_per_gas: maxFee.toString(), max_priority_fee_per_gas: priority.toString(),
      cost_wei: cost.toString(), balance_wei: balance.toString(), enough_funds: balance >= cost, eip4906: await this.supports4906(client, address),
    }
  }

  /** The contract's code, or its EIP-1967 implementation's too when it is a proxy. */
  private async code (client: ChainClient, chainId: number, address: string): Promise<string> {
    const code = String(await client.request('eth_getCode', [address, 'latest']))
    if (code === '0x') throw new NoContractError(chainId, address, await client.blockNumber())
    const slot = String(await client.request('eth_getStorageAt', [address, EIP1967_IMPLEMENTATION_SLOT, 'latest']))
    const implementation = /^0x0*([0-9a-fA-F]{40})$/.exec(slot)?.[1]
    if (implementation === undefined || /^0+$/.test(implementation)) return code
    return code + String(await client.request('eth_getCode', [`0x${implementation}`, 'latest'])).slice(2)
  }

  private async supports4906 (client: ChainClient, address: string): Promise<boolean> {
    const { supportsInterfaceCall } = await import('./evm.js')
    try {
      const answer = String(await client.request('eth_call', [{ to: address, data: supportsInterfaceCall() }, 'latest']))
      return /^0x0{63}1$/.test(answer)
    } catch {
      return false
    }
  }

  private endpoint (chainId: number): { http_url: string, ws_url: string, confirmations: number } {
    const row = this.components.chain.endpoints().find(e => e.chain_id === chainId)
    if (row === undefined) throw new ChainNotConfiguredError(chainId)
    return row
  }

  private async client (chainId: number): Promise<ChainClient> {
    const row = this.endpoint(chainId)
    return await createChainClient({ chainId, httpUrl: row.http_url, wsUrl: row.ws_url, timeoutMs: this.callTimeoutMs, maxResponseBytes: MAX_RESPONSE_BYTES })
  }

  private async withClient<T> (chainId: number, run: (client: ChainClient) => Promise<T>): Promise<T> {
    const client = await this.client(chainId)
    try {
      return await run(client)
    } finally {
      client.destroy()
    }
  }
}

function checkUri (value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidChainWriteInputError('uri', 'is required, e.g. ipfs://bafy…/ or https://meta.example.com/1/')
  if (value.length > MAX_URI_LENGTH) throw new InvalidChainWriteInputError('uri', `is longer than ${MAX_URI_LENGTH} characters`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(value)) throw new InvalidChainWriteInputError('uri', 'must not contain spaces or control characters')
  return value
}

function wei (value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^[0-9]{1,78}$/.test(value)) throw new InvalidChainWriteInputError(field, 'must be an amount of wei in decimal digits')
  return BigInt(value)
}

/** An endpoint's refusal of the raw transaction, in the writer's words where it has them. */
function refusal (err: unknown, estimate: WriteEstimateInfo): unknown {
  const e = err as { name?: string, reason?: string }
  if (e.name === 'ChainEndpointRejectedError' && /insufficient funds/i.test(e.reason ?? '')) return new InsufficientFundsError(estimate.from, estimate.cost_wei, estimate.balance_wei)
  return err
}

