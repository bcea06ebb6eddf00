import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { repoRoot, runCli, startNodeProcess } from '../helpers/processes.js'
import type { StartedNode } from '../helpers/processes.js'
import { exchange, parseResponse } from '../helpers/raw-http.js'
import { tempDir } from '../helpers/temp-dir.js'

/** Waits until the node has printed its last start-up line (it comes after the UI line startNodeProcess waits for). */
async function allPrinted (node: StartedNode): Promise<string> {
  await new Promise<void>(resolve => {
    const look = (): void => {
      if (!node.output().includes('Press Ctrl+C to stop.')) return
      node.child.stdout.off('data', look)
      resolve()
    }
    node.child.stdout.on('data', look)
    look()
  })
  return node.output()
}

// `lineage-node start --gateway-host` as a person runs it: the public listener is announced,
// answers gateway reads to any Host, and never the API, even to a client holding the token.
describe('lineage-node start --gateway-host', () => {
  const dirs: Array<{ cleanup: () => void }> = []
  let started: StartedNode | undefined
  afterAll(() => { for (const d of dirs) d.cleanup() })

  it('prints the public tokenURI base, serves the gateway there and not the API, and stops on SIGTERM', async () => {
    const d = tempDir()
    dirs.push(d)
    started = await startNodeProcess(['--data-dir', d.dir, ...TEST_NODE_ARGS, '--offline', '--gateway-host', '127.0.0.1', '--gateway-port', '0'])
    const base = /Public gateway: (http:\/\/127\.0\.0\.1:(\d+))\/metadata\/<chainId>\/<address>\//.exec(await allPrinted(started))
    expect(base).not.toBeNull()
    const port = Number(base?.[2])
    expect(port).not.toBe(Number(new URL(started.url).port))

    const body = '{"jsonrpc":"2.0","id":1,"method":"node_info"}'
    const rpc = parseResponse(await exchange(port, `POST /rpc HTTP/1.1\r\nHost: example.org\r\nAuthorization: Bearer ${started.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`), 'POST')
    expect(rpc.status).toBe(404)
    expect(rpc.body.toString()).not.toContain('jsonrpc')
    // The same call on the API listener is answered: the token was good, the listener was wrong.
    const onApi = await fetch(`${started.url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${started.token}` }, body })
    expect(((await onApi.json()) as { result?: { peer_id?: string } }).result?.peer_id).toBe(started.peerId)

    const read = parseResponse(await exchange(port, `GET /metadata/1/0x3333333333333333333333333333333333333333/1 HTTP/1.1\r\nHost: nft.example.org\r\nConnection: close\r\n\r\n`), 'GET')
    expect(read.status).toBe(404)
    expect(JSON.parse(read.body.toString())).toEqual({ error: 'This node has no metadata for collection 0x3333333333333333333333333333333333333333 on chain 1.' })
    expect(new Map(read.headers).get('access-control-allow-origin')).toBe('*')

    // `lineage-node status` names it too (from node_info's public_gateway_url).
    const status = await runCli(['status', '--data-dir', d.dir])
    expect(status.stdout).toContain(`Public:   http://127.0.0.1:${port}/metadata/<chainId>/<address>/`)

    started.child.kill('SIGTERM')
    expect(await started.exited).toBe(0)
    // Stopped with the node: the port is free again.
    const again = net.createServer()
    await new Promise<void>((resolve, reject) => { again.once('error', reject).listen(port, '127.0.0.1', resolve) })
    await new Promise(resolve => { again.close(resolve) })
  })

  it('the shipped systemd unit\'s flags start a loopback public gateway trusting the proxy beside it', async () => {
    const unit = fs.readFileSync(path.join(repoRoot, 'deploy', 'lineage-node.service'), 'utf8')
    const flags = /^ExecStart=\/usr\/bin\/env npx lineage-node start (.*)$/m.exec(unit)?.[1]?.split(' ') ?? []
    expect(flags).toEqual(['--gateway-host', '127.0.0.1', '--gateway-port', '8080', '--trusted-proxy', '127.0.0.1'])
    const d = tempDir()
    dirs.push(d)
    // The unit's own flags, then a free port instead of 8080 (the last --gateway-port wins).
    const node = await startNodeProcess(['--data-dir', d.dir, ...TEST_NODE_ARGS, '--offline', ...flags, '--gateway-port', '0'])
    try {
      expect(await allPrinted(node)).toMatch(/Public gateway: http:\/\/127\.0\.0\.1:\d+\/metadata\/<chainId>\/<address>\//)
    } finally {
      node.child.kill('SIGTERM')
      expect(await node.exited).toBe(0)
    }
  })

  it('a busy public port fails the start with a message naming the address, and exit code 1', async () => {
    const d = tempDir()
    dirs.push(d)
    const squatter = net.createServer()
    await new Promise<void>(resolve => { squatter.listen(0, '127.0.0.1', resolve) })
    const port = (squatter.address() as net.AddressInfo).port
    try {
      const ran = await runCli(['start', '--data-dir', d.dir, ...TEST_NODE_ARGS, '--offline', '--gateway-host', '127.0.0.1', '--gateway-port', String(port)])
      expect(ran.code).toBe(1)
      expect(ran.stderr).toContain(`The public gateway cannot listen on 127.0.0.1:${port}: the port is in use by another program`)
      // The start was undone: the data dir is free for the next start (no lock, no api file left as running).
      const status = await runCli(['status', '--data-dir', d.dir])
      expect(status.stdout + status.stderr).toContain(`No Lineage node is running with data dir ${d.dir}`)
    } finally {
      await new Promise(resolve => { squatter.close(resolve) })
    }
  })

  it('refuses a gateway host that is not an IP address, and a bad rate or trusted proxy, before starting', async () => {
    const host = await runCli(['start', '--gateway-host', 'example.org'])
    expect(host.code).toBe(2)
    expect(host.stderr).toContain('"example.org" is not an IP address')
    const rate = await runCli(['start', '--gateway-rate', 'fast'])
    expect(rate.code).toBe(2)
    expect(rate.stderr).toContain('"fast" is not a rate')
    const d = tempDir()
    dirs.push(d)
    const proxy = await runCli(['start', '--data-dir', d.dir, ...TEST_NODE_ARGS, '--offline', '--trusted-proxy', 'proxy.local'])
    expect(proxy.code).toBe(1)
    expect(proxy.stderr).toContain('"proxy.local"')
  })
})
