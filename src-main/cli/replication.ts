import path from 'node:path'
import type { Command } from 'commander'
import type { FollowInfo, PeerConnectionInfo, SyncResultInfo } from '../api/index.js'
import { defaultDataDir } from '../node/local/index.js'
import { nodeClient } from './node-client.js'
import type { Output } from './start.js'

const dataDirOption = '--data-dir <dir>'
const dataDirHelp = 'data dir of the node (default: the OS app-data folder, or $LINEAGE_DATA_DIR)'
const resolveDir = (value: string): string => path.resolve(value)
const client = (options: { dataDir?: string }): ReturnType<typeof nodeClient> => nodeClient(options.dataDir ?? defaultDataDir())

/** `peers`, `follow` and `sync`: the running node's peers and the collections it replicates. */
export function addReplicationCommands (program: Command, output: Output): void {
  const peers = program.command('peers').description('peers of the running node: list, add by multiaddr, remove')
  peers.command('ls', { isDefault: true })
    .description('list the peers the running node is connected to')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (options: { dataDir?: string }) => {
      const list = await client(options).call<PeerConnectionInfo[]>('peers')
      if (list.length === 0) output.out('Not connected to any peer.')
      for (const peer of list) output.out(`${peer.peer_id}\t${peer.direction}\t${peer.address}`)
    })
  peers.command('add <multiaddr>')
    .description('connect to a peer (e.g. /ip4/192.168.1.20/tcp/5481/p2p/12D3KooW…) and dial it again at every start')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (address: string, options: { dataDir?: string }) => {
      const { peer_id: peerId } = await client(options).call<{ peer_id: string }>('peer_connect', [address])
      output.out(`Connected to ${peerId}`)
    })
  peers.command('rm <peerId>')
    .description('hang up on a peer and forget it')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (peerId: string, options: { dataDir?: string }) => {
      await client(options).call('peer_disconnect', [peerId])
      output.out(`Disconnected from ${peerId}`)
    })

  const follow = program.command('follow').description('collections the node replicates from and to its peers')
  follow.command('ls', { isDefault: true })
    .description('list followed collections')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (options: { dataDir?: string }) => {
      const list = await client(options).call<FollowInfo[]>('follow_ls')
      if (list.length === 0) output.out('Not following any collection.')
      for (const f of list) output.out(`${f.chain_id}\t${f.token_address}\t${f.transactions} transactions${f.auto ? '\t(own)' : ''}\t${f.synced_at === null ? 'never synced' : `synced ${new Date(f.synced_at).toISOString()}`}`)
    })
  follow.command('add <chainId> <address>')
    .description('follow a collection: hear its new transactions and sync it from every peer')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (chainId: string, address: string, options: { dataDir?: string }) => {
      const f = await client(options).call<FollowInfo>('follow_add', [chainId, address])
      output.out(`Following ${f.chain_id} ${f.token_address} (${f.token_key})`)
    })
  follow.command('rm <tokenKey>')
    .description('stop following a collection; what the node holds of it stays')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (tokenKey: string, options: { dataDir?: string }) => {
      await client(options).call('follow_rm', [tokenKey])
      output.out(`No longer following ${tokenKey}`)
    })

  program.command('sync')
    .description('sync followed collections with connected peers now, and report what each sync fetched')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .option('--token-key <key>', 'only this collection')
    .option('--peer <peerId>', 'only this peer')
    .action(async (options: { dataDir?: string, tokenKey?: string, peer?: string }) => {
      const results = await client(options).call<SyncResultInfo[]>('sync_now', [{ ...(options.tokenKey === undefined ? {} : { token_key: options.tokenKey }), ...(options.peer === undefined ? {} : { peer_id: options.peer }) }])
      if (results.length === 0) output.out('Nothing to sync: no followed collection, or no Lineage peer connected.')
      for (const r of results) {
        output.out(r.error === undefined ? `${r.token_key} from ${r.peer_id}: ${r.fetched} of ${r.missing} missing transactions fetched` : `${r.token_key} from ${r.peer_id}: failed, ${r.error}`)
      }
    })
}
