import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { IPC_CHANNELS, MAX_PREVIEW_PATH_LENGTH, rendererUrl } from '../../src-main/electron/index.js'
import { checkIpfsPath, setupIpfsIpc } from '../../src-main/electron/ipfs-ipc.js'
import type { CID } from 'multiformats/cid'
import { makePng, writeRawBlockCar } from '../helpers/png-car.js'
import { tempDir } from '../helpers/temp-dir.js'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'
import { waitFor } from '../helpers/wait-for.js'
import { ipcMain } from './fake-electron.js'

// Electron's runtime cannot start here: ipcMain is replaced at the Electron API boundary only; the
// node and its gateway are real.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/app/dist/renderer/index.html')
const c = IPC_CHANNELS

describe('image preview bytes over IPC (the window loads nothing over http)', () => {
  let running: TestNode
  let t: { dir: string, cleanup: () => void }
  let cid: CID
  const image = makePng(5, 3)
  let apiUrl: string | null

  beforeAll(async () => {
    t = tempDir()
    running = await startTestNode({ offline: true })
    cid = await writeRawBlockCar(path.join(t.dir, 'art.car'), image)
    const dispatch = async (method: string, params: unknown[]): Promise<{ result?: { state?: string, job?: string } }> =>
      await running.node.api.dispatch({ jsonrpc: '2.0', id: 1, method, params }, { transport: 'ipc', authenticated: true }) as { result?: { state?: string, job?: string } }
    const job = (await dispatch('import_car', [path.join(t.dir, 'art.car')])).result?.job ?? ''
    await running.node.lineage.settled()
    await waitFor('the CAR import to end', async () => {
      const state = (await dispatch('import_status', [job])).result?.state ?? ''
      if (state === 'failed') throw new Error('the CAR import failed')
      return state === 'done'
    }, { intervalMs: 1 })
  })
  afterAll(async () => {
    await running?.stop()
    t?.cleanup()
  })
  beforeEach(() => {
    ipcMain.handlers.clear()
    apiUrl = running.base
    setupIpfsIpc(() => apiUrl, trusted)
  })

  it('answers the block the node holds, byte for byte, and null for one it does not', async () => {
    const answer = await ipcMain.invoke(c.ipfsGet, { path: `/ipfs/${cid.toString()}` }, trusted) as { ok: true, value: Uint8Array }
    expect(answer.ok).toBe(true)
    expect(Buffer.from(answer.value).equals(Buffer.from(image))).toBe(true)
    const missing = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    expect(await ipcMain.invoke(c.ipfsGet, { path: `/ipfs/${missing}` }, trusted)).toEqual({ ok: true, value: null })
  })

  it('takes only /ipfs/<cid>[/path] with a real CID, for our page only', async () => {
    for (const bad of [null, '/ipfs/x', { path: 'https://example.com/a.png' }, { path: '/ipfs/notacid' }, { path: `/ipfs/${cid.toString()}/../../rpc` }, { path: `/ipfs/${cid.toString()}?format=car` }, { path: `/ipfs/${cid.toString()}/${'a'.repeat(MAX_PREVIEW_PATH_LENGTH)}` }]) {
      expect(await ipcMain.invoke(c.ipfsGet, bad, trusted)).toMatchObject({ ok: false, error: { name: 'IpcPayloadError' } })
    }
    expect(checkIpfsPath({ path: `/ipfs/${cid.toString()}/image` })).toBe(`/ipfs/${cid.toString()}/image`)
    await expect(ipcMain.invoke(c.ipfsGet, { path: `/ipfs/${cid.toString()}` }, 'https://evil.example/')).rejects.toMatchObject({ name: 'IpcSenderError' })
  })

  it('says so when the node is stopped', async () => {
    apiUrl = null
    expect(await ipcMain.invoke(c.ipfsGet, { path: `/ipfs/${cid.toString()}` }, trusted)).toMatchObject({ ok: false, error: { name: 'PreviewFetchError', message: expect.stringContaining('the node is stopped') } })
  })
})
