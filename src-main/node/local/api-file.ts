import fs from 'node:fs'
import path from 'node:path'
import { API_FILE, PRIVATE_FILE_MODE } from './constants.js'

/**
 * What a running node tells other local programs about itself. `state` is "starting" while it
 * answers node_info (and holds other calls) as it starts, "running" after; "stopping" from the
 * moment a clean stop begins; the file is removed when the stop ends (while the node still holds
 * the database), so a file left behind with a process that is gone means the node was killed.
 */
export interface ApiFile {
  url: string
  peerId: string
  pid: number
  state: 'starting' | 'running' | 'stopping'
}

export function writeApiFile (dataDir: string, info: ApiFile): void {
  const file = path.join(dataDir, API_FILE)
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, JSON.stringify(info) + '\n', { mode: PRIVATE_FILE_MODE })
  fs.renameSync(temp, file)
}

export function removeApiFile (dataDir: string): void {
  fs.rmSync(path.join(dataDir, API_FILE), { force: true })
}

/**
 * Reads the api file, or undefined when no node has announced itself. The file can be stale
 * after a crash; callers confirm by asking the node (and comparing the peer id).
 */
export function readApiFile (dataDir: string): ApiFile | undefined {
  let text: string
  try {
    text = fs.readFileSync(path.join(dataDir, API_FILE), 'utf8')
  } catch {
    return undefined
  }
  try {
    const value = JSON.parse(text) as Partial<ApiFile>
    if (typeof value.url === 'string' && typeof value.peerId === 'string' && typeof value.pid === 'number') {
      // Files written before `state` existed were only ever written by running nodes.
      return { url: value.url, peerId: value.peerId, pid: value.pid, state: value.state === 'stopping' || value.state === 'starting' ? value.state : 'running' }
    }
  } catch {
    // A torn or hand-edited file says nothing reliable; treat it as absent.
  }
  return undefined
}
