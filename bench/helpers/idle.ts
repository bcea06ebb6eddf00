import fs from 'node:fs'
import { performance } from 'node:perf_hooks'

/** CPU seconds a process has used (user + system), from /proc. */
export function cpuSeconds (pid: number | undefined): number {
  const fields = fs.readFileSync(`/proc/${pid ?? 0}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Waits until the process uses under 5% of a core for 3 seconds in a row; answers the wait in seconds. */
export async function idle (pid: number | undefined, maxSeconds = 900): Promise<number> {
  const started = performance.now()
  let quiet = 0
  let last = cpuSeconds(pid)
  while (quiet < 3 && performance.now() - started < maxSeconds * 1000) {
    await new Promise(resolve => setTimeout(resolve, 1000))
    const now = cpuSeconds(pid)
    quiet = now - last < 0.05 ? quiet + 1 : 0
    last = now
  }
  return (performance.now() - started) / 1000
}
