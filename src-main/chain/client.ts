import { FetchRequest, JsonRpcProvider, Network, WebSocketProvider, getBigInt, isHexString } from 'ethers'
import type { FetchCancelSignal, GetUrlResponse, JsonRpcApiProvider } from 'ethers'
import { ChainEndpointRejectedError, ChainEndpointResponseError, ChainEndpointUnreachableError, ChainIdMismatchError } from './errors.js'

/** A raw log as eth_getLogs answers it, checked for shape. */
export interface RawLog {
  blockNumber: number
  blockHash: string
  transactionHash: string
  logIndex: number
  topics: string[]
  data: string
  removed: boolean
}

export interface ChainClientInit {
  chainId: number
  /** http(s) URL; used for calls when set. */
  httpUrl: string
  /** ws(s) URL; used when there is no HTTP URL. */
  wsUrl: string
  timeoutMs: number
  maxResponseBytes: number
}

const HASH = /^0x[0-9a-fA-F]{64}$/
/** The selector of EIP-173 `owner()`: the first four bytes of keccak256("owner()"). */
const OWNER_SELECTOR = '0x8da5cb5b'

/**
 * JSON-RPC to one chain's endpoint through ethers' providers: ethers frames the calls and turns
 * JSON-RPC error objects into errors; this class bounds each call (time, answer size), checks the
 * shape of each answer, and says what went wrong with the node's own error classes.
 */
export class ChainClient {
  private readonly provider: JsonRpcApiProvider
  private readonly chainId: number
  /** Aborted by destroy(): calls in flight end at once, so a stopping node does not wait for a silent endpoint. */
  private readonly closed = new AbortController()

  constructor (private readonly init: ChainClientInit) {
    this.chainId = init.chainId
    // A static network: ethers asks nothing by itself (no chain detection, no polling).
    const network = Network.from(init.chainId)
    const options = { staticNetwork: network, batchMaxCount: 1, cacheTimeout: -1 }
    if (init.httpUrl !== '') {
      const request = new FetchRequest(init.httpUrl)
      request.timeout = init.timeoutMs
      // One attempt: retries are the watcher's, with its backoff and status.
      request.setThrottleParams({ maxAttempts: 1 })
      request.retryFunc = async () => false
      request.getUrlFunc = async (req, signal) => await this.fetchBounded(req, signal)
      this.provider = new JsonRpcProvider(request, network, options)
    } else {
      // Node's own WebSocket (an EventTarget): an error after close is not an unhandled 'error' event, as it is with ws.
      this.provider = new WebSocketProvider(() => new WebSocket(init.wsUrl), network, options)
    }
  }

  destroy (): void {
    this.closed.abort()
    // A WebSocket provider that never connected rejects its pending start; nothing waits on it.
    Promise.resolve(this.provider.destroy()).catch(() => {})
  }

  /** Throws ChainIdMismatchError when the endpoint serves another chain. */
  async checkChainId (): Promise<void> {
    const answer = await this.call('eth_chainId', [])
    const id = this.quantity(answer, 'eth_chainId')
    if (id !== this.chainId) throw new ChainIdMismatchError(this.chainId, String(answer).slice(0, 80))
  }

  async blockNumber (): Promise<number> {
    return this.quantity(await this.call('eth_blockNumber', []), 'eth_blockNumber')
  }

  /** The hash of a block; null when the endpoint has no such block (yet). */
  async blockHash (number: number): Promise<string | null> {
    const block = await this.call('eth_getBlockByNumber', [`0x${number.toString(16)}`, false])
    if (block === null) return null
    const hash = (block as { hash?: unknown })?.hash
    if (typeof hash !== 'string' || !HASH.test(hash)) throw new ChainEndpointResponseError(this.chainId, `eth_getBlockByNumber answered no block hash for block ${number}`)
    return hash.toLowerCase()
  }

  /** A block's timestamp in ms (a chain-derived time: every node reading this chain sees the same). */
  async blockTimestampMs (number: number): Promise<number | null> {
    const block = await this.call('eth_getBlockByNumber', [`0x${number.toString(16)}`, false])
    if (block === null) return null
    return this.quantity((block as { timestamp?: unknown })?.timestamp, 'eth_getBlockByNumber timestamp') * 1000
  }

