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
