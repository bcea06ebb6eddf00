import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import type { ChainEndpointInfoWire, ChainTokenInfoWire, ChainWatchStatusWire } from '../api/index.js'
import { defaultDataDir } from '../node/local/index.js'
import { addOwnNodeCommands } from './chain-own-nodes.js'
import { addRevealCommands } from './chain-reveal.js'
import { nodeClient } from './node-client.js'
import type { Output } from './start.js'

interface DataDirOption { flags: string, help: string, parse: (value: string) => string }

function parseWhole (value: string): number {
  if (!/^[0-9]{1,15}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number.`)
  return Number(value)
}

const endpointLine = (e: ChainEndpointInfoWire): string =>
  `${e.chain_id}\t${[e.http_url, e.ws_url].filter(u => u !== '').join(' ')}\t${e.confirmations} confirmations\tpoll ${e.poll_interval_ms} ms`

const statusLine = (s: ChainWatchStatusWire): string => [
  `${s.chain_id}`, s.address, s.token_type, s.state,
  `block ${s.last_block ?? '-'} of ${s.safe_block ?? '-'} confirmed (head ${s.head ?? '-'})`,
  `${s.tokens} tokens, ${s.events} events`,
  ...(s.last_error === null || s.failures === 0 ? [] : [`${s.failures} failures, last: ${s.last_error.message}${s.retry_at === null ? '' : ` (retry at ${s.retry_at})`}`]),
].join('\t')

/**
 * `lineage-node chain …`: the chain endpoints and watched collections of the running node. Only
 * its owner can run these (the CLI sends the API token from the data dir).
 */
export function addChainCommands (program: Command, output: Output, dataDir: DataDirOption): Command {
  const node = (options: { dataDir?: string }): ReturnType<typeof nodeClient> => nodeClient(options.dataDir ?? defaultDataDir())
  const chain = program.command('chain').description('EVM chains: endpoints (set by you only) and watched collections (mints, owners)')
  chain.command('set <chainId>')
    .description('set a chain\'s JSON-RPC endpoint; the node checks it answers that chain id')
    .option('--http <url>', 'HTTP(S) endpoint, e.g. https://eth-mainnet.example.com/v2/KEY')
    .option('--ws <url>', 'WebSocket endpoint, used when there is no HTTP one')
    .option('--confirmations <n>', 'blocks an event must be buried under before it counts (default 12)', parseWhole)
    .option('--poll-interval <ms>', 'how often to look for new blocks once caught up (default 4000)', parseWhole)
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, o: { http?: string, ws?: string, confirmations?: number, pollInterval?: number, dataDir?: string }) => {
      const set = await node(o).call<ChainEndpointInfoWire>('chain_set', [chainId, {
        ...(o.http === undefined ? {} : { http_url: o.http }),
        ...(o.ws === undefined ? {} : { ws_url: o.ws }),
        ...(o.confirmations === undefined ? {} : { confirmations: o.confirmations }),
        ...(o.pollInterval === undefined ? {} : { poll_interval_ms: o.pollInterval }),
      }])
      output.out(`Set ${endpointLine(set)}`)
    })
  chain.command('ls')
    .description('list the chain endpoints')
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (o: { json?: boolean, dataDir?: string }) => {
      const endpoints = await node(o).call<ChainEndpointInfoWire[]>('chain_ls')
      if (o.json === true) output.out(JSON.stringify(endpoints, null, 2))
      else if (endpoints.length === 0) output.out('No chain endpoints. Set one with `lineage-node chain set <chainId> --http <url>`.')
      else for (const e of endpoints) output.out(endpointLine(e))
    })
  chain.command('rm <chainId>')
    .description('forget a chain\'s endpoint (unwatch its collections first)')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, o: { dataDir?: string }) => {
      const removed = await node(o).call<ChainEndpointInfoWire>('chain_rm', [chainId])
      output.out(`Removed the endpoint of chain ${removed.chain_id}`)
    })
  chain.command('watch <chainId> <address>')
    .description('watch a collection\'s mints, transfers and burns into the owner index')
    .addOption(new Option('--type <type>', 'the contract\'s token standard').choices(['erc721', 'erc1155']).default('erc721'))
    .option('--from-block <n>', 'first block to read (default: the contract\'s deployment block, found by the node)', parseWhole)
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, o: { type: string, fromBlock?: number, dataDir?: string }) => {
      const s = await node(o).call<ChainWatchStatusWire>('chain_watch', [chainId, address, { token_type: o.type, ...(o.fromBlock === undefined ? {} : { start_block: o.fromBlock }) }])
      output.out(`Watching ${s.address} on chain ${s.chain_id} (${s.token_type}) from ${s.start_block === null ? 'its deployment block' : `block ${s.start_block}`}. See \`lineage-node chain status\`.`)
    })
  chain.command('unwatch <chainId> <address>')
    .description('stop watching a collection and forget its owner index')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, o: { dataDir?: string }) => {
      const s = await node(o).call<ChainWatchStatusWire>('chain_unwatch', [chainId, address])
      output.out(`Stopped watching ${s.address} on chain ${s.chain_id}; its ${s.tokens} tokens and ${s.events} events are forgotten`)
    })
  for (const [name, method, verb] of [['stop', 'chain_watch_stop', 'Paused'], ['start', 'chain_watch_start', 'Resumed']] as const) {
    chain.command(`${name} <chainId> <address>`)
      .description(name === 'stop' ? 'pause a watch (its owner index stays)' : 'resume a paused watch from where it stopped')
      .option(dataDir.flags, dataDir.help, dataDir.parse)
      .action(async (chainId: string, address: string, o: { dataDir?: string }) => {
        const s = await node(o).call<ChainWatchStatusWire>(method, [chainId, address])
        output.out(`${verb} ${s.address} on chain ${s.chain_id} at block ${s.last_block ?? '-'}`)
      })
  }
  chain.command('status')
    .description('each watch: state, last confirmed block applied, head, failures and the last error')
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (o: { json?: boolean, dataDir?: string }) => {
      const status = await node(o).call<ChainWatchStatusWire[]>('chain_status')
      if (o.json === true) output.out(JSON.stringify(status, null, 2))
      else if (status.length === 0) output.out('No watched collections. Watch one with `lineage-node chain watch <chainId> <address>`.')
      else for (const s of status) output.out(statusLine(s))
    })
  chain.command('token <chainId> <address> <tokenId>')
    .description('what the chain says of a token: minted, owner, mint block and transaction')
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, tokenId: string, o: { json?: boolean, dataDir?: string }) => {
      const t = await node(o).call<ChainTokenInfoWire>('chain_token', [chainId, address, tokenId])
      if (o.json === true) { output.out(JSON.stringify(t, null, 2)); return }
      const state = t.minted ? 'minted' : t.burned ? 'burned' : 'not minted'
      const holders = t.owner ?? t.balances.map(b => `${b.holder} ×${b.amount}`).join(', ')
      output.out(`${t.token_id}\t${state}${holders === '' ? '' : `\t${holders}`}${t.mint_block === null ? '' : `\tminted in block ${t.mint_block} (${t.mint_tx ?? ''})`}`)
    })
  addRevealCommands(chain, output, dataDir, node)
  addOwnNodeCommands(chain, output, dataDir, node)
  return chain
}
