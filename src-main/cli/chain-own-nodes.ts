import type { Command } from 'commander'
import { CliError, EXIT } from './errors.js'
import type { nodeClient } from './node-client.js'
import type { Output } from './start.js'

interface DataDirOption { flags: string, help: string, parse: (value: string) => string }
type Client = ReturnType<typeof nodeClient>

/**
 * The peer ids as libp2p writes them, or a usage error naming the first that is not one: checked
 * here so the message names the argument (the node checks them again). Loaded when used, so
 * `--help` and `status` load no libp2p module.
 */
async function checkedPeerIds (values: readonly string[]): Promise<string[]> {
  const { peerIdFromString } = await import('@libp2p/peer-id')
  return values.map(value => {
    try {
      return peerIdFromString(value).toString()
    } catch {
      throw new CliError(`"${value}" is not a libp2p peer id (12D3KooW… or Qm…, as \`lineage-node status\` shows it on that node); nothing changed.`, EXIT.usage)
    }
  })
}

async function replaceList (client: Client, peers: readonly string[], output: Output): Promise<void> {
  const list = await client.call<string[]>('chain_reveal_peers_set', [peers])
  output.out(list.length === 0 ? 'No node is listed as yours now: copies of hidden collections leave their unminted tokens out for every peer.' : `Your own nodes (${list.length}): ${list.join(', ')}`)
}

/**
 * `lineage-node chain own-nodes [ls] | add | rm | set`: the owner's own nodes, the only peers a
 * copy of a hidden collection carries unminted tokens to (RPC chain_reveal_peers[_set]).
 */
export function addOwnNodeCommands (chain: Command, output: Output, dataDir: DataDirOption, node: (o: { dataDir?: string }) => Client): void {
  const own = chain.command('own-nodes').description('your own nodes (peer ids): copies of hidden collections to them carry unminted tokens too')
  own.command('ls', { isDefault: true })
    .description('list your own nodes')
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (o: { json?: boolean, dataDir?: string }) => {
      const list = await node(o).call<string[]>('chain_reveal_peers')
      if (o.json === true) output.out(JSON.stringify(list))
      else if (list.length === 0) output.out('No node is listed as yours. Add one with `lineage-node chain own-nodes add <peerId>`.')
      else for (const peer of list) output.out(peer)
    })
  own.command('add <peerId...>')
    .description('add nodes of yours by peer id')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (peerIds: string[], o: { dataDir?: string }) => {
      const added = await checkedPeerIds(peerIds)
      const client = node(o)
      const list = await client.call<string[]>('chain_reveal_peers')
      await replaceList(client, [...new Set([...list, ...added])], output)
    })
  own.command('rm <peerId...>')
    .description('remove nodes from your own')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (peerIds: string[], o: { dataDir?: string }) => {
      const removed = await checkedPeerIds(peerIds)
      const client = node(o)
      const list = await client.call<string[]>('chain_reveal_peers')
      const unknown = removed.filter(peer => !list.includes(peer))
      if (unknown.length > 0) throw new CliError(`${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not listed as yours; nothing changed.`)
      await replaceList(client, list.filter(peer => !removed.includes(peer)), output)
    })
  own.command('set <peerId...>')
    .description('replace the list of your own nodes')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (peerIds: string[], o: { dataDir?: string }) => {
      await replaceList(node(o), await checkedPeerIds(peerIds), output)
    })
}
