import { randomBytes } from 'node:crypto'
import { MAX_DATA_BYTES, signTransaction, validateUnsignedRequest } from '../lineage/signing/index.js'
import type { UnsignedTransactionRequest } from '../lineage/signing/index.js'
import { defaultDataDir } from '../node/local/index.js'
import type { ReceiptInfo } from '../api/index.js'
import { CliError } from './errors.js'
import { readFileArgument } from './files.js'
import { keystoreFor } from './keys.js'
import { nodeClient } from './node-client.js'
import { readPassphrase } from './passphrase.js'
import type { Output } from './start.js'

export interface PublishOptions {
  dataDir?: string
  key: string
  chain: string
  contract: string
  token?: string
  contractId: string
  alias: string
  version: string
  /** JSON file with the content; for `--bind`, the contract's configuration (default {}). */
  data?: string
  bind?: boolean
}

/** How often `publish` asks for the receipt while the validator works. */
const RECEIPT_POLL_MS = 100
const RECEIPT_WAIT_MS = 30_000

/** Signs one transaction with a key from the keystore, publishes it, and waits for its receipt. */
export async function runPublish (options: PublishOptions, output: Output): Promise<void> {
  const dataDir = options.dataDir ?? defaultDataDir()
  const client = nodeClient(dataDir)
  if (options.bind !== true && options.token === undefined) throw new CliError('--token is needed (or --bind to bind the contract to the collection).')
  const data = options.data === undefined ? '{}' : (await readFileArgument(options.data, 'document', MAX_DATA_BYTES)).toString('utf8')
  const checked: UnsignedTransactionRequest = validateUnsignedRequest({
    method: options.bind === true ? 'contract' : 'metadata',
    chain_id: options.chain,
    token_address: options.contract,
    token_id: options.bind === true ? '' : options.token,
    meta_contract_id: options.contractId,
    alias: options.alias,
    version: options.version,
    public_key: keystoreFor(dataDir).exportPublic(options.key).publicKey,
    nonce: randomBytes(16).toString('hex'),
    timestamp: Date.now(),
    data,
    mcdata: '',
  })
  // A write whose contract takes chain facts names the block the node last applied, so every node judges it alike.
  const chainBlock = checked.method === 'metadata' ? await client.call<number | null>('chain_judging_block', [checked.chain_id, checked.token_address, checked.meta_contract_id]) : null
  const unsigned = chainBlock === null ? checked : { ...checked, mcdata: JSON.stringify({ chain_block: chainBlock }) }
  const signer = await keystoreFor(dataDir).unlock(options.key, await readPassphrase(`Passphrase for "${options.key}": `))
  let signature: string
  try {
    signature = signTransaction(unsigned, signer)
  } finally {
    signer.lock()
  }
  const { hash } = await client.call<{ hash: string }>('publish', [{ ...unsigned, signature }])
  output.out(`Published ${hash}`)

  const deadline = Date.now() + RECEIPT_WAIT_MS
  for (;;) {
    const receipt = await client.call<ReceiptInfo | null>('get_transaction_receipt', [hash])
    if (receipt !== null) {
      if (receipt.status === 'rejected') throw new CliError(`Rejected: ${receipt.reason}`)
      if (receipt.unchanged) output.out(`Unchanged: ${receipt.heads.join(', ')} already holds this content; no new version was stored.`)
      else output.out(`Applied: ${receipt.heads.join(', ') || 'binding updated'}`)
      return
    }
    if (Date.now() > deadline) throw new CliError(`No receipt for ${hash} after ${RECEIPT_WAIT_MS / 1000} s; check later with get_transaction_receipt.`)
    await new Promise(resolve => setTimeout(resolve, RECEIPT_POLL_MS))
  }
}
