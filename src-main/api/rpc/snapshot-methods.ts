import { MAX_CID_TEXT_LENGTH } from '../../lineage/pins/index.js'
import type { SnapshotCollection, Snapshots } from '../../lineage/snapshots/index.js'
import { InvalidParamsError } from '../errors.js'
import { jobReporter } from '../events.js'
import type { JobEvents } from '../events.js'
import { defineMethod } from './method.js'
import type { RpcMethod, RpcParam } from './method.js'

export interface SnapshotMethodsComponents {
  snapshots: Snapshots
  /** Where snapshot runs report progress (the WebSocket forwards it); none in unit tests. */
  events?: JobEvents
}

const chainId = (optional = false): RpcParam => ({ name: 'chain_id', schema: { type: 'string', pattern: '^[0-9]{1,20}$' }, optional })
const tokenAddress = (optional = false): RpcParam => ({ name: 'token_address', schema: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' }, optional })
const rootCid: RpcParam = { name: 'root_cid', schema: { type: 'string', minLength: 1, maxLength: MAX_CID_TEXT_LENGTH } }
const target: RpcParam = { name: 'path', schema: { type: 'string', minLength: 1, maxLength: 4096 } }

const collectionOf = (p: Record<string, unknown>): SnapshotCollection => ({ chain_id: p.chain_id as string, token_address: p.token_address as string })

/** A root that is not a CID is invalid params naming the field, as a failed schema check is. */
async function withParams<T> (run: () => Promise<T> | T): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const { name, field, message } = err as { name?: unknown, field?: unknown, message?: unknown }
    if (name === 'InvalidCidError' && typeof field === 'string' && typeof message === 'string') throw new InvalidParamsError(message, field)
    throw err
  }
}

/**
 * ipfs:// snapshots (lineage/snapshots): snapshot_create builds and pins a collection's IPFS
 * folder and answers when done; snapshot_status follows it and snapshot_cancel stops it (by
 * collection, which one snapshot at a time may use); snapshot_ls, snapshot_rm and
 * snapshot_export_car (a CAR for a pinning provider's upload). remote_pin_add sends a root to a
 * pinning service like any pinned CID.
 */
export function snapshotMethods ({ snapshots, events }: SnapshotMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'snapshot_create',
      requiresToken: true,
      description: 'Builds the collection\'s ipfs:// folder (UnixFS; entry <tokenId> holds the bytes /metadata serves; json_suffix also adds <tokenId>.json), pins it and records it; answers when done with its root CID and base_uri.',
      params: [
        chainId(),
        tokenAddress(),
        { name: 'options', schema: { type: 'object', properties: { json_suffix: { type: 'boolean' } }, additionalProperties: false }, optional: true },
      ],
      handler: async p => {
        const collection = collectionOf(p)
        const options = (p.options ?? {}) as { json_suffix?: boolean }
        const report = jobReporter(events, 'snapshot', collection)
        return await report.track(async () => await snapshots.create(collection, {
          jsonSuffix: options.json_suffix === true,
          onProgress: ({ done, total }) => { report.progress({ done, total }) },
        }), result => result)
      },
    }),
    defineMethod({
      name: 'snapshot_status',
      requiresToken: true,
      description: 'How far the snapshot of this collection being taken is (tokens done of total), or running: false.',
      params: [chainId(), tokenAddress()],
      handler: p => snapshots.status(collectionOf(p)),
    }),
    defineMethod({
      name: 'snapshot_cancel',
      requiresToken: true,
      description: 'Stops the snapshot of this collection being taken; its snapshot_create answers with a cancelled error and nothing is kept.',
      params: [chainId(), tokenAddress()],
      handler: p => snapshots.cancel(collectionOf(p)),
    }),
    defineMethod({
      name: 'snapshot_ls',
      requiresToken: true,
      description: 'The collection\'s snapshots, newest first; without params, every collection\'s.',
      params: [chainId(true), tokenAddress(true)],
      handler: p => {
        if ((p.chain_id === undefined) !== (p.token_address === undefined)) {
          const missing = p.chain_id === undefined ? 'chain_id' : 'token_address'
          throw new InvalidParamsError(`${missing} is required with ${missing === 'chain_id' ? 'token_address' : 'chain_id'}`, missing)
        }
        return snapshots.ls(p.chain_id === undefined ? undefined : collectionOf(p))
      },
    }),
    defineMethod({
      name: 'snapshot_rm',
      requiresToken: true,
      description: 'Forgets the snapshot with this root and unpins it (the next gc frees what nothing else keeps); answers the records removed.',
      params: [rootCid],
      handler: async p => await withParams(() => snapshots.rm(p.root_cid as string)),
    }),
    defineMethod({
      name: 'snapshot_export_car',
      requiresToken: true,
      description: 'Writes a snapshot as a CAR v1 file (absolute path, must not exist) with its root as the one root, for a pinning provider\'s upload.',
      params: [rootCid, target],
      handler: async p => await withParams(async () => await snapshots.exportCar(p.root_cid as string, p.path as string)),
    }),
  ] as RpcMethod[]
}
