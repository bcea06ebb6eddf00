import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readApiToken } from '../../src-main/node/index.js'
import { runCli } from '../helpers/processes.js'
import { callRpc } from '../helpers/rpc.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

describe('`lineage-node chain own-nodes` (the built CLI) against a running node', () => {
  let t: TestNode
  let token: string
  let first: string
  let second: string
  beforeAll(async () => {
    t = await startTestNode({ offline: true })
    token = readApiToken(t.node.config.dataDir) ?? ''
    ;[first, second] = [peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString(), peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()].sort() as [string, string]
  })
  afterAll(async () => { await t?.stop() })

  const cli = async (...argv: string[]) => await runCli(['chain', 'own-nodes', ...argv, '--data-dir', t.node.config.dataDir])
  /** The list as the node's RPC answers it: what the CLI changed, or did not. */
  const listed = async (): Promise<unknown> => ((await callRpc(`${t.base}/rpc`, 'chain_reveal_peers', [], token)) as { result: unknown }).result

  it('lists none at first, then adds, lists, removes and replaces through the node\'s RPC', async () => {
    expect(await cli()).toEqual({ code: 0, stdout: 'No node is listed as yours. Add one with `lineage-node chain own-nodes add <peerId>`.\n', stderr: '' })
    expect(await cli('add', second)).toMatchObject({ code: 0, stdout: `Your own nodes (1): ${second}\n` })
    // Added twice, it is listed once.
    expect(await cli('add', first, second)).toMatchObject({ code: 0, stdout: `Your own nodes (2): ${first}, ${second}\n` })
    expect(await cli('ls')).toMatchObject({ code: 0, stdout: `${first}\n${second}\n` })
    expect(JSON.parse((await cli('ls', '--json')).stdout)).toEqual([first, second])
    expect(await listed()).toEqual([first, second])
    expect(await cli('rm', first)).toMatchObject({ code: 0, stdout: `Your own nodes (1): ${second}\n` })
    expect(await cli('set', first)).toMatchObject({ code: 0, stdout: `Your own nodes (1): ${first}\n` })
    expect(await listed()).toEqual([first])
  })

  it('refuses a bad peer id with one clear line, and changes nothing', async () => {
    for (const command of ['add', 'set', 'rm']) {
      const ran = await cli(command, second, 'not-a-peer')
      expect(ran, command).toEqual({ code: 2, stdout: '', stderr: 'Error: "not-a-peer" is not a libp2p peer id (12D3KooW… or Qm…, as `lineage-node status` shows it on that node); nothing changed.\n' })
    }
    expect(await listed()).toEqual([first])
    // Removing a node not listed is refused too.
    expect(await cli('rm', second)).toEqual({ code: 1, stdout: '', stderr: `Error: ${second} is not listed as yours; nothing changed.\n` })
    expect(await listed()).toEqual([first])
  })

  it('removing the last one lists none', async () => {
    expect(await cli('rm', first)).toMatchObject({ code: 0, stdout: 'No node is listed as yours now: copies of hidden collections leave their unminted tokens out for every peer.\n' })
    expect(await listed()).toEqual([])
  })
})
