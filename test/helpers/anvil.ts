import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import path from 'node:path'
import { JsonRpcProvider } from 'ethers'
import type { JsonRpcSigner } from 'ethers'
import { repoRoot } from './processes.js'

/**
 * The private keys of anvil's default accounts 0 and 1 (its well-known test mnemonic): funded,
 * and the first one deploys what a test deploys unless it says otherwise.
 */
export const ANVIL_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
] as const

/** anvil from npm (@foundry-rs/anvil-linux-amd64): a real local EVM for tests. */
export const anvilPath = path.join(repoRoot, 'node_modules', '.bin', 'anvil')

export interface Anvil {
  /** http://127.0.0.1:<port> */
  url: string
  /** ws://127.0.0.1:<port> (anvil serves both on one port) */
  wsUrl: string
  chainId: number
  /** A client of the test's own (not the node's), for deploying and sending transactions. */
  provider: JsonRpcProvider
  /** An unlocked, funded account. */
  signer(index?: number): Promise<JsonRpcSigner>
  blockNumber(): Promise<number>
  /** Mines `blocks` empty blocks at once. */
  mine(blocks?: number): Promise<void>
  /** Stops mining on each transaction (true) or lets every transaction mine its own block (false). */
  automine(on: boolean): Promise<void>
  /** Waits for a sent transaction's receipt (ethers' wait() sometimes misses anvil's instant blocks). */
  mined(tx: { hash: string } | Promise<{ hash: string }>): Promise<{ blockNumber: number, hash: string, status: number }>
  snapshot(): Promise<string>
  /** Back to a snapshot: the blocks mined since are gone, and another branch can be mined. */
  revert(id: string): Promise<void>
  stop(): Promise<void>
}

/**
 * Starts anvil on a free port of 127.0.0.1 and waits until it listens. `gasLimit` raises the
 * block gas limit (default 30,000,000), e.g. for thousands of mints in one transaction.
 */
export async function startAnvil ({ chainId = 31337, gasLimit }: { chainId?: number, gasLimit?: bigint } = {}): Promise<Anvil> {
  const args = ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(chainId), ...(gasLimit === undefined ? [] : ['--gas-limit', gasLimit.toString()])]
  const child: ChildProcessWithoutNullStreams = spawn(anvilPath, args)
  let out = ''
  const exited = new Promise<void>(resolve => { child.on('exit', () => { resolve() }) })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`anvil did not start:\n${out}`)) }, 30_000)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const found = /Listening on 127\.0\.0\.1:(\d+)/.exec(out)
      if (found?.[1] !== undefined) { clearTimeout(timer); resolve(Number(found[1])) }
    })
    child.stderr.on('data', (d: Buffer) => { out += d.toString() })
    void exited.then(() => { clearTimeout(timer); reject(new Error(`anvil exited:\n${out}`)) })
  })
  // Once listening its output is not needed; reading it keeps the pipe from filling.
  child.stdout.on('data', () => {})
  const url = `http://127.0.0.1:${port}`
  const provider = new JsonRpcProvider(url, chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1, pollingInterval: 50 })
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    chainId,
    provider,
    signer: async (index = 0) => await provider.getSigner(index),
    blockNumber: async () => Number(await provider.send('eth_blockNumber', [])),
    mine: async (blocks = 1) => { await provider.send('anvil_mine', [`0x${blocks.toString(16)}`]) },
    automine: async on => { await provider.send('evm_setAutomine', [on]) },
    mined: async tx => {
      const { hash } = await tx
      for (;;) {
        const r = await provider.send('eth_getTransactionReceipt', [hash]) as { blockNumber: string, status: string } | null
        if (r !== null) return { blockNumber: Number(r.blockNumber), hash, status: Number(r.status) }
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    },
    snapshot: async () => String(await provider.send('evm_snapshot', [])),
    revert: async id => {
      const ok = await provider.send('evm_revert', [id]) as boolean
      if (!ok) throw new Error(`anvil could not revert to snapshot ${id}`)
    },
    async stop () {
      provider.destroy()
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
