import type { Importer } from '../../lineage/import/index.js'
import { checkImportPath, ImportJobBusyError, ImportPathError, MAX_SHOWN_REASON_CHARS, shownText } from '../../lineage/import/index.js'
import type { TransactionSigner } from '../../lineage/signing/index.js'
import { EVENTS } from '../constants.js'
import { InvalidParamsError, toRpcError } from '../errors.js'
import type { JobEvents } from '../events.js'
import { namedPaths, publicReasons } from '../public-text.js'
import type { ImportFolderOptions, ImportStatusInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface ImportMethodsComponents {
  importer: Importer
  /** Unlocks one of the node's keys (the keystore's `unlock`); the signer is locked when its run ends. */
  unlockKey(name: string, passphrase: string): Promise<TransactionSigner & { lock?(): void }>
  /** Where a run that fails is announced (its progress comes from the importer's own events); none in unit tests. */
  events?: JobEvents
}

export type { ImportFolderOptions, ImportStatusInfo } from '../rpc-types.js'

/**
 * A path that is refused is invalid params naming `path`, and a key name that cannot be a key
 * names `options` (which holds it): the answers a failed schema check gives.
 */
async function withPathErrors<T> (run: () => Promise<T> | T): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if ((err as Error).name === 'ImportPathError') throw new InvalidParamsError((err as Error).message.replace(/^path: /, 'path '), 'path')
    if ((err as Error).name === 'InvalidKeyNameError') throw new InvalidParamsError(`options.key: ${(err as Error).message}`, 'options')
    throw err
  }
}

const path = { name: 'path', schema: { type: 'string', minLength: 1, maxLength: 4096 } }
const job = { name: 'job', schema: { type: 'string', minLength: 1, maxLength: 64 } }
const text = (maxLength: number): object => ({ type: 'string', maxLength })
const folderOptions = {
  name: 'options',
  schema: {
    type: 'object',
    properties: {
      chain_id: text(32),
      token_address: text(64),
      meta_contract_id: text(128),
      key: text(64),
      passphrase: text(1024),
      alias: text(64),
      version: text(64),
      resume: text(64),
    },
    required: ['chain_id', 'token_address', 'meta_contract_id', 'key', 'passphrase'],
    additionalProperties: false,
  },
}

/**
 * Bulk import over JSON-RPC. Starting methods answer at once with the job (state "running");
 * the import goes on in the node, `import_status` follows it and `import_cancel` stops it. Paths
 * must be absolute, existing and free of "."/".." segments and symbolic links.
 */
export function importMethods ({ importer, unlockKey, events }: ImportMethodsComponents): RpcMethod[] {
  const info = (id: string): ImportStatusInfo => {
    const status = importer.status(id)
    // Why the job or an item failed, as a client may read it; the source's own path may be repeated.
    return publicReasons({ ...status, running: importer.isRunning(id), progress: importer.progress(id) ?? null, report: importer.lastReport(id) ?? null }, namedPaths(status.params.source))
  }
  /** Starts a run in the background; its outcome lands in the job row (and the log if it fails). */
  const launch = (id: string, signer?: TransactionSigner & { lock?(): void }): ImportStatusInfo => {
    if (importer.isRunning(id)) throw new ImportJobBusyError(id)
    const run = importer.run(id, signer === undefined ? {} : { signer })
    void run.catch((err: unknown) => {
      const { code, message } = toRpcError(err, namedPaths(importer.status(id).params.source))
      // The message may carry a path or a contract's reason: shown safely, as the job row keeps it.
      events?.publish(EVENTS.importFailed, { job: id, error: { code, message: shownText(message, MAX_SHOWN_REASON_CHARS) } })
    }).finally(() => { signer?.lock?.() })
    return info(id)
  }

  return [
    defineMethod({
      name: 'import_folder',
      description: 'Imports a folder of <tokenId>.json files or a CSV file as signed metadata transactions, in the background; answers with the job.',
      params: [path, folderOptions],
      requiresToken: true,
      handler: async p => await withPathErrors(async () => {
        const o = p.options as ImportFolderOptions
        // The path is checked before the key is unlocked (scrypt is slow), so a bad path fails fast.
        const { format } = await checkImportPath(p.path)
        if (format === 'car') throw new ImportPathError(p.path as string, 'is a CAR file; use import_car')
        if (o.resume !== undefined && importer.status(o.resume).params.source !== p.path) {
          throw new ImportPathError(p.path as string, `job ${o.resume} imports ${importer.status(o.resume).params.source}, not this path`)
        }
        const signer = await unlockKey(o.key, o.passphrase)
        let id: string
        try {
          id = o.resume ?? (await importer.create({
            source: p.path as string,
            chain_id: o.chain_id,
            token_address: o.token_address,
            meta_contract_id: o.meta_contract_id,
            public_key: signer.publicKey,
            ...(o.alias === undefined ? {} : { alias: o.alias }),
            ...(o.version === undefined ? {} : { version: o.version }),
          })).job
        } catch (err) {
          signer.lock?.()
          throw err
        }
        return launch(id, signer)
      }),
    }),
    defineMethod({
      name: 'import_car',
      description: 'Imports a CAR file in the background (each block verified; a bad entry is refused by CID and the rest go in; an archive is replayed, its contracts deployed and pins restored); answers with the job.',
      params: [path],
      requiresToken: true,
      handler: async p => await withPathErrors(async () => {
        if ((await checkImportPath(p.path)).format !== 'car') throw new ImportPathError(p.path as string, 'is not a .car file; use import_folder for folders and CSV files')
        return launch((await importer.create({ source: p.path as string })).job)
      }),
    }),
    defineMethod({
      name: 'import_cancel',
      description: 'Cancels an import job; published items stay, and running it again resumes it.',
      params: [job],
      requiresToken: true,
      handler: p => {
        importer.cancel(p.job as string)
        return info(p.job as string)
      },
    }),
    defineMethod({
      name: 'import_status',
      requiresToken: true,
      description: 'An import job: state, counters, live progress while it runs, and the report of its last run.',
      params: [job],
      handler: p => info(p.job as string),
    }),
  ]
}
