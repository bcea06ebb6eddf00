/** Words and numbers for long work: percent, rate, time left. */

/** 0–100, or null when the total is not known yet. */
export function percent (done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null
  return Math.min(100, Math.round((done / total) * 100))
}

export function formatRate (perSecond: number, unit = 'items'): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return `— ${unit}/s`
  return `${perSecond >= 10 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1)} ${unit}/s`
}

/** "about 25 s", "about 3 min", "less than a second"; "working out the time left" when unknown. */
export function formatEta (seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'working out the time left'
  if (seconds < 1) return 'less than a second left'
  if (seconds < 90) return `about ${Math.round(seconds)} s left`
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min left`
  return `about ${(seconds / 3600).toFixed(1)} h left`
}

/** What a run's `done` counts, in words: a CAR import reads its blocks, then replays its signed writes. */
export function phaseUnit (phase: 'items' | 'blocks' | 'transactions' | undefined): string {
  return phase === 'blocks' ? 'blocks' : phase === 'transactions' ? 'signed writes' : 'items'
}

/** The end of a CAR import in one sentence: what was replayed, restored and refused. */
export function carImportSummary (car: {
  transactions: { total: number, applied: number, rejected: number, known: number, refused_count: number }
  heads: { listed: number, current: number }
  pins: { listed: number, pinned: number }
  contracts: { deployed: string[], refused: unknown[] }
  refused_block_count: number
}): string {
  const { transactions: t, heads, pins, contracts } = car
  const parts = [`${t.applied} signed writes applied, ${t.known} already here, ${t.rejected + t.refused_count} refused`]
  if (heads.listed > 0) parts.push(`${heads.current} of ${heads.listed} current versions match the backup`)
  if (pins.listed > 0) parts.push(`${pins.pinned} of ${pins.listed} pins restored`)
  if (contracts.deployed.length + contracts.refused.length > 0) parts.push(`${contracts.deployed.length} contracts deployed, ${contracts.refused.length} refused`)
  if (car.refused_block_count > 0) parts.push(`${car.refused_block_count} damaged blocks skipped`)
  return parts.join('; ')
}
