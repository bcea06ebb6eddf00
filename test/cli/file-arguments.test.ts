import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/processes.js'
import { tempDir } from '../helpers/temp-dir.js'

/**
 * Files named on the command line go through the same checks as paths a client names to the node:
 * a FIFO nobody writes to, or a device, is refused at once by name (the command ends, it does not
 * wait for a writer or read an endless device), and an export never lands in a system folder.
 */
describe('the CLI never hangs on, or writes into, a special file it is given', () => {
  let t: { dir: string, cleanup: () => void }
  let data: string
  let fifo: string
  beforeAll(() => {
    t = tempDir('lineage-cli-files-')
    data = path.join(t.dir, 'data')
    fs.mkdirSync(data)
    fifo = path.join(t.dir, 'pipe')
    execFileSync('mkfifo', [fifo])
  })
  afterAll(() => { t.cleanup() })

  it('keys import of a FIFO, and contract deploy of a link to /dev/urandom, end with a refusal naming the file', async () => {
    const link = path.join(t.dir, 'random.wasm')
    fs.symlinkSync('/dev/urandom', link)
    const [piped, random] = await Promise.all([
      // Refused before any passphrase is asked.
      runCli(['keys', 'import', 'k', fifo, '--data-dir', data]),
      // A link on the command line is followed (the file is the user's own), to a device: refused.
      runCli(['contract', 'deploy', link, '--id', 'x', '--data-dir', data]),
    ])
    expect(piped.code).toBe(1)
    expect(piped.stderr).toContain(`Cannot read the key file ${fifo}: not a regular file: it is a named pipe (FIFO)`)
    expect(random.code).toBe(1)
    expect(random.stderr).toContain(`Cannot read the contract module ${link}: not a regular file: it is a device`)
  })

  it('import of a .car that is a FIFO is refused by name; export --car into /proc or /dev is refused and creates nothing', async () => {
    const car = path.join(t.dir, 'backup.car')
    execFileSync('mkfifo', [car])
    const imported = await runCli(['import', car, '--data-dir', data])
    expect(imported.code).toBe(1)
    expect(imported.stderr).toContain(`Cannot import ${car}: not a regular file: it is a named pipe (FIFO)`)
    const targets = ['/proc/lineage-cli.car', '/dev/lineage-cli.car']
    const exports = await Promise.all(targets.map(async target => await runCli(['export', '--car', target, '--data-dir', path.join(t.dir, path.basename(path.dirname(target)))])))
    for (const [i, target] of targets.entries()) {
      const exported = exports[i] as Awaited<ReturnType<typeof runCli>>
      expect(exported.code).toBe(1)
      expect(exported.stderr).toContain(`${target} is on the system file system ${path.dirname(target)}`)
      expect(fs.existsSync(target)).toBe(false)
    }
  })
})
