import path from 'node:path'
import { vi } from 'vitest'
import { createSecretVault } from '../../src-main/secrets/index.js'
import { createRemotePinning } from '../../src-main/remote-pinning/index.js'
import type { RemotePinInfo, RemotePinning, RemotePinningComponents, RemotePinningInit } from '../../src-main/remote-pinning/index.js'
import { testLog } from '../helpers/logger.js'
import { openPins, put, rawBlock } from '../lineage/pins/helpers.js'
import type { PinsFixture } from '../lineage/pins/helpers.js'

/** Short waits so a test follows a request in milliseconds; the logic is the product's. */
export const FAST: RemotePinningInit = { followInitialDelayMs: 5, followMaxDelayMs: 20, autoPushIntervalMs: 60_000 }

export interface RemoteFixture extends PinsFixture {
  remote: RemotePinning
  /** Multiaddrs the module asked to dial. */
  dialled: string[]
  /** Stops the module and the store, then opens both again on the same data dir, as a restart does. */
  restart(): Promise<void>
  /** Stops the module, closes the store and removes the data dir. */
  shutdown(): Promise<void>
}

export function openRemote (init: RemotePinningInit = FAST, components: Partial<RemotePinningComponents> = {}): RemoteFixture {
  const fixture = openPins()
  const dialled: string[] = []
  const make = (): RemotePinning => createRemotePinning({
    store: fixture.store,
    secrets: createSecretVault({ dir: path.dirname(fixture.store.path) }),
    log: testLog,
    origins: () => ['/ip4/127.0.0.1/tcp/5481/p2p/12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'],
    dial: async address => { dialled.push(address) },
    ...components,
  }, init)
  const f: RemoteFixture = {
    ...fixture,
    remote: make(),
    dialled,
    async restart () {
      await f.remote.stop()
      // The same store object opens the file again with a new connection, as a new process would.
      fixture.store.stop()
      fixture.store.start()
      f.remote = make()
    },
    async shutdown () {
      await f.remote.stop()
      fixture.close()
    },
  }
  return f
}

/** A block stored and pinned on the node, as `pin_add` would leave it. */
export async function pinnedBlock (f: PinsFixture, text: string, name = ''): Promise<string> {
  const block = await rawBlock(text)
  put(f.blockstore, block)
  await f.pins.add(block.cid, { name })
  return block.cid.toString()
}

/** Waits until the pin reaches a settled status (the follower polls in the background). */
export async function settled (remote: RemotePinning, cid: string, service: string): Promise<RemotePinInfo> {
  return await vi.waitFor(() => {
    const [pin] = remote.ls({ cid, service })
    if (pin === undefined || (pin.status !== 'pinned' && pin.status !== 'failed')) throw new Error(`${cid} is ${pin?.status ?? 'absent'}`)
    return pin
  }, { timeout: 20_000, interval: 10 })
}
