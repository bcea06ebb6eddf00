import type { MenuItemConstructorOptions } from 'electron'
import type { NodeStatus } from '../node/index.js'

export interface TrayActions {
  open(): void
  startNode(): void
  stopNode(): void
  copyGatewayUrl(): void
  quit(): void
}

/** One line for the tray's tooltip and first menu item: what the node is doing, in words. */
export function trayStatusLine (status: NodeStatus): string {
  if (status.state !== 'running') return `Lineage — node ${status.state}`
  if (status.offline) return 'Lineage — running offline'
  return `Lineage — running · ${status.connections} ${status.connections === 1 ? 'peer' : 'peers'}`
}

/** The tray menu for a node status. Pure, so its wording and enabled states are testable. */
export function trayMenuTemplate (status: NodeStatus, actions: TrayActions): MenuItemConstructorOptions[] {
  const running = status.state === 'running'
  return [
    { label: trayStatusLine(status), enabled: false },
    { type: 'separator' },
    { label: 'Open Lineage', click: () => { actions.open() } },
    { label: 'Copy gateway URL', enabled: running && status.apiUrl !== null, click: () => { actions.copyGatewayUrl() } },
    { type: 'separator' },
    running
      ? { label: 'Stop node', click: () => { actions.stopNode() } }
      : { label: 'Start node', enabled: status.state === 'stopped', click: () => { actions.startNode() } },
    { type: 'separator' },
    { label: 'Quit Lineage', role: 'quit', click: () => { actions.quit() } },
  ]
}

/** The base URL to put in a contract's baseURI (`<gateway>/<chainId>/<address>/`). */
export function gatewayBase (status: NodeStatus): string | null {
  return status.apiUrl === null ? null : `${status.apiUrl}/metadata`
}
