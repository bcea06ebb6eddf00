/**
 * Runs long work (an import, an export) with a signal that Ctrl+C (SIGINT) or SIGTERM aborts, so
 * the work stops cleanly and can say how far it got, instead of the process dying mid-write.
 */
export async function untilInterrupted<T> (work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const onSignal = (): void => { controller.abort() }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await work(controller.signal)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
