import path from 'node:path'
import { Command, CommanderError } from 'commander'
import { packageInfo } from '../node/index.js'
import { EXIT, describeError } from './errors.js'
import { parseHost, parsePort } from './options.js'
import { runStart } from './start.js'
import type { Output } from './start.js'
import { runStatus } from './status.js'

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
    .action(async (options: { dataDir?: string, rpcPort?: number, p2pPort?: number, p2pHost?: string, offline?: boolean }) => {
      await runStart(options, output)
    })

  program.command('status')
    .description('show the state of the node running on a data dir')
    .option('--data-dir <dir>', 'data dir of the node to ask', resolveDir)
    .option('--json', 'print node_info as JSON')
    .action(async (options: { dataDir?: string, json?: boolean }) => {
      await runStatus(options, output)
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
