import { createChainWatcher } from '../../src-main/chain/index.js'
import type { ChainWatcher, ChainWatcherInit, WatchStatusInfo } from '../../src-main/chain/index.js'
import { createStore } from '../../src-main/store/index.js'
import type { Store } from '../../src-main/store/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

export interface WatcherHarness {
  store: Store
  chain: ChainWatcher
  /** Stops the watcher and the store and removes the data dir. */
  close(): Promise<void>
}

/** A real store on a temp dir and a started watcher over it, with short waits. */
export function watcherHarness (init: ChainWatcherInit = {}): WatcherHarness {
  const t = tempDir()
  const store = createStore({ log: testLog }, { dataDir: t.dir })
  store.start()
  const chain = createChainWatcher({ db: store.db, log: testLog }, { retryInitialDelayMs: 100, retryMaxDelayMs: 400, callTimeoutMs: 2_000, ...init })
  chain.start()
  return {
    store,
    chain,
    async close () {
      await chain.stop()
      store.stop()
      t.cleanup()
    },
  }
}

/** The status of the one watch on `address`. */
export function statusOf (chain: ChainWatcher, address: string): WatchStatusInfo {
  const found = chain.status().find(s => s.address === address.toLowerCase())
  if (found === undefined) throw new Error(`no watch on ${address}`)
  return found
}

/** Waits until the watch has applied every block up to `block`. */
export async function caughtUp (chain: ChainWatcher, address: string, block: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const s = statusOf(chain, address)
    if (s.last_block !== null && s.last_block >= block) return
    if (Date.now() > until) throw new Error(`watch did not reach block ${block}: ${JSON.stringify(s)}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
