/** What vitest's `bench.compare()` reports for each case (latency in milliseconds). */
export interface MeasuredCase {
  name: string
  latency: { mean: number, p99: number }
  throughput: { mean: number }
}

export interface RatioRow {
  name: string
  meanMicros: number
  p99Micros: number
  opsPerSecond: number
  /** This case's mean time divided by the anchor's: 0.5 means twice as fast as the anchor. */
  timeVsAnchor: number
  /** This case's throughput divided by the anchor's: what a rate target (e.g. ≥ 0.7×) is about. */
  rateVsAnchor: number
}

/**
 * Prints one markdown table comparing every case with the named anchor, measured in the same run.
 * Ratios are what we compare and publish; absolute times move with the machine.
 */
export function reportRatios (title: string, anchor: MeasuredCase, others: MeasuredCase[]): RatioRow[] {
  const rows = [anchor, ...others].map(c => ({
    name: c.name,
    meanMicros: c.latency.mean * 1000,
    p99Micros: c.latency.p99 * 1000,
    opsPerSecond: c.throughput.mean,
    timeVsAnchor: c.latency.mean / anchor.latency.mean,
    rateVsAnchor: c.throughput.mean / anchor.throughput.mean,
  }))
  const micros = (m: number): string => (!Number.isFinite(m) ? '—' : m >= 1000 ? `${(m / 1000).toFixed(2)} ms` : `${m.toFixed(2)} µs`)
  console.log([
    '',
    `### ${title}`,
    '',
    `| case | mean | p99 | ops/s | time vs anchor (${anchor.name}) | rate vs anchor |`,
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(r => `| ${r.name} | ${micros(r.meanMicros)} | ${micros(r.p99Micros)} | ${Math.round(r.opsPerSecond).toLocaleString('en-US')} | ${r.timeVsAnchor.toFixed(2)}× | ${r.rateVsAnchor.toFixed(2)}× |`),
    '',
  ].join('\n'))
  return rows
}
