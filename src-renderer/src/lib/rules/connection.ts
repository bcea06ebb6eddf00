import type { NodeInfo } from '../../../../src-main/api/rpc-types.js'

/** What the app knows of its node: asking for the first time, answering, or not answering. */
export type Connection =
  | { kind: 'asking' }
  | { kind: 'running', state: string }
  | { kind: 'lost' }

export function connectionOf (info: NodeInfo | null, problem: string | null): Connection {
  if (problem !== null) return { kind: 'lost' }
  if (info === null) return { kind: 'asking' }
  return { kind: 'running', state: info.state }
}

/** The few words the sidebar shows for it. */
export function connectionLabel (connection: Connection): string {
  if (connection.kind === 'asking') return 'Connecting to the node…'
  if (connection.kind === 'lost') return 'Node stopped · reconnecting…'
  return connection.state === 'running' ? 'Node running' : `Node ${connection.state}`
}
