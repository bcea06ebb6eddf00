import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { readApiToken } from '../../../src-main/node/index.js'
import { postRpc } from '../../helpers/rpc.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { startTestNode } from '../../helpers/test-node.js'
import type { TestNode } from '../../helpers/test-node.js'
import { waitFor } from '../../helpers/wait-for.js'

/** A credential as files hold them: random, so any piece of it found in an answer came from a file. */
const SECRET = 'qZ7vK2xWm9RtL4pN8bYc3HjF6sDg0EaU'
/** Every piece of the secret that would identify it: each window of 6 characters, and longer ones. */
const pieces = (): string[] => [6, 10, 16].flatMap(n => Array.from({ length: SECRET.length - n + 1 }, (_, i) => SECRET.slice(i, i + n)))
const leaked = (text: string): string[] => pieces().filter(piece => text.includes(piece))

/** Files a user keeps next to their metadata by mistake, each holding the secret a different way. */
const FILES: Record<string, string> = {
  '.env': `AWS_SECRET_ACCESS_KEY=${SECRET}\n`,
  id_rsa: `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET}\n-----END OPENSSH PRIVATE KEY-----\n`,
  'credentials.json': JSON.stringify({ token: SECRET }),
  '1.json': `${SECRET}\n`,
  '2.json': `{"name": "${SECRET}`,
  '3.json': `{"name": ${SECRET}}`,
  '4.json': `"${SECRET}"`,
  '5.json': `[${SECRET}]`,
  '6': `token=${SECRET}`,
  '7.json': `{"a": 1,\n"${SECRET}"}`,
}

describe('nothing of a file that is not what an import expects leaves through answers, reports, statuses or events', () => {
  let running: TestNode
  let token: string
  let work: { dir: string, cleanup: () => void }
  let ws: WebSocket
  const heard: string[] = []
  const answers: string[] = []

  async function call (method: string, ...params: unknown[]): Promise<{ result?: unknown, error?: { code: number, message: string } }> {
    const { json } = await postRpc(`${running.base}/rpc`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
    answers.push(JSON.stringify(json))
    return json as { result?: unknown, error?: { code: number, message: string } }
  }
  async function finished (job: string): Promise<unknown> {
    return await waitFor(`import ${job} to end`, async () => {
      const { result } = await call('import_status', job) as { result?: { running: boolean } }
      return result?.running === false && result
    })
  }

  beforeAll(async () => {
    work = tempDir()
    running = await startTestNode({ offline: true })
    token = readApiToken(running.node.config.dataDir) ?? ''
    ws = new WebSocket(`${running.base.replace('http:', 'ws:')}/rpc/ws`, ['lineage.jsonrpc', `lineage.token.${token}`])
    ws.on('message', data => { heard.push(String(data)) })
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
    expect(await call('keys_new', 'creator', 'secp256k1', 'a passphrase')).toMatchObject({ result: { name: 'creator' } })
  }, 120_000)
  afterAll(async () => {
    ws.close()
    await running.stop()
    work.cleanup()
  })

  it('a folder of credentials: each file refused by name and reason, none quoted', async () => {
    const folder = path.join(work.dir, 'folder')
    fs.mkdirSync(folder)
    for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(folder, name), text)
    const options = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000aa', meta_contract_id: 'open', key: 'creator', passphrase: 'a passphrase' }
    const started = await call('import_folder', folder, options) as { result: { job: string } }
    const report = await finished(started.result.job) as { report: { rejected: Array<{ item: string, reason: string }> } }
    // Every file was refused (a hidden one is not an item), each named, each with a reason: the refusals say why, not what.
    expect(report.report.rejected.map(r => r.item).sort()).toEqual(Object.keys(FILES).filter(name => !name.startsWith('.')).sort())
    expect(report.report.rejected.every(r => r.reason.length > 0)).toBe(true)
    expect(report.report.rejected.find(r => r.item === '3.json')?.reason).toMatch(/line 1, column \d+/)
  })

  it('a credentials file named .csv, and CSVs whose header or cells are not what a metadata CSV holds', async () => {
    const cases: Record<string, string> = {
      'env.csv': `AWS_SECRET_ACCESS_KEY=${SECRET}\n`,
      'twice.csv': `token_id,${SECRET},${SECRET}\n1,a,b\n`,
      'trait.csv': `token_id,trait:${SECRET}:json\n1,a\n`,
      'suffix.csv': `token_id,:json${SECRET}\n1,a\n`,
      'cells.csv': `token_id,name:number,extra:json\n${SECRET},x,y\n1,${SECRET},{}\n2,3,{"${SECRET}\n3,"${SECRET}\n`,
    }
    const options = { chain_id: '1', token_address: '0x00000000000000000000000000000000000000bb', meta_contract_id: 'open', key: 'creator', passphrase: 'a passphrase' }
    for (const [name, text] of Object.entries(cases)) {
      const file = path.join(work.dir, name)
      fs.writeFileSync(file, text)
      const started = await call('import_folder', file, options) as { result?: { job: string } }
      if (started.result !== undefined) await finished(started.result.job)
    }
  })

  it('a credentials file given as a CAR, as a contract, and as a key', async () => {
    for (const name of ['.env', 'id_rsa']) {
      const file = path.join(work.dir, `${name.replace('.', '')}.car`)
      fs.writeFileSync(file, FILES[name] ?? '')
      const started = await call('import_car', file) as { result?: { job: string } }
      if (started.result !== undefined) await finished(started.result.job)
    }
    const wasm = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.from(FILES['.env'] ?? '')])
    for (const bytes of [Buffer.from(FILES.id_rsa ?? ''), wasm]) expect((await call('deploy_meta_contract', 'leak', bytes.toString('base64'))).error).toBeDefined()
    const keystore = (field: string): string => JSON.stringify({ version: 3, crypto: { cipher: 'aes-128-ctr', kdf: 'scrypt', kdfparams: { n: 2, r: 1, p: 1, dklen: 32, salt: '00' }, cipherparams: { iv: '00' }, ciphertext: '00', mac: '00' }, [field]: SECRET })
    const keystores = [
      FILES['credentials.json'], FILES['.env'], `{${SECRET}`,
      JSON.stringify({ version: SECRET }),
      keystore('x').replace('"aes-128-ctr"', `"${SECRET}"`),
      keystore('x').replace('"scrypt"', `"${SECRET}"`),
      keystore('x').replace('"kdfparams":{', `"kdfparams":{"prf":"${SECRET}",`).replace('"scrypt"', '"pbkdf2"'),
    ]
    for (const text of keystores) expect((await call('keys_import', 'other', 'secp256k1', text, 'a passphrase')).error).toBeDefined()
  })

  it('none of it quoted any part of the secret: answers, statuses, reports, events, recent logs', async () => {
    await call('recent_logs')
    // One more call orders after every event already sent on the socket.
    await new Promise<void>(resolve => {
      ws.once('message', () => { resolve() })
      ws.send('{"jsonrpc":"2.0","id":1,"method":"get_node_clock"}')
    })
    expect(answers.length).toBeGreaterThan(20)
    expect(heard.length).toBeGreaterThan(5)
    expect(leaked(answers.join('\n'))).toEqual([])
    expect(leaked(heard.join('\n'))).toEqual([])
  })
})
