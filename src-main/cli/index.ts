/**
 * `lineage-node`, the command line: `start` runs the node headless, `status` asks a running node.
 * Errors are one line on stderr and a non-zero exit code (1 failure, 2 usage).
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), consoleOutput)
 * ```
 */
import type { Output } from './start.js'

export { main, buildProgram } from './program.js'
export { EXIT, CliError } from './errors.js'
export { fetchNodeInfo } from './status.js'
export type { Output } from './start.js'

export const consoleOutput: Output = {
  out: line => { process.stdout.write(line + '\n') },
  err: line => { process.stderr.write(line + '\n') },
}
