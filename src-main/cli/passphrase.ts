import { CliError } from './errors.js'

/** Environment variable a script sets to give the key passphrase without a prompt. */
export const PASSPHRASE_ENV = 'LINEAGE_PASSPHRASE'

/**
 * The passphrase for a key: from LINEAGE_PASSPHRASE, or asked for on the terminal without echo.
 * Never from a command-line flag, which would leave it in the shell history and process list.
 */
export async function readPassphrase (prompt: string): Promise<string> {
  const fromEnv = process.env[PASSPHRASE_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (!process.stdin.isTTY) throw new CliError(`A passphrase is needed: set ${PASSPHRASE_ENV}, or run in a terminal to be asked.`)
  process.stderr.write(prompt)
  const stdin = process.stdin
  stdin.setRawMode(true)
  stdin.resume()
  let text = ''
  try {
    for await (const chunk of stdin) {
      for (const char of String(chunk)) {
        if (char === '\u0003') throw new CliError('Cancelled.')
        if (char === '\r' || char === '\n') return text
        if (char === '\u007f') text = text.slice(0, -1)
        else text += char
      }
    }
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    process.stderr.write('\n')
  }
  return text
}
