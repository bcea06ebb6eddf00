// A hostile meta contract, built with our own toolchain and deployed through the API, answers
// with writes the engine must not trust. Each answer is refused with a named reason, nothing is
// stored, the gateway serves what it served before, and validate_metadata refuses it alike.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CONTRACT_WRITES, MAX_WRITE_ALIAS_BYTES, MAX_WRITE_CONTENT_BYTES, MAX_WRITE_VERSION_BYTES } from '../../../src-main/lineage/engine/constants.js'
import { readApiToken } from '../../../src-main/node/index.js'
import { buildContract } from '../../../services/toolchain/builder/index.js'
import { postRpc } from '../../helpers/rpc.js'
import { ed25519Signer, evmSigner } from '../../helpers/signers.js'
import type { TestSigner } from '../../helpers/signers.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { tempDir } from '../../helpers/temp-dir.js'

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'greedy')
const GREEDY = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000a1' }
const OPEN = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000b2' }
const BROKEN = 'the meta contract\'s answer breaks this node\'s rules: '

interface Receipt { status: string, reason: string, heads: string[] }
interface Page { status: number, etag: string | null, body: string }

describe('what a meta contract answers is checked by the engine, not trusted', () => {
  let running: TestNode
  let out: { dir: string, cleanup: () => void }
  const binder = evmSigner()
  const stranger = ed25519Signer()

  const call = async (method: string, params: unknown): Promise<{ result?: unknown, error?: { code: number, message: string } }> => {
    const token = readApiToken(running.node.config.dataDir) ?? ''
    return (await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })).json as never
  }
  const publish = async (signer: TestSigner, collection: typeof GREEDY, contract: string, fields: Record<string, string>): Promise<Receipt> => {
    const request = await signer.sign({ method: 'metadata', ...collection, token_id: '1', meta_contract_id: contract, alias: '', version: 'v1', data: '{}', mcdata: '', ...fields } as never)
    const published = await call('publish', [request])
    const hash = (published.result as { hash?: string } | undefined)?.hash
    if (hash === undefined) throw new Error(`publish refused: ${JSON.stringify(published.error)}`)
    await running.node.lineage.settled()
    return (await call('get_transaction_receipt', [hash])).result as Receipt
  }
  const attack = async (request: Record<string, unknown>, fields: Record<string, string> = {}, signer: TestSigner = binder): Promise<Receipt> =>
    await publish(signer, GREEDY, 'greedy', { data: JSON.stringify(request), ...fields })
  const dryRun = async (request: Record<string, unknown>, fields: Record<string, string> = {}, signer: TestSigner = binder): Promise<{ ok: boolean, reason: string }> =>
    (await call('validate_metadata', [{ ...GREEDY, token_id: '1', data: JSON.stringify(request), public_key: signer.publicKey, ...fields }])).result as { ok: boolean, reason: string }
  const count = (table: string): number => (running.node.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  const page = async (collection: typeof GREEDY, tokenId: string): Promise<Page> => {
    const response = await fetch(`${running.base}/metadata/${collection.chain_id}/${collection.token_address}/${tokenId}`)
    return { status: response.status, etag: response.headers.get('etag'), body: await response.text() }
  }

  /**
   * Publishes the attack and asks validate_metadata about it: both refuse with `reason`; no slot
   * or block is stored, and the gateway serves token 1 (written before) and token 9 (never
   * written) exactly as before.
   */
  const expectRefused = async (request: Record<string, unknown>, reason: RegExp, fields: Record<string, string> = {}, signer: TestSigner = binder): Promise<void> => {
    const before = { slots: count('slots'), blocks: count('blocks'), written: await page(GREEDY, '1'), unwritten: await page(GREEDY, '9') }
    const receipt = await attack(request, fields, signer)
    expect(receipt).toMatchObject({ status: 'rejected', heads: [] })
    expect(receipt.reason).toMatch(reason)
    expect(receipt.reason.startsWith(BROKEN)).toBe(true)
    expect(await dryRun(request, fields, signer)).toMatchObject({ ok: false, reason: receipt.reason })
    // Token 9 is attacked too: a refused answer creates no token.
    const onNine = await attack(request, { ...fields, token_id: '9' }, signer)
    expect(onNine.status).toBe('rejected')
    expect({ slots: count('slots'), blocks: count('blocks'), written: await page(GREEDY, '1'), unwritten: await page(GREEDY, '9') }).toEqual(before)
  }

  beforeAll(async () => {
    out = tempDir()
    const built = await buildContract({ dir: FIXTURE, outFile: path.join(out.dir, 'greedy.wasm') })
    running = await startTestNode({ offline: true })
    const deployed = await call('deploy_meta_contract', ['greedy', Buffer.from(built.wasm).toString('base64')])
    expect(deployed.result).toMatchObject({ meta_contract_id: 'greedy' })
    for (const [collection, contract] of [[GREEDY, 'greedy'], [OPEN, 'open']] as const) {
      expect(await publish(binder, collection, contract, { method: 'contract', token_id: '', data: '{}' })).toMatchObject({ status: 'applied' })
    }
    // Token 1 holds a document the attacks must leave as it is.
    expect(await attack({ attack: 'none', name: 'kept' })).toMatchObject({ status: 'applied' })
    expect(await page(GREEDY, '1')).toMatchObject({ status: 200, body: JSON.stringify({ attack: 'none', name: 'kept' }) })
    expect((await page(GREEDY, '9')).status).toBe(404)
  }, 120_000)
  afterAll(async () => {
    await running?.stop()
    out?.cleanup()
  })

  it(`refuses more than ${MAX_CONTRACT_WRITES} slots from one transaction, and takes ${MAX_CONTRACT_WRITES}`, async () => {
    await expectRefused({ attack: 'writes', count: MAX_CONTRACT_WRITES + 1 }, new RegExp(`writes ${MAX_CONTRACT_WRITES + 1} slots; one transaction may write at most ${MAX_CONTRACT_WRITES}`))
    await expectRefused({ attack: 'writes', count: 1_000 }, /writes 1000 slots/)
    const full = await attack({ attack: 'writes', count: MAX_CONTRACT_WRITES }, { token_id: '2' })
    expect(full).toMatchObject({ status: 'applied' })
    expect(full.heads).toHaveLength(MAX_CONTRACT_WRITES)
  })

  it('refuses a slot larger than a transaction\'s data may be, and takes one exactly that size', async () => {
    await expectRefused({ attack: 'size', count: MAX_WRITE_CONTENT_BYTES - 1 }, new RegExp(`is ${MAX_WRITE_CONTENT_BYTES + 1} bytes \\(UTF-8\\); a slot holds at most ${MAX_WRITE_CONTENT_BYTES}`))
    expect(await attack({ attack: 'size', count: MAX_WRITE_CONTENT_BYTES - 2 }, { token_id: '3' })).toMatchObject({ status: 'applied' })
  })

  it('refuses content a version block cannot hold, instead of failing the commit', async () => {
    await expectRefused({ attack: 'content', value: 'not json' }, /the content of the slot with alias "" is not JSON/)
    await expectRefused({ attack: 'content', value: '{"a":1e400}' }, /cannot be stored: content\.a is Infinity/)
    await expectRefused({ attack: 'deep', count: 100 }, /cannot be stored: .* is nested deeper than 64 levels/)
  })

  it('refuses aliases with control, invisible or path characters, or too long', async () => {
    const cases: Array<[string, RegExp]> = [
      ['a\u0000b', /alias "a\\u\{0\}b" holds the character U\+0000 at position 1/],
      ['line\nbreak', /holds the character U\+000A/],
      ['../../etc', /holds "\/" at position 2/],
      ['a\\b', /holds "\\" at position 1/],
      ['name\u200b', /holds the character U\+200B/],
      ['\u202egnp.exe', /holds the character U\+202E at position 0/],
      ['x'.repeat(MAX_WRITE_ALIAS_BYTES + 1), new RegExp(`alias is ${MAX_WRITE_ALIAS_BYTES + 1} bytes long \\(UTF-8\\); the limit is ${MAX_WRITE_ALIAS_BYTES}`)],
    ]
    for (const [alias, reason] of cases) await expectRefused({ attack: 'alias', value: alias }, reason)
  })

  it('refuses versions with control, invisible or path characters, or too long', async () => {
    const cases: Array<[string, RegExp]> = [
      ['v\u0007', /version "v\\u\{7\}" holds the character U\+0007/],
      ['2024/01', /holds "\/" at position 4/],
      ['v\u2028', /holds the character U\+2028/],
      ['v\ufeff1', /holds the character U\+FEFF/],
      ['v'.repeat(MAX_WRITE_VERSION_BYTES + 1), new RegExp(`version is ${MAX_WRITE_VERSION_BYTES + 1} bytes long`)],
    ]
    for (const [version, reason] of cases) await expectRefused({ attack: 'version', value: version }, reason)
  })

  it('refuses loose values other than 0 and 1', async () => {
    await expectRefused({ attack: 'loose', count: 7 }, /loose must be 0 \(checked against a schema\) or 1 \(only parsed as JSON\); got 7/)
  })

  it('refuses a slot under a key that did not sign: the binder\'s, or anyone\'s', async () => {
    const binderKey = binder.publicKey.toLowerCase()
    // The stranger signs; the contract writes under the binder's key (the canonical document's).
    await expectRefused({ attack: 'key', value: '' }, new RegExp(`writes a slot under the key ${binderKey}, which did not sign this transaction \\(${stranger.publicKey} did\\)`), {}, stranger)
    await expectRefused({ attack: 'key', value: evmSigner().publicKey }, /which did not sign this transaction/)
    // A key spelt with control characters is shown escaped, never echoed raw.
    await expectRefused({ attack: 'key', value: 'k\u001b[31m' }, /under the key k\\u\{1b\}\[31m, which did not sign/)
    // The signer's own key, in the checksum spelling a wallet shows, is the signer.
    expect(await attack({ attack: 'key', value: binder.publicKey }, { token_id: '4' })).toMatchObject({ status: 'applied' })
    expect(running.node.lineage.slots(running.node.lineage.dataKey(GREEDY.chain_id, GREEDY.token_address, '4'), 'greedy').map(s => s.public_key)).toEqual([binderKey])
  })

  it('bounds a contract\'s own reason and keeps its characters on one line', async () => {
    // The greedy contract's refusal repeats the unknown attack's name.
    const receipt = await attack({ attack: `x${'\n'.repeat(3)}${'y'.repeat(5000)}` })
    expect(receipt.status).toBe('rejected')
    expect(receipt.reason.startsWith('unknown attack "x\\u{a}\\u{a}\\u{a}yyy')).toBe(true)
    expect(receipt.reason.endsWith('…')).toBe(true)
    expect(receipt.reason).not.toContain('\n')
  })

  it('collab keeps working: the binder\'s list in a long version, each collaborator in its own slot', async () => {
    const COLLAB = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000c3' }
    expect(await publish(binder, COLLAB, 'collab', { method: 'contract', token_id: '', data: '{}' })).toMatchObject({ status: 'applied' })
    // 73 made-up collaborators with the longest aliases, and the stranger: a list of about 8 KB.
    const add: Record<string, string> = Object.fromEntries(Array.from({ length: 73 }, (_, i) => [`K${String(i).padStart(43, '0')}`, `a${String(i).padStart(63, '0')}`]))
    add[stranger.publicKey] = 'guest'
    expect(await publish(binder, COLLAB, 'collab', { alias: '_collab', data: JSON.stringify({ add }) })).toMatchObject({ status: 'applied' })
    const dataKey = running.node.lineage.dataKey(COLLAB.chain_id, COLLAB.token_address, '1')
    const list = running.node.lineage.slots(dataKey, 'collab').find(s => s.alias === '_collab')
    expect(list?.public_key).toBe(binder.publicKey.toLowerCase())
    expect(list?.version.length).toBeGreaterThan(8000)
    expect(await publish(stranger, COLLAB, 'collab', { alias: 'guest', data: '{"note":"hi"}' })).toMatchObject({ status: 'applied' })
    expect(await publish(stranger, COLLAB, 'collab', { alias: '', data: '{"name":"mine now"}' })).toMatchObject({ status: 'rejected', reason: `collaborator ${stranger.publicKey} writes only under alias "guest", not ""` })
    expect(running.node.lineage.slots(dataKey, 'collab').find(s => s.alias === 'guest')).toMatchObject({ public_key: stranger.publicKey, content: { note: 'hi' } })
  })

  it('open: content a version block cannot hold is refused, and the node keeps applying what follows', async () => {
    // Before these checks, this write failed its group's commit and stopped the validator until a restart.
    const refused = await publish(binder, OPEN, 'open', { data: '{"a":1e400}' })
    expect(refused).toMatchObject({ status: 'rejected', reason: `${BROKEN}the content of the slot with alias "" cannot be stored: content.a is Infinity, which JSON cannot hold.` })
    expect(await publish(binder, OPEN, 'open', { data: '{"a":1}', token_id: '2' })).toMatchObject({ status: 'applied' })
    expect(await page(OPEN, '2')).toMatchObject({ status: 200, body: '{"a":1}' })
  })
})
