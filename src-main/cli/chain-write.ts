import type { Command } from 'commander'
import type { ChainTxWire, ChainWriteEstimateWire, ChainWriteFunctionsWire, ChainWriteRequest, MetadataUpdateWire } from '../api/index.js'
import { defaultDataDir } from '../node/local/index.js'
import { nodeClient } from './node-client.js'
import { readPassphrase } from './passphrase.js'
import type { Output } from './start.js'

interface DataDirOption { flags: string, help: string, parse: (value: string) => string }
interface WriteOptions { key: string, yes?: boolean, wait?: boolean, dataDir?: string }

/** Wei as the chain's coin, e.g. 0.000145 (18 decimals, trailing zeros cut). */
export function formatWei (wei: string): string {
  const padded = wei.padStart(19, '0')
  const whole = padded.slice(0, -18)
  const fraction = padded.slice(-18).replace(/0+$/, '')
  return fraction === '' ? whole : `${whole}.${fraction}`
}

const estimateLines = (e: ChainWriteEstimateWire): string[] => [
  `Calls ${e.function} on ${e.address} (chain ${e.chain_id}) with ${e.args.map(a => JSON.stringify(a)).join(', ')}, from ${e.from}`,
  `Gas ${e.gas} (limit ${e.gas_limit}); costs at most ${formatWei(e.cost_wei)} in the chain's coin (${e.cost_wei} wei); the account holds ${formatWei(e.balance_wei)}`,
  ...(e.enough_funds ? [] : ['The account cannot pay for this: send it some of the chain\'s coin first.']),
  ...(e.eip4906 ? [] : ['The contract does not announce EIP-4906 metadata updates: marketplaces may need a manual refresh.']),
]

const txLine = (t: ChainTxWire): string => [
  `${t.id}`, t.tx_hash, t.state,
  t.block_number === null ? 'not mined yet' : `block ${t.block_number} (${Math.min(t.depth, t.confirmations)} of ${t.confirmations} confirmations)`,
  `${t.function}(${t.args.map(a => JSON.stringify(a)).join(', ')})`,
  ...(t.error === null ? [] : [t.error]),
].join('\t')

/**
 * `lineage-node chain base-uri | token-uri | refresh | functions | tx | txs | updates`: changes
 * to the creator's own collection contract, signed by a keystore EVM key. Without --yes only the
 * estimate is shown; with it the change is sent (the passphrase from LINEAGE_PASSPHRASE or asked).
 */
export function addChainWriteCommands (chain: Command, output: Output, dataDir: DataDirOption): void {
  const node = (options: { dataDir?: string }): ReturnType<typeof nodeClient> => nodeClient(options.dataDir ?? defaultDataDir())

  async function write (request: ChainWriteRequest, o: WriteOptions): Promise<void> {
    const client = node(o)
    const estimate = await client.call<ChainWriteEstimateWire>('chain_write_estimate', [request])
    for (const line of estimateLines(estimate)) output.out(line)
    if (o.yes !== true) { output.out('Nothing was sent. Run again with --yes to sign and send it.'); return }
    const passphrase = await readPassphrase(`Passphrase of the key "${o.key}": `)
    let tx = await client.call<ChainTxWire>('chain_write_send', [request, passphrase, estimate.cost_wei])
    output.out(`Sent ${tx.tx_hash} (id ${tx.id}). Follow it with \`lineage-node chain tx ${tx.id}\`.`)
    if (o.wait !== true) return
    while (tx.state === 'sent' || tx.state === 'mined') {
      await new Promise(resolve => setTimeout(resolve, 1_000))
      tx = await client.call<ChainTxWire>('chain_tx', [tx.id])
    }
    output.out(txLine(tx))
  }

  const withKey = (c: Command): Command => c
    .requiredOption('--key <name>', 'the EVM key (of `lineage-node keys`) that owns the contract')
    .option('--yes', 'sign and send it (without: only show the gas estimate)')
    .option('--wait', 'with --yes: wait until it is confirmed')
    .option(dataDir.flags, dataDir.help, dataDir.parse)

  withKey(chain.command('base-uri <chainId> <address> <uri>')
    .description('set the collection contract\'s baseURI (setBaseURI, setBaseTokenURI or setURI, whichever it has)'))
    .action(async (chainId: string, address: string, uri: string, o: WriteOptions) => { await write({ chain_id: chainId, address, key: o.key, action: 'base_uri', uri }, o) })
  withKey(chain.command('token-uri <chainId> <address> <tokenId> <uri>')
    .description('set one token\'s URI (setTokenURI or setURI(uint256,string))'))
    .action(async (chainId: string, address: string, tokenId: string, uri: string, o: WriteOptions) => { await write({ chain_id: chainId, address, key: o.key, action: 'token_uri', token_id: tokenId, uri }, o) })
  withKey(chain.command('refresh <chainId> <address> <fromTokenId> [toTokenId]')
    .description('ask marketplaces to refresh tokens: the contract emits EIP-4906 BatchMetadataUpdate (or MetadataUpdate)'))
    .action(async (chainId: string, address: string, from: string, to: string | undefined, o: WriteOptions) => {
      await write({ chain_id: chainId, address, key: o.key, action: 'metadata_update', token_id: from, ...(to === undefined ? {} : { to_token_id: to }) }, o)
    })
  chain.command('functions <chainId> <address>')
    .description('which of these changes the contract can take, read from its code')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, o: { dataDir?: string }) => {
      const f = await node(o).call<ChainWriteFunctionsWire>('chain_write_functions', [chainId, address])
      output.out(`baseURI\t${f.base_uri ?? 'none the node knows'}`)
      output.out(`token URI\t${f.token_uri ?? 'none the node knows'}`)
      output.out(`refresh\t${f.metadata_update ?? 'none the node knows'}`)
      output.out(`EIP-4906\t${f.eip4906 ? 'supported' : 'not declared'}`)
    })
  chain.command('tx <idOrHash>')
    .description('a transaction sent from this node: sent, mined, confirmed or failed')
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (ref: string, o: { json?: boolean, dataDir?: string }) => {
      const t = await node(o).call<ChainTxWire>('chain_tx', [/^\d+$/.test(ref) ? Number(ref) : ref])
      output.out(o.json === true ? JSON.stringify(t, null, 2) : txLine(t))
    })
  chain.command('txs')
    .description('transactions sent from this node, newest first')
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (o: { json?: boolean, dataDir?: string }) => {
      const txs = await node(o).call<ChainTxWire[]>('chain_txs')
      if (o.json === true) output.out(JSON.stringify(txs, null, 2))
      else if (txs.length === 0) output.out('No transaction was sent from this node.')
      else for (const t of txs) output.out(txLine(t))
    })
  chain.command('updates <chainId> <address>')
    .description('EIP-4906 metadata updates the collection announced in transactions sent from this node')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, o: { dataDir?: string }) => {
      const updates = await node(o).call<MetadataUpdateWire[]>('chain_metadata_updates', [chainId, address])
      if (updates.length === 0) output.out('No metadata update seen.')
      for (const u of updates) output.out(`block ${u.block_number}\t${u.token_to === null ? `token ${u.token_from}` : `tokens ${u.token_from}–${u.token_to}`}\t${u.tx_hash}`)
    })
}
