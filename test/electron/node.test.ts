import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSettingsStore } from '../../src-main/electron/index.js'
import type { DesktopSettingsStore } from '../../src-main/electron/index.js'
import { DATA_DIR_FAILED_BUTTONS, PUBLIC_GATEWAY_FAILED_MESSAGE, setupNode } from '../../src-main/electron/node.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { testLogger } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'
import { dialog } from './fake-electron.js'

// Electron's runtime cannot start here: dialog is replaced at the Electron API boundary only;
// the node is a real one.
vi.mock('electron', async () => await import('./fake-electron.js'))

/** A port free on 127.0.0.1 a moment ago, and a server holding another one. */
async function listening (): Promise<net.Server> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
  return server
}
const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port

describe('the app\'s node and the chosen data folder', () => {
  let t: { dir: string, cleanup: () => void }
  let settings: DesktopSettingsStore
  let defaultDir: string
  let node: LineageNode | undefined
  beforeEach(() => {
    t = tempDir()
    defaultDir = path.join(t.dir, 'default')
    vi.stubEnv('LINEAGE_DATA_DIR', defaultDir)
    settings = createSettingsStore(path.join(t.dir, 'desktop-settings.json'))
    dialog.messages.length = 0
    dialog.errors.length = 0
  })
  afterEach(async () => {
    await node?.stop()
    node = undefined
    vi.unstubAllEnvs()
    t.cleanup()
  })
  // No listening beyond the local API on any free port: the folder is what is under test.
  const init = { ...testNodeConfig(''), dataDir: undefined, offline: true }

  it('starts on the folder chosen in the app, from the next start on', async () => {
    const chosen = path.join(t.dir, 'chosen')
    settings.set('dataDir', chosen)
    node = await setupNode(testLogger, createSettingsStore(settings.path), init)
    expect(node?.config.dataDir).toBe(chosen)
    expect(fs.readdirSync(chosen).length).toBeGreaterThan(0)
    expect(fs.existsSync(defaultDir)).toBe(false)
  })

  it('offers the default folder when the chosen one cannot be opened, and uses it when asked', async () => {
    const file = path.join(t.dir, 'not-a-folder')
    fs.writeFileSync(file, 'x')
    settings.set('dataDir', file)
    dialog.messageResponse = DATA_DIR_FAILED_BUTTONS.indexOf('Use the default folder')
    node = await setupNode(testLogger, settings, init)
    expect(dialog.messages).toEqual([expect.objectContaining({ message: 'Lineage could not open the data folder you chose', detail: expect.stringContaining(file), buttons: [...DATA_DIR_FAILED_BUTTONS] })])
    expect(node?.config.dataDir).toBe(defaultDir)
    expect(settings.get().dataDir).toBeNull()
  })

  it('quits when the user says so, keeping the choice', async () => {
    const file = path.join(t.dir, 'not-a-folder')
    fs.writeFileSync(file, 'x')
    settings.set('dataDir', file)
    dialog.messageResponse = DATA_DIR_FAILED_BUTTONS.indexOf('Quit')
    expect(await setupNode(testLogger, settings, init)).toBeUndefined()
    expect(settings.get().dataDir).toBe(file)
  })

  it('opens the public, read-only gateway listener "Serve publicly" asks for, and serves metadata there but never the API', async () => {
    const probe = await listening()
    const port = portOf(probe)
    await new Promise(resolve => probe.close(resolve))
    settings.set('publicGateway', { enabled: true, host: '127.0.0.1', port })
    node = await setupNode(testLogger, createSettingsStore(settings.path), init)
    expect(node?.status().publicGatewayUrl).toBe(`http://127.0.0.1:${port}`)
    const document = await fetch(`http://127.0.0.1:${port}/metadata/1/0x5180db8f5c931aae63c74266b211f580155ecac8/1`)
    // The gateway's own answer for a token it does not hold, in JSON.
    expect(document.status).toBe(404)
    expect(document.headers.get('content-type')).toContain('application/json')
    expect((await fetch(`http://127.0.0.1:${port}/rpc`, { method: 'POST', body: '{}' })).status).toBe(404)
    expect(dialog.messages).toEqual([])
  })

  it('opens no public listener while "Serve publicly" is off', async () => {
    settings.set('publicGateway', { enabled: false, host: '127.0.0.1', port: 8080 })
    node = await setupNode(testLogger, settings, init)
    expect(node?.status().publicGatewayUrl).toBeNull()
    expect(node?.status().state).toBe('running')
  })

  it('starts without the public listener, and says why, when its port is taken', async () => {
    const taken = await listening()
    try {
      settings.set('publicGateway', { enabled: true, host: '127.0.0.1', port: portOf(taken) })
      node = await setupNode(testLogger, settings, init)
      expect(node?.status().state).toBe('running')
      expect(node?.status().publicGatewayUrl).toBeNull()
      expect(dialog.messages).toEqual([expect.objectContaining({ type: 'warning', message: PUBLIC_GATEWAY_FAILED_MESSAGE, detail: expect.stringContaining('the port is in use by another program') })])
      // The setting stays: the next start tries again.
      expect(settings.get().publicGateway.enabled).toBe(true)
    } finally {
      await new Promise(resolve => taken.close(resolve))
    }
  })
})
