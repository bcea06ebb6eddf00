import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import type { ChainRevealInfoWire } from '../api/index.js'
import { CliError, EXIT } from './errors.js'
import type { nodeClient } from './node-client.js'
import type { Output } from './start.js'

interface DataDirOption { flags: string, help: string, parse: (value: string) => string }

const revealLine = (r: ChainRevealInfoWire): string =>
  `${r.chain_id}\t${r.address}\thidden until minted\t${r.placeholder === null ? '404 before the mint' : `placeholder ${JSON.stringify(r.placeholder).slice(0, 80)}`}`

/** The placeholder document a creator wrote, or a usage error naming the file. */
function readPlaceholder (path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new CliError(`--placeholder: cannot read ${path} (${(err as Error).message}).`, EXIT.usage)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new CliError(`--placeholder: ${path} is not JSON (${(err as Error).message}).`, EXIT.usage)
  }
}

/** `lineage-node chain hide | unhide | hidden`: reveal on mint, per watched collection. */
export function addRevealCommands (chain: Command, output: Output, dataDir: DataDirOption, node: (o: { dataDir?: string }) => ReturnType<typeof nodeClient>): void {
  chain.command('hide <chainId> <address>')
    .description('hide a watched collection\'s tokens until each is minted: a placeholder document (or a 404) until then')
    .option('--placeholder <file>', 'JSON document served for tokens not minted yet (at most 16 KiB)')
    .option('--not-found', 'answer 404 for tokens not minted yet instead')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, o: { placeholder?: string, notFound?: boolean, dataDir?: string }) => {
      if ((o.placeholder === undefined) === (o.notFound !== true)) throw new CliError('Give --placeholder <file.json> or --not-found (one of them).', EXIT.usage)
      const placeholder = o.placeholder === undefined ? null : readPlaceholder(o.placeholder)
      const r = await node(o).call<ChainRevealInfoWire>('chain_reveal_set', [chainId, address, placeholder])
      output.out(`${r.address} on chain ${r.chain_id}: each token is hidden until its mint is confirmed (${r.placeholder === null ? '404 before then' : 'the placeholder before then'}).`)
    })
  chain.command('unhide <chainId> <address>')
    .description('make every token of the collection public again, minted or not')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, o: { dataDir?: string }) => {
      const r = await node(o).call<ChainRevealInfoWire>('chain_reveal_clear', [chainId, address])
      output.out(`${r.address} on chain ${r.chain_id}: every token is public again.`)
    })
  chain.command('hidden')
    .description('list the collections hidden until minted')
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (o: { json?: boolean, dataDir?: string }) => {
      const list = await node(o).call<ChainRevealInfoWire[]>('chain_reveal_ls')
      if (o.json === true) output.out(JSON.stringify(list, null, 2))
      else if (list.length === 0) output.out('No collection is hidden until minted. Hide one with `lineage-node chain hide <chainId> <address> --placeholder <file.json>`.')
      else for (const r of list) output.out(revealLine(r))
    })
}
