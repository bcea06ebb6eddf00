import path from 'node:path'
import { readRefusal, readRegularFile } from '../files/index.js'
import { CliError } from './errors.js'

/**
 * A file named on the command line (a key, a contract module, a document, a token), read as the
 * node reads any file a client names (files/): a regular file only, without blocking on a FIFO or
 * a device, at most `maxBytes`. A link is followed: the file is the user's own. A refusal is a
 * CliError naming the file and why, never its bytes.
 */
export async function readFileArgument (file: string, what: string, maxBytes: number): Promise<Buffer> {
  try {
    return await readRegularFile(path.resolve(file), { maxBytes, limitName: `the largest ${what} accepted`, label: file, followLinks: true })
  } catch (err) {
    const reason = readRefusal(err)
    if (reason !== undefined) throw new CliError(`Cannot read the ${what} ${file}: ${reason}`)
    throw err
  }
}
