import path from 'node:path'
import { Command, CommanderError, Option } from 'commander'
import { defaultDataDir, packageInfo } from '../node/local/index.js'
import { EXIT, describeError } from './errors.js'
import { parseBurst, parseHost, parsePort, parseRate, parseReservations } from './options.js'
import type { Output } from './start.js'
import { addReplicationCommands } from './replication.js'
import { addRemotePinCommands } from './remote-pin.js'
import { addSnapshotCommands } from './snapshot.js'
import { addChainCommands } from './chain.js'
import { addChainWriteCommands } from './chain-write.js'
import { addBulkEditCommand } from './bulk-edit.js'
import { nodeClient, PIN_ADD_CALL_TIMEOUT_MS } from './node-client.js'
import type { ImportOptions } from './import.js'
import type { PublishOptions } from './publish.js'
import type { ContractDeployInfo, GcResultInfo, PinInfo, PinRecordInfo } from '../api/index.js'

// Each command's implementation is imported inside its action: `status` and `--help` then load
// only commander and the small client, not the node, the Marine sandbox or the build toolchain.
// What builds the command tree (this file, replication.ts, remote-pin.ts, snapshot.ts) stays light.
const resolveDir = (value: string): string => path.resolve(value)

/** Builds the `lineage-node` command tree. Actions throw; `main` turns errors into exit codes. */
export function buildProgram (output: Output): Command {
  const program = new Command('lineage-node')
    .description('Lineage node: write, curate, pin and serve NFT metadata as signed, content-addressed versions.')
    .version(packageInfo().version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: s => { output.out(s.trimEnd()) }, writeErr: s => { output.err(s.trimEnd()) } })
    .exitOverride()

  program.command('start')
    .description('run a node in the foreground until Ctrl+C')
    .option('--data-dir <dir>', 'where the node keeps its data (default: the OS app-data folder, or $LINEAGE_DATA_DIR)', resolveDir)
    .option('--rpc-port <port>', 'preferred port of the API and UI; a busy port picks a free one (default 5480)', parsePort)
    .option('--p2p-port <port>', 'TCP port for peers; WebSocket uses the next one (default 5481); a busy port picks a free one', parsePort)
    .option('--p2p-host <ip>', 'interface to listen on for peers (default 0.0.0.0, every interface)', parseHost)
    .option('--offline', 'do not connect to any network; serve only the local API')
    .option('--relay <multiaddr>', 'join an existing Fluence network through this relay (a Nox node or another Lineage node), e.g. /ip4/1.2.3.4/tcp/5482/ws/p2p/12D3KooW…')
    .option('--bootstrap <multiaddr...>', 'peers to dial at start and keep in touch with (multiaddrs ending in /p2p/<peer id>)')
    .option('--no-mdns', 'do not look for peers on the local network (mDNS); it is on unless --p2p-host is a loopback address')
    .option('--dht', 'join the IPFS network\'s DHT and announce this node\'s collections there (the default unless --p2p-host is a loopback address, where it is a private DHT of the --bootstrap peers)')
    .option('--no-dht', 'do not join the IPFS DHT: the node is found only by peers it knows')
    .option('--no-listen', 'accept no direct connections from peers (as behind a home router): they reach this node only through a relay it holds a slot on')
    .option('--relay-service', 'let nodes behind routers hold a slot on this node and be reached through it (libp2p circuit relay; for servers with a public address)')
    .option('--p2p-announce <multiaddr...>', 'public addresses of this server to announce to peers as they are, e.g. /ip4/203.0.113.7/tcp/5481 or /dns4/relay.example.org/tcp/5481')
    .option('--relay-max-reservations <n>', 'relay slots given at once with --relay-service (default 32)', parseReservations)
    .option('--gateway-host <ip>', 'also serve the read-only gateway (/metadata, /ta, /tk, /ipfs, /ipns; never the API or UI) to the public on this interface, e.g. 0.0.0.0', parseHost)
    .option('--gateway-port <port>', 'port of the public gateway (default 8080; taken exactly, a busy port fails the start)', parsePort)
    .option('--gateway-rate <n>', 'reads a second each client may make on the public gateway (default 20; 0: no limit)', parseRate)
    .option('--gateway-burst <n>', 'reads a client may make at once on the public gateway (default 200)', parseBurst)
    .option('--trusted-proxy <ip...>', 'reverse proxies whose X-Forwarded-For names the client on the public gateway')
    .addOption(new Option('--aquavm-thread <thread>', 'where AquaVM runs: main (fastest Aqua calls) or worker (particle floods do not compete with the gateway)').choices(['main', 'worker']))
    .action(async (options: { dataDir?: string, rpcPort?: number, p2pPort?: number, p2pHost?: string, offline?: boolean, relay?: string, bootstrap?: string[], mdns?: boolean, dht?: boolean, aquavmThread?: 'main' | 'worker' }) => {
      const { runStart } = await import('./start.js')
      await runStart(options, output)
    })

  program.command('status')
    .description('show the state of the node running on a data dir')
    .option('--data-dir <dir>', 'data dir of the node to ask', resolveDir)
    .option('--json', 'print node_info as JSON')
    .action(async (options: { dataDir?: string, json?: boolean }) => {
      const { runStatus } = await import('./status.js')
      await runStatus(options, output)
    })

  const dataDirOption = '--data-dir <dir>'
  const dataDirHelp = 'data dir of the node (default: the OS app-data folder, or $LINEAGE_DATA_DIR)'

  const keys = program.command('keys').description('signing keys, stored encrypted in the data dir (passphrase from $LINEAGE_PASSPHRASE or a prompt)')
  keys.command('new <name>')
    .description('create a key')
    .option('--type <type>', 'evm (an Ethereum wallet key, signs with personal_sign) or ed25519', 'evm')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (name: string, options: { dataDir?: string, type: string }) => { await (await import('./keys.js')).runKeysNew(name, options, output) })
  keys.command('import <name> <file>')
    .description('import a private key (hex) or a wallet keystore JSON from a file')
    .option('--type <type>', 'evm or ed25519', 'evm')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (name: string, file: string, options: { dataDir?: string, type: string }) => { await (await import('./keys.js')).runKeysImport(name, file, options, output) })
  keys.command('list')
    .description('list keys with their public keys')
    .option('--json', 'as JSON')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (options: { dataDir?: string, json?: boolean }) => { (await import('./keys.js')).runKeysList(options, output) })
  keys.command('export-public <name>')
    .description('print a key\'s public key (0x address or base58)')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (name: string, options: { dataDir?: string }) => { (await import('./keys.js')).runKeysExportPublic(name, options, output) })

  program.command('publish')
    .description('sign one transaction with a key and publish it to the running node')
    .requiredOption('--key <name>', 'key to sign with')
    .requiredOption('--chain <id>', 'chain id, e.g. 1')
    .requiredOption('--contract <address>', 'the collection\'s contract address')
    .option('--token <id>', 'token id (decimal)')
    .option('--contract-id <id>', 'meta contract: open, erc721, collab, holders', 'erc721')
    .option('--alias <alias>', 'slot alias ("" is the main document)', '')
    .option('--version <version>', 'slot version', 'v1')
    .option('--data <file>', 'JSON file with the content')
    .option('--bind', 'bind --contract-id to the collection instead of writing metadata')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (options: PublishOptions) => { await (await import('./publish.js')).runPublish(options, output) })

  program.command('import <source>')
    .description('import a collection: a folder of <tokenId>.json files, a CSV (token_id column) or a .car file; resumable')
    .option('--chain <id>', 'chain id, e.g. 1 (folder and CSV)')
    .option('--contract <address>', 'the collection\'s contract address (folder and CSV)')
    .option('--contract-id <id>', 'meta contract: open, erc721, collab, holders (bound first if the collection is unbound)', 'erc721')
    .option('--key <name>', 'key that signs every item (folder and CSV)')
    .option('--passphrase-env <name>', 'environment variable holding the key passphrase (default $LINEAGE_PASSPHRASE, else a prompt)')
    .option('--alias <alias>', 'slot alias ("" is the main document)', '')
    .option('--version <version>', 'slot version', 'v1')
    .option('--resume <job>', 'resume a cancelled or interrupted import job')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (source: string, options: Omit<ImportOptions, 'source'>) => { await (await import('./import.js')).runImport({ ...options, source }, output) })

  program.command('get <chainId> <address> <tokenId>')
    .description('print a token\'s tokenURI JSON as the node serves it')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (chainId: string, address: string, tokenId: string, options: { dataDir?: string }) => { await (await import('./get.js')).runGet(chainId, address, tokenId, options, output) })

  addReplicationCommands(program, output)

  const formatBytes = (n: number): string => n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`
  const pin = program.command('pin').description('pins: blocks kept through garbage collection')
  pin.command('add <cid>')
    .description('pin a block and (by default) everything it links to, e.g. a version and its history; blocks the node lacks are fetched from its peers')
    .option('--direct', 'pin only this block')
    .option('--name <name>', 'a label for the pin')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (cid: string, options: { dataDir?: string, direct?: boolean, name?: string }) => {
      const node = nodeClient(options.dataDir ?? defaultDataDir())
      // A CID the node lacks is fetched from its peers first; Ctrl+C stops that in the node too.
      const cancel = (): void => { node.call('pin_cancel', [cid]).catch(() => {}) }
      process.on('SIGINT', cancel)
      process.on('SIGTERM', cancel)
      try {
        const added = await node.call<PinInfo>('pin_add', [cid, options.direct !== true, ...(options.name === undefined ? [] : [options.name])], { timeoutMs: PIN_ADD_CALL_TIMEOUT_MS })
        output.out(`Pinned ${added.cid} (${added.blocks} blocks, ${formatBytes(added.bytes)})`)
      } finally {
        process.off('SIGINT', cancel)
        process.off('SIGTERM', cancel)
      }
    })
  pin.command('rm <cid>')
    .description('unpin; the blocks go at the next gc unless something else keeps them')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (cid: string, options: { dataDir?: string }) => {
      const removed = await nodeClient(options.dataDir ?? defaultDataDir()).call<PinRecordInfo>('pin_rm', [cid])
      output.out(`Unpinned ${removed.cid}`)
    })
  pin.command('ls')
    .description('list pins with the blocks and bytes each keeps')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (options: { dataDir?: string }) => {
      const pins = await nodeClient(options.dataDir ?? defaultDataDir()).call<PinInfo[]>('pin_ls')
      if (pins.length === 0) output.out('No pins.')
      for (const p of pins) output.out(`${p.cid}\t${p.recursive ? 'recursive' : 'direct'}\t${p.blocks} blocks\t${formatBytes(p.bytes)}\t${p.name}`)
    })
  addRemotePinCommands(pin, output, { flags: dataDirOption, help: dataDirHelp, parse: resolveDir })
  program.command('export')
    .description('write a CAR file of a token, a collection, or everything the node keeps (slot heads and pins, with histories, the signed transactions and the deployed contracts they need)')
    .requiredOption('--car <file>', 'the CAR file to write (must not exist)')
    .option('--token-key <key>', 'only this collection')
    .option('--data-key <key>', 'only this token')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (options: { car: string, tokenKey?: string, dataKey?: string, dataDir?: string }) => { await (await import('./export.js')).runExport(options, output) })

  addBulkEditCommand(program, output, { flags: dataDirOption, help: dataDirHelp, parse: resolveDir })
  addSnapshotCommands(program, output, { flags: dataDirOption, help: dataDirHelp, parse: resolveDir })
  addChainWriteCommands(addChainCommands(program, output, { flags: dataDirOption, help: dataDirHelp, parse: resolveDir }), output, { flags: dataDirOption, help: dataDirHelp, parse: resolveDir })

  program.command('gc')
    .description('delete blocks that no pin, slot head or meta contract keeps')
    .option('--dry-run', 'only say what would be freed')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (options: { dataDir?: string, dryRun?: boolean }) => {
      const result = await nodeClient(options.dataDir ?? defaultDataDir()).call<GcResultInfo>('gc', [options.dryRun === true])
      output.out(`${options.dryRun === true ? 'Would free' : 'Freed'} ${result.freed.length} blocks (${formatBytes(result.bytes)})`)
    })

  const contract = program.command('contract').description('meta contracts')
  contract.command('build <dir>')
    .description('build a meta contract folder (start from services/template) into a .wasm')
    .option('--out <file>', 'output file (default <dir>/build/<name>.wasm)')
    .action(async (dir: string, options: { out?: string }) => { await (await import('./contract.js')).runContractBuild(dir, options, output) })
  contract.command('deploy <file>')
    .description('deploy a built meta contract (.wasm) to the running node under a new id')
    .requiredOption('--id <id>', 'the contract id transactions will name (a–z, 0–9, . _ -)')
    .option('--name <name>', 'a readable name')
    .option(dataDirOption, dataDirHelp, resolveDir)
    .action(async (file: string, options: { id: string, name?: string, dataDir?: string }) => {
      const [{ readFileArgument }, { CONTRACT_MAX_WASM_BYTES }] = await Promise.all([import('./files.js'), import('../marine/index.js')])
      const wasm = (await readFileArgument(file, 'contract module', CONTRACT_MAX_WASM_BYTES)).toString('base64')
      const deployed = await nodeClient(options.dataDir ?? defaultDataDir()).call<ContractDeployInfo>('deploy_meta_contract', [options.id, wasm, ...(options.name === undefined ? [] : [options.name])])
      output.out(`Deployed ${deployed.meta_contract_id} (${deployed.cid}): ${deployed.functions.join(', ')}`)
    })

  return program
}

/** Runs the CLI and resolves to the process exit code. Never throws. */
export async function main (argv: readonly string[], output: Output): Promise<number> {
  const program = buildProgram(output)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return EXIT.ok
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit through here too, with code 0; commander already printed them.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    output.err(`Error: ${describeError(err)}`)
    return (err as { exitCode?: number }).exitCode ?? EXIT.failure
  }
}
