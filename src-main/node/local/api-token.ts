import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { API_TOKEN_FILE, PRIVATE_FILE_MODE } from './constants.js'

/**
 * The node's API token: a random secret in the data dir, readable by its owner only, created on
 * first start. Whoever can read the data dir may change the node; web pages and other users may not.
 */
export function loadOrCreateApiToken (dataDir: string): string {
  const file = path.join(dataDir, API_TOKEN_FILE)
  try {
    const token = fs.readFileSync(file, 'utf8').trim()
    if (/^[0-9a-f]{64}$/.test(token)) return token
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const token = randomBytes(32).toString('hex')
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, token + '\n', { mode: PRIVATE_FILE_MODE })
  fs.renameSync(temp, file)
  return token
}

/** The token of the node on a data dir, for local tools (CLI) that call write methods. */
export function readApiToken (dataDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dataDir, API_TOKEN_FILE), 'utf8').trim()
  } catch {
    return undefined
  }
}
