/** The UI's client interface, apart from any DOM code so Node tests can import the transports. */
import type { LineageClient, LineageNotificationName, LineageNotifications } from '../../../../src-main/api/rpc-types.js'

/** A notification the node pushed: job progress or a transaction outcome. */
export type NodeNotification = { [N in LineageNotificationName]: { method: N, params: LineageNotifications[N] } }[LineageNotificationName]

export interface UiClient extends LineageClient {
  /** 'desktop' inside Electron (the window is trusted), 'browser' over WebSocket with the API token. */
  readonly mode: 'desktop' | 'browser'
  /** Listens to the node's notifications; returns an unsubscribe function. */
  onNotification(listener: (notification: NodeNotification) => void): () => void
  /** Called when an open connection to the node is lost (browser mode), so the UI says so at once. */
  onDisconnect?(listener: () => void): () => void
}
