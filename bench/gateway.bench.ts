// tokenURI reads: our gateway (a real node in its own process, 10,000 tokens published through the
// full signed path) against nginx serving the same 10,000 JSON documents from disk. Anchor: nginx.
// autocannon, 32 connections, random token ids, one run after the other on the same machine.
// nginx runs before the node starts: the node formats its documents in the background after a
// start, and that work must not take CPU from the anchor's run. The node is measured right after
// a restart (its documents kept from the run that published them), then with every token read
// before, then right after a start with nothing kept (as after an upgrade from schema 8, or a
// start straight after an import cut short).
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestNode } from '../test/helpers/test-node.js'
import { ed25519Signer } from '../test/helpers/signers.js'
import { startNodeProcess } from '../test/helpers/processes.js'
import type { StartedNode } from '../test/helpers/processes.js'
import { TEST_NODE_ARGS } from '../test/helpers/node-config.js'
import { documentFor } from './documents.js'
import { reportRatios } from './ratios.js'
import type { MeasuredCase } from './ratios.js'

const TOKENS = 10_000
const CONNECTIONS = 32
const DURATION_S = 10
const ADDRESS = '0x8a90cab2b38dba80c64b7734e58ee1db38b8992e'
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(p => fs.existsSync(p))


/** Random ids for DURATION_S, or with `everyIdOnce` each id once in order (a crawler's first pass). */
async function load (url: (id: number) => string, { everyIdOnce = false } = {}): Promise<MeasuredCase & { errors: number, non2xx: number }> {
  let next = 0
  const pick = everyIdOnce ? () => next++ : () => Math.floor(Math.random() * TOKENS)
  const result = await autocannon({
    url: url(0),
    connections: CONNECTIONS,
    ...(everyIdOnce ? { amount: TOKENS } : { duration: DURATION_S }),
    requests: [{ setupRequest: request => ({ ...request, path: new URL(url(pick())).pathname }) }],
  })
  return {
    name: '',
    latency: { mean: result.latency.average, p99: result.latency.p99 },
    throughput: { mean: result.requests.average },
    errors: result.errors,
    non2xx: result.non2xx,
  }
}

describe('gateway tokenURI reads', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-gateway-bench-'))
  // nginx started as root serves as www-data, which must be able to read the files.
  fs.chmodSync(work, 0o755)
  let node: StartedNode | undefined
  let nginx: ChildProcess | undefined
  let nginxPort = 0

  beforeAll(async () => {
    // Publish through the real path (signature, contract, blocks), then serve from a separate process.
    const publisher = await startTestNode({ dataDir: path.join(work, 'node') })
    const signer = ed25519Signer()
    const base = { method: 'metadata', chain_id: '1', token_address: ADDRESS, meta_contract_id: 'open', alias: '', version: 'v1', mcdata: '' } as const
    publisher.node.lineage.publish(await signer.sign({ ...base, method: 'contract', token_id: '', data: '{}' }))
    // Metadata is checked against the binding at publish time, so the binding must have applied.
    await publisher.node.lineage.settled()
    fs.mkdirSync(path.join(work, 'www'))
    for (let id = 0; id < TOKENS; id++) {
      const data = JSON.stringify(documentFor(id))
      publisher.node.lineage.publish(await signer.sign({ ...base, token_id: String(id), data }))
      fs.writeFileSync(path.join(work, 'www', String(id)), data)
    }
    await publisher.node.lineage.settled()
    // A node that kept running after its writes has formatted and kept every document.
    await publisher.node.api.gatewaySettled()
    await publisher.node.stop()

    if (NGINX !== undefined) {
      nginxPort = 20_000 + Math.floor(Math.random() * 20_000)
      const conf = path.join(work, 'nginx.conf')
      fs.writeFileSync(conf, `daemon off; worker_processes 2; pid ${work}/nginx.pid; error_log ${work}/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; default_type application/json; client_body_temp_path ${work}/t1; proxy_temp_path ${work}/t2; fastcgi_temp_path ${work}/t3; uwsgi_temp_path ${work}/t4; scgi_temp_path ${work}/t5;
  server { listen 127.0.0.1:${nginxPort}; root ${work}/www; location / { try_files $uri =404; } } }`)
      nginx = spawn(NGINX, ['-c', conf, '-p', work], { stdio: 'ignore' })
      await new Promise(resolve => setTimeout(resolve, 500))
    }
  }, 600_000)

  afterAll(async () => {
    nginx?.kill('SIGQUIT')
    node?.child.kill('SIGTERM')
    await node?.exited
    fs.rmSync(work, { recursive: true, force: true })
  })

  test('our gateway vs nginx serving the same files', async () => {
    if (NGINX === undefined) {
      const installed = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
      throw new Error(`nginx is not installed${installed ? ' (apt-get install -y nginx-light)' : ''}; it is this benchmark's anchor.`)
    }
    const anchor = { ...await load(id => `http://127.0.0.1:${nginxPort}/${id}`), name: 'nginx 1.22 (static files)' }

    const dataDir = path.join(work, 'node')
    const start = async (): Promise<(id: number) => string> => {
      const started = await startNodeProcess(['--data-dir', dataDir, ...TEST_NODE_ARGS])
      node = started
      const sample = await fetch(`${started.url}/metadata/1/${ADDRESS}/42`)
      expect(await sample.json()).toEqual(Object.fromEntries(Object.entries(documentFor(42)).sort(([a], [b]) => a.localeCompare(b))))
      return (id: number): string => `${started.url}/metadata/1/${ADDRESS}/${id}`
    }
    const stop = async (): Promise<void> => {
      node?.child.kill('SIGTERM')
      await node?.exited
      node = undefined
    }

    let metadataUrl = await start()
    // Right after a restart: the documents the publishing run formatted and kept are read back
    // (one query a page) in the background; a read of a token not reached yet formats it itself.
    const restarted = { ...await load(metadataUrl), name: 'Lineage gateway /metadata, right after a restart (documents kept)' }
    // Then every token once more (nginx's files sit in the page cache), and the same load again.
    await load(metadataUrl, { everyIdOnce: true })
    const warm = { ...await load(metadataUrl), name: 'Lineage gateway /metadata, every token read before' }
    await stop()

    // Nothing kept: every document is formatted after the start, by the warm-up or a first read.
    const db = new Database(path.join(dataDir, 'lineage.sqlite'))
    db.exec('DELETE FROM token_documents')
    db.close()
    metadataUrl = await start()
    const cold = { ...await load(metadataUrl), name: 'Lineage gateway /metadata, right after a start with nothing kept' }
    const measuredCases = [restarted, warm, cold]
    for (const measured of [anchor, ...measuredCases]) expect(measured.errors + measured.non2xx).toBe(0)
    reportRatios(`tokenURI reads, ${TOKENS} tokens, ${CONNECTIONS} connections, ${DURATION_S} s each`, anchor, measuredCases)
    for (const measured of measuredCases) {
      console.log(`requests/s: ${measured.name} ${Math.round(measured.throughput.mean)} = ${(measured.throughput.mean / anchor.throughput.mean).toFixed(2)} × nginx; p99 ${measured.latency.p99} ms`)
    }
  }, 600_000)
})
