import { describe, expect, it, vi } from 'vitest'
import { gatewayBase, trayMenuTemplate, trayStatusLine } from '../../src-main/electron/tray-menu.js'
import type { NodeStatus } from '../../src-main/node/index.js'

const status = (over: Partial<NodeStatus> = {}): NodeStatus => ({
  state: 'running',
  peerId: '12D3KooWTest',
  version: '0.1.0',
  dataDir: '/data',
  startedAt: new Date(0),
  uptimeMs: 1000,
  schemaVersion: 3,
  offline: false,
  apiUrl: 'http://127.0.0.1:5480',
  apiPortWasBusy: false,
  publicGatewayUrl: null,
  listenAddresses: [],
  connections: 3,
  p2pPortsWereBusy: false,
  fluence: null,
  reachability: { status: 'unknown', public_addresses: [], relay_addresses: [], relay_service: false, relays: [] },
  ...over,
})

const actions = () => ({ open: vi.fn(), startNode: vi.fn(), stopNode: vi.fn(), copyGatewayUrl: vi.fn(), quit: vi.fn() })

describe('tray menu', () => {
  it('says what the node is doing, in words', () => {
    expect(trayStatusLine(status())).toBe('Lineage — running · 3 peers')
    expect(trayStatusLine(status({ connections: 1 }))).toBe('Lineage — running · 1 peer')
    expect(trayStatusLine(status({ offline: true }))).toBe('Lineage — running offline')
    expect(trayStatusLine(status({ state: 'stopped' }))).toBe('Lineage — node stopped')
  })

  it('offers Stop while running and Start when stopped, and routes each item to its action', () => {
    const a = actions()
    const running = trayMenuTemplate(status(), a)
    expect(running.map(i => i.label ?? i.type)).toEqual(['Lineage — running · 3 peers', 'separator', 'Open Lineage', 'Copy gateway URL', 'separator', 'Stop node', 'separator', 'Quit Lineage'])
    for (const item of running) (item.click as (() => void) | undefined)?.()
    expect(a.open).toHaveBeenCalledTimes(1)
    expect(a.stopNode).toHaveBeenCalledTimes(1)
    expect(a.copyGatewayUrl).toHaveBeenCalledTimes(1)
    expect(a.quit).toHaveBeenCalledTimes(1)
    expect(a.startNode).not.toHaveBeenCalled()

    const stopped = trayMenuTemplate(status({ state: 'stopped', apiUrl: null }), actions())
    expect(stopped.find(i => i.label === 'Start node')?.enabled).toBe(true)
    expect(stopped.find(i => i.label === 'Copy gateway URL')?.enabled).toBe(false)
    expect(trayMenuTemplate(status({ state: 'stopping' }), actions()).find(i => i.label === 'Start node')?.enabled).toBe(false)
  })

  it('copies the gateway base a contract puts in baseURI', () => {
    expect(gatewayBase(status())).toBe('http://127.0.0.1:5480/metadata')
    expect(gatewayBase(status({ apiUrl: null }))).toBeNull()
  })
})
