import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBlockstore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import { eachLimited, exchange, parseResponse } from '../helpers/raw-http.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { DAG_PB, importDirectory, pbNode, putUnder, unixfsData } from '../helpers/unixfs.js'

const SEED = 20_261_207
const encoder = new TextEncoder()
const encodeAll = (text: string): string => Array.from(encoder.encode(text), b => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('')
const portOf = (url: string): number => Number(new URL(url).port)
/** What a UnixFS read may answer: content, not modified, or a refusal naming what was wrong. */
const ANSWERS = new Set([200, 304, 400, 404, 414, 422, 431])

/**
 * Hostile UnixFS paths on the public gateway listener: every byte after every UnixFS prefix, and
 * generated paths and queries through plain, HAMT-sharded and broken directories. Each answer is
 * a well-formed HTTP response with a status from ANSWERS (never a 5xx), a refusal is JSON, and the
 * node keeps serving.
 */
describe('gateway: hostile UnixFS paths', () => {
  let running: TestNode
  let pub: number
  const roots: string[] = []

  /** `mayBeCut`: a CAR of a DAG with a broken block deeper down, which the trustless gateway spec says ends the stream early. */
  async function get (target: string, mayBeCut = false): Promise<{ status: number, body: Buffer }> {
    const bytes = await exchange(pub, `GET ${target} HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n`)
    if (mayBeCut && bytes.subarray(0, 13).toString('latin1') === 'HTTP/1.1 200 ') {
      expect(bytes.toString('latin1')).toContain('\r\ncontent-type: application/vnd.ipld.car; version=1\r\n')
      return { status: 200, body: Buffer.alloc(0) }
    }
    const answer = parseResponse(bytes, 'GET')
    expect([target, ANSWERS.has(answer.status)]).toEqual([target, true])
    if (answer.status >= 400) expect(JSON.parse(answer.body.toString()), target).toHaveProperty('error')
    return answer
  }

  beforeAll(async () => {
    running = await startTestNode({ gatewayHost: '127.0.0.1', gatewayPort: 0, gatewayRatePerSecond: 0 })
    pub = portOf(running.node.status().publicGatewayUrl ?? '')
    const blockstore = createBlockstore(running.node.store, { transactionRows: ledgerReads })
    const files = ['42', 'a b', 'é', '%41', '..x', 'sub/7', 'sub/deeper/8'].map(path => ({ path, content: encoder.encode(JSON.stringify({ path })) }))
    const dir = await importDirectory(blockstore, files)
    const hamt = await importDirectory(blockstore, Array.from({ length: 300 }, (_, i) => ({ path: String(i), content: encoder.encode(`{"id":${i}}`) })), 1024)
    const garbage = await putUnder(blockstore, DAG_PB, encoder.encode('not dag-pb'))
    const leaf = await putUnder(blockstore, raw.code, encoder.encode('leaf'))
    const broken = await putUnder(blockstore, DAG_PB, pbNode([{ name: 'bad', cid: garbage }, { name: 'ok', cid: leaf }], unixfsData({ type: 1 })))
    const zeroFanout = await putUnder(blockstore, DAG_PB, pbNode([{ name: '0042', cid: leaf }], unixfsData({ type: 5, fanout: 0 })))
    roots.push(...[dir, hamt, garbage, broken, zeroFanout, leaf].map(cid => cid.toString()))
  }, 60_000)
  afterAll(async () => { await running.stop() })

  it('answers every byte, raw or percent-encoded, after every UnixFS prefix without a 5xx', async () => {
    const [dir = '', hamt = '', , broken = ''] = roots
    const prefixes = [`/ipfs/${dir}/`, `/ipfs/${dir}/sub/`, `/ipfs/${hamt}/`, `/ipfs/${broken}/`, `/ipfs/${dir}/42/`]
    const targets: string[] = []
    for (let byte = 0; byte < 256; byte++) {
      for (const prefix of prefixes) {
        targets.push(`${prefix}%${byte.toString(16).padStart(2, '0').toUpperCase()}`)
        // Raw: only what may stand in a request line (no space, no control byte).
        if (byte > 0x20 && byte < 0x7f) targets.push(`${prefix}${String.fromCharCode(byte)}`)
      }
    }
    const seen = new Map<number, number>()
    await eachLimited(targets, 16, async target => {
      const { status } = await get(target)
      seen.set(status, (seen.get(status) ?? 0) + 1)
    })
    // Most bytes name nothing; a few are refused (bad UTF-8, "." names); none fails.
    expect(seen.get(404)).toBeGreaterThan(1_000)
    expect(seen.get(400)).toBeGreaterThan(100)
  }, 120_000)

  it('answers generated paths and queries through plain, sharded and broken directories without a 5xx', async () => {
    const segment = fc.oneof(
      fc.constantFrom('', '.', '..', '%2e%2e', '%2f', '%2F', '%00', '%', '%zz', '%c3', '%ed%a0%80', '42', 'a%20b', '%C3%A9', '%2541', '..x', 'sub', 'deeper', '7', '8', 'bad', 'ok', '0', '299', '300', 'x'.repeat(300), '__proto__'),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeAll),
      fc.string({ unit: 'binary', maxLength: 8 }).map(encodeAll),
    )
    const query = fc.constantFrom('', '?format=raw', '?format=car', '?format=car&dag-scope=block', '?format=car&dag-scope=entity', '?format=car&dag-scope=x', '?after=42', '?after=%FF', '?after=a&after=b', '?format=car&entity-bytes=0:1')
    const request = fc.record({ root: fc.constantFrom(...roots), segments: fc.array(segment, { maxLength: 6 }), query })
    await fc.assert(fc.asyncProperty(request, async ({ root, segments, query }) => {
      const cut = root === roots[3] && query.startsWith('?format=car') && !query.includes('block')
      await get(`/ipfs/${root}/${segments.join('/')}${query}`, cut)
    }), { seed: SEED, numRuns: 400 })
    // Still serving what it holds.
    const [dir = ''] = roots
    const { status, body } = await get(`/ipfs/${dir}/sub/deeper/8`)
    expect([status, JSON.parse(body.toString())]).toEqual([200, { path: 'sub/deeper/8' }])
    expect(CID.parse(dir).code).toBe(DAG_PB)
  }, 120_000)
})
