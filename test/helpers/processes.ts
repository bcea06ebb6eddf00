import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const cliPath = path.join(repoRoot, 'bin', 'lineage-node.js')

export interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built CLI to completion with the test's Node (22). */
export async function runCli (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const code = await new Promise<number | null>(resolve => { child.on('exit', c => { resolve(c) }) })
  return { code, stdout, stderr }
}

export interface StartedNode {
  child: ChildProcessWithoutNullStreams
  /** Base URL of the API, read from the node's own output. */
  url: string
  /** The UI address the node printed, carrying its API token in the fragment (browser mode). */
  uiUrl: string
  /** The API token, read from the UI address. */
  token: string
  peerId: string
  output: () => string
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
}

/** Starts `lineage-node start` in a child process and waits until it prints its UI URL. */
export async function startNodeProcess (args: string[], timeoutMs = 30_000, prefix: string[] = [], cli = cliPath): Promise<StartedNode> {
  // `prefix` runs the node under another command, e.g. ['ip', 'netns', 'exec', '<namespace>'];
  // `cli` another checkout's bin/lineage-node.js (benchmarks comparing builds).
  const [command, ...rest] = [...prefix, process.execPath, cli, 'start', ...args] as [string, ...string[]]
  const child = spawn(command, rest, { env: process.env })
  let out = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>(resolve => { child.on('exit', code => { resolve(code) }) })
  const started = await new Promise<{ url: string, uiUrl: string, peerId: string }>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`node did not start in ${timeoutMs} ms:\n${out}`)) }, timeoutMs)
    const look = (): void => {
      const ui = /UI: +((http:\/\/\S+)\/app\/\S*)/.exec(out)
      const peer = /Lineage node (\S+) is running/.exec(out)
      if (ui?.[1] !== undefined && ui[2] !== undefined && peer?.[1] !== undefined) {
        clearTimeout(timer)
        resolve({ url: ui[2], uiUrl: ui[1], peerId: peer[1] })
      }
    }
    child.stdout.on('data', look)
    void exited.then(code => {
      clearTimeout(timer)
      reject(new Error(`node exited with ${String(code)} before starting:\n${out}`))
    })
  })
  return { child, ...started, token: new URL(started.uiUrl).hash.replace(/^#token=/, ''), output: () => out, exited }
}
