import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { IPC_CHANNELS, rendererUrl } from '../../src-main/electron/index.js'
import { setupRpcIpc } from '../../src-main/electron/rpc-ipc.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { ipcMain } from './fake-electron.js'

// Electron's runtime cannot start here: ipcMain is replaced at the Electron API boundary only;
// the node and its dispatcher are real.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/opt/Lineage/resources/app.asar/dist/renderer/index.html')

describe('JSON-RPC over IPC', () => {
  let running: TestNode
  beforeAll(async () => { running = await startTestNode() })
  afterAll(async () => { await running.stop() })

  it('answers the page with the node\'s own dispatcher, token methods included', async () => {
    const remove = setupRpcIpc(running.node, trusted)
    const info = await ipcMain.invoke(IPC_CHANNELS.rpc, { jsonrpc: '2.0', id: 1, method: 'node_info', params: [] }, trusted)
    expect(info).toMatchObject({ ok: true, value: { jsonrpc: '2.0', id: 1, result: { peer_id: running.node.peerId, state: 'running' } } })
    // gc requires the API token over HTTP; the app's own window holds it.
    const gc = await ipcMain.invoke(IPC_CHANNELS.rpc, { jsonrpc: '2.0', id: 2, method: 'gc', params: [true] }, trusted)
    expect(gc).toMatchObject({ ok: true, value: { id: 2, result: { freed: expect.any(Array) } } })
    const batch = await ipcMain.invoke(IPC_CHANNELS.rpc, [{ jsonrpc: '2.0', id: 3, method: 'nope' }, { jsonrpc: '2.0', method: 'node_info' }], trusted)
    expect(batch).toMatchObject({ ok: true, value: [{ id: 3, error: { code: -32601 } }] })
    expect(await ipcMain.invoke(IPC_CHANNELS.rpc, { jsonrpc: '2.0', method: 'node_info' }, trusted)).toEqual({ ok: true, value: null })
    remove()
  })

  it('refuses a page that is not ours, even for read-only methods', async () => {
    const remove = setupRpcIpc(running.node, trusted)
    await expect(ipcMain.invoke(IPC_CHANNELS.rpc, { jsonrpc: '2.0', id: 1, method: 'node_info' }, 'https://evil.example/')).rejects.toMatchObject({ name: 'IpcSenderError' })
    remove()
  })
})