  /**
   * The contract's EIP-173 `owner()` at a block, lower-cased; null when the contract has no
   * owner() (the call reverts or answers nothing, as for a contract without that function).
   */
  async contractOwner (address: string, block: number): Promise<string | null> {
    let answer: unknown
    try {
      answer = await this.call('eth_call', [{ to: address, data: OWNER_SELECTOR }, `0x${block.toString(16)}`])
    } catch (err) {
      // A revert (a JSON-RPC error, or ethers' CALL_EXCEPTION) is the contract's answer: it has no owner().
      const { name, message } = err as Error
      if ((name === 'ChainEndpointRejectedError' || name === 'ChainEndpointResponseError') && /execution reverted/i.test(message)) return null
      throw err
    }
    if (typeof answer !== 'string' || !isHexString(answer)) throw new ChainEndpointResponseError(this.chainId, 'eth_call answered something that is not hex')
    if (answer === '0x') return null
    if (answer.length !== 66 || !/^0x0{24}/.test(answer)) throw new ChainEndpointResponseError(this.chainId, `owner() answered ${answer.slice(0, 80)}, not an address`)
    return `0x${answer.slice(26).toLowerCase()}`
  }

  async hasCode (address: string, block: number): Promise<boolean> {
    const code = await this.call('eth_getCode', [address, `0x${block.toString(16)}`])
    if (typeof code !== 'string' || !isHexString(code)) throw new ChainEndpointResponseError(this.chainId, 'eth_getCode answered something that is not hex')
    return code !== '0x'
  }

  /**
   * Any other JSON-RPC call, bounded and translated like the rest (the chain writer's
   * eth_call, eth_estimateGas, eth_sendRawTransaction, receipts); the caller checks the answer's shape.
   */
  async request (method: string, params: unknown[]): Promise<unknown> {
    return await this.call(method, params)
  }

  async getLogs (address: string, topics: string[], fromBlock: number, toBlock: number): Promise<RawLog[]> {
    const answer = await this.call('eth_getLogs', [{ address, topics: [topics], fromBlock: `0x${fromBlock.toString(16)}`, toBlock: `0x${toBlock.toString(16)}` }])
    if (!Array.isArray(answer)) throw new ChainEndpointResponseError(this.chainId, 'eth_getLogs answered something that is not a list')
    return answer.map(log => this.log(log, fromBlock, toBlock))
  }

  private log (value: unknown, fromBlock: number, toBlock: number): RawLog {
    const v = (value ?? {}) as Record<string, unknown>
    const bad = (what: string): never => { throw new ChainEndpointResponseError(this.chainId, `eth_getLogs answered a log with ${what}`) }
    const topics = Array.isArray(v.topics) ? v.topics : bad('no topics')
    if (!topics.every(t => typeof t === 'string' && HASH.test(t))) bad('a malformed topic')
    if (typeof v.data !== 'string' || !isHexString(v.data)) bad('malformed data')
    if (typeof v.blockHash !== 'string' || !HASH.test(v.blockHash)) bad('no block hash')
    if (typeof v.transactionHash !== 'string' || !HASH.test(v.transactionHash)) bad('no transaction hash')
    const blockNumber = this.quantity(v.blockNumber, 'eth_getLogs blockNumber')
    if (blockNumber < fromBlock || blockNumber > toBlock) bad(`block ${blockNumber}, outside the range asked for (${fromBlock}–${toBlock})`)
    return {
      blockNumber,
      blockHash: (v.blockHash as string).toLowerCase(),
      transactionHash: (v.transactionHash as string).toLowerCase(),
      logIndex: this.quantity(v.logIndex, 'eth_getLogs logIndex'),
      topics: (topics as string[]).map(t => t.toLowerCase()),
      data: v.data as string,
      removed: v.removed === true,
    }
  }

