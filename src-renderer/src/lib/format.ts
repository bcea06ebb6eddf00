import type { StatsInfo } from '../../../src-main/api/rpc-types.js'

/** "3d 4h", "5m 2s", "9s": the two largest units, for a glance, not for accounting. */
export function formatUptime (ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const units: Array<[number, string]> = [
    [Math.floor(total / 86400), 'd'],
    [Math.floor(total / 3600) % 24, 'h'],
    [Math.floor(total / 60) % 60, 'm'],
    [total % 60, 's'],
  ]
  const first = units.findIndex(([n]) => n > 0)
  if (first === -1) return '0s'
  return units.slice(first, first + 2).map(([n, unit]) => `${n}${unit}`).join(' ')
}

/** Words a person can act on, for errors the UI shows. */
export function describeProblem (err: unknown): string {
  const name = (err as { name?: unknown })?.name
  if (name === 'NodeUnreachableError') return 'Lineage cannot reach its node. If you started it from a terminal, check that it is still running; this page retries on its own.'
  return err instanceof Error ? err.message : String(err)
}

/** "1.5 MiB", "12 KiB", "900 B". */
export function formatBytes (bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} B`
}

const plural = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** One line about what the node holds. */
export function describeStorage (stats: StatsInfo): string {
  return `${plural(stats.tokens, 'token', 'tokens')} in ${plural(stats.collections, 'collection', 'collections')} · ${plural(stats.transactions, 'signed write', 'signed writes')} · ${formatBytes(stats.database_bytes)} on disk`
}
