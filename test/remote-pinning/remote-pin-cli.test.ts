import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/index.js'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { rawBlock } from '../lineage/pins/helpers.js'
import { startPinningService } from './pinning-service-server.js'
import type { PinningServiceServer } from './pinning-service-server.js'

const TOKEN = 'cli-service-token-0123456789wxyz'

describe('lineage-node pin remote …, against a running node', () => {
  let t: TestNode
  let service: PinningServiceServer
  beforeAll(async () => {
    service = await startPinningService({ token: TOKEN })
    t = await startTestNode({ offline: true })
  }, 120_000)
  afterAll(async () => {
    await t?.stop()
    await service?.close()
  })

  async function cli (...argv: string[]): Promise<{ code: number, out: string[], err: string[] }> {
    const out: string[] = []
    const err: string[] = []
    const code = await main([...argv, '--data-dir', t.node.config.dataDir], { out: line => out.push(line), err: line => err.push(line) })
    return { code, out, err }
  }

  it('adds a service from a token file, pushes a pin, lists it, and removes both', async () => {
    const tokenFile = path.join(t.node.config.dataDir, 'psa-token')
    fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 })
    expect(await cli('pin', 'remote', 'service', 'add', 'psa', service.url, '--token-file', tokenFile)).toEqual({
      code: 0, out: [`Added psa\t${service.url}\ttoken ********wxyz\ton request\t0 queued, 0 pinning, 0 pinned, 0 failed`], err: [],
    })
    const listed = await cli('pin', 'remote', 'service', 'ls', '--json')
    expect(listed.out.join('\n')).not.toContain(TOKEN)

    const block = await rawBlock('from the command line')
    createBlockstore(t.node.store, { transactionRows: ledgerReads }).putSync(block.cid, block.bytes)
    const cid = block.cid.toString()
    expect((await cli('pin', 'add', cid)).code).toBe(0)
    expect(await cli('pin', 'remote', 'add', cid, '--service', 'psa')).toEqual({ code: 0, out: [`Sent ${cid} to psa: queued (request req-1). See \`lineage-node pin remote ls\` for its status.`], err: [] })
    await expect.poll(async () => (await cli('pin', 'remote', 'ls', '--service', 'psa')).out, { timeout: 30_000, interval: 100 }).toEqual([`${cid}\tpsa\tpinned`])
    expect(await cli('pin', 'remote', 'rm', cid, '--service', 'psa')).toMatchObject({ code: 0, out: [`Removed ${cid} from psa`] })
    expect(await cli('pin', 'remote', 'service', 'rm', 'psa')).toMatchObject({ code: 0, out: ['Removed the pinning service psa'] })
    expect((await cli('pin', 'remote', 'service', 'ls')).out).toEqual(['No pinning services. Add one with `lineage-node pin remote service add <name> <endpoint>`.'])
  })

  it('says what is wrong in one line', async () => {
    const saved = process.env.LINEAGE_PINNING_TOKEN
    delete process.env.LINEAGE_PINNING_TOKEN
    try {
      expect(await cli('pin', 'remote', 'service', 'add', 'psa', service.url)).toEqual({ code: 1, out: [], err: ['Error: The service\'s access token is needed: set LINEAGE_PINNING_TOKEN, or pass --token-file <file>.'] })
      process.env.LINEAGE_PINNING_TOKEN = TOKEN
      expect(await cli('pin', 'remote', 'service', 'add', 'psa', 'ftp://example.com')).toEqual({ code: 1, out: [], err: ['Error: Invalid params: endpoint must be an http:// or https:// URL, not ftp:'] })
      expect((await cli('pin', 'remote', 'add', 'bafkqaaa', '--service', 'nope')).err).toEqual(['Error: No pinning service named "nope" is configured. Add one with `lineage-node pin remote service add`.'])
    } finally {
      if (saved === undefined) delete process.env.LINEAGE_PINNING_TOKEN
      else process.env.LINEAGE_PINNING_TOKEN = saved
    }
  })
})