  private quantity (value: unknown, what: string): number {
    const n = typeof value === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(value) ? getBigInt(value) : undefined
    if (n === undefined || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ChainEndpointResponseError(this.chainId, `${what} answered ${JSON.stringify(value)?.slice(0, 80) ?? 'nothing'}, not a hex quantity`)
    return Number(n)
  }

  /** One call, bounded in time; any failure becomes one of our errors. */
  private async call (method: string, params: unknown[]): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined
    let onClose: (() => void) | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new ChainEndpointUnreachableError(this.chainId, `${method} got no answer in ${this.init.timeoutMs} ms`)) }, this.init.timeoutMs)
      onClose = () => { reject(new ChainEndpointUnreachableError(this.chainId, 'the node stopped using this endpoint')) }
      if (this.closed.signal.aborted) onClose()
      else this.closed.signal.addEventListener('abort', onClose, { once: true })
    })
    try {
      return await Promise.race([this.provider.send(method, params), timeout])
    } catch (err) {
      throw this.translate(err, method)
    } finally {
      clearTimeout(timer)
      if (onClose !== undefined) this.closed.signal.removeEventListener('abort', onClose)
    }
  }

  private translate (err: unknown, method: string): Error {
    const name = (err as { name?: unknown })?.name
    if (typeof name === 'string' && name.startsWith('ChainEndpoint')) return err as Error
    type RpcErrorObject = { code?: unknown, message?: unknown, data?: unknown }
    const e = err as { code?: unknown, error?: RpcErrorObject, info?: { error?: RpcErrorObject }, data?: unknown, shortMessage?: unknown, message?: unknown }
    // ethers keeps the JSON-RPC error object in `error`, or for eth_call and eth_estimateGas in `info.error`.
    const rpc = e.error ?? e.info?.error
    if (rpc !== undefined && typeof rpc.message === 'string') {
      // A revert's data (an error selector and its arguments) is kept for the chain writer to decode.
      const raw = typeof e.data === 'string' ? e.data : rpc.data
      const data = typeof raw === 'string' && isHexString(raw) ? raw.slice(0, 2 + 2 * 1024) : undefined
      return new ChainEndpointRejectedError(this.chainId, method, typeof rpc.code === 'number' ? rpc.code : undefined, rpc.message.slice(0, 300), data)
    }
    if (e.code === 'SERVER_ERROR') return new ChainEndpointUnreachableError(this.chainId, String(e.shortMessage ?? e.message).slice(0, 200))
    if (e.code === 'BAD_DATA') return new ChainEndpointResponseError(this.chainId, `${method}: ${String(e.shortMessage ?? e.message).slice(0, 200)}`)
    return new ChainEndpointResponseError(this.chainId, `${method}: ${String(e.shortMessage ?? e.message).slice(0, 200)}`)
  }

  /** ethers' transport replaced: the same request, but a bounded body and our errors. */
  private async fetchBounded (req: FetchRequest, signal?: FetchCancelSignal): Promise<GetUrlResponse> {
    const controller = new AbortController()
    signal?.addListener(() => { controller.abort() })
    const onClose = (): void => { controller.abort(new ChainEndpointUnreachableError(this.chainId, 'the node stopped using this endpoint')) }
    this.closed.signal.addEventListener('abort', onClose, { once: true })
    const timer = setTimeout(() => { controller.abort(new ChainEndpointUnreachableError(this.chainId, `no complete answer in ${this.init.timeoutMs} ms`)) }, this.init.timeoutMs)
    try {
      const response = await fetch(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body === null ? {} : { body: req.body }),
        signal: controller.signal,
        redirect: 'error',
      })
      if (response.status === 429) {
        await response.body?.cancel().catch(() => {})
        throw new ChainEndpointUnreachableError(this.chainId, 'it is rate-limiting this node (HTTP 429 Too Many Requests)')
      }
      const declared = Number(response.headers.get('content-length') ?? '0')
      if (declared > this.init.maxResponseBytes) {
        await response.body?.cancel().catch(() => {})
        throw new ChainEndpointResponseError(this.chainId, `an answer of ${declared} bytes, more than the ${this.init.maxResponseBytes} the node reads`)
      }
      const chunks: Uint8Array[] = []
      let size = 0
      if (response.body !== null) {
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength
          if (size > this.init.maxResponseBytes) {
            controller.abort()
            throw new ChainEndpointResponseError(this.chainId, `an answer of more than ${this.init.maxResponseBytes} bytes, more than the node reads`)
          }
          chunks.push(chunk)
        }
      }
      return { statusCode: response.status, statusMessage: response.statusText, headers: Object.fromEntries(response.headers), body: Buffer.concat(chunks) }
    } catch (err) {
      const reason: unknown = controller.signal.reason
      if ((reason as { name?: unknown })?.name === 'ChainEndpointUnreachableError') throw reason
      if ((err as { name?: unknown }).name === 'ChainEndpointResponseError') throw err
      const cause = (err as { cause?: { code?: unknown, message?: unknown } }).cause
      throw new ChainEndpointUnreachableError(this.chainId, String(cause?.code ?? cause?.message ?? (err as Error).message))
    } finally {
      clearTimeout(timer)
      this.closed.signal.removeEventListener('abort', onClose)
    }
  }
}
