/**
 * Files a client names: read and written so that no path can hang the node or send its bytes
 * somewhere not named. Reads take only regular files (checked on the open handle, opened without
 * following a link or waiting on a FIFO), never on the main thread, bounded in size and time;
 * writes go through an exclusively created temporary file, in a real folder (no link on the way),
 * never on a system file system, and never over an existing file.
 *
 * @example
 * ```ts
 * const bytes = await readRegularFile('/home/me/nft/42.json', { maxBytes: 64 * 1024 })
 * const reader = createFileReader({ maxBytes: 64 * 1024 }) // many files, in a worker, in batches
 * const [a, b] = await Promise.all([reader.read('/home/me/nft/1.json'), reader.read('/home/me/nft/2.json')])
 * await reader.close()
 * const csv = await openRegularFile('/home/me/nft.csv')
 * for await (const chunk of csv.chunks) parse(chunk)
 * const file = await createNewFile('/backups/all.car')
 * try { await writeAll(file.fd); await file.commit() } finally { await file.discard() }
 * ```
 */
export { readRegularFile, openRegularFile, listFolder, checkedFolder, resolvePath, kindOf } from './read.js'
export type { ReadFileOptions, FileStreamOptions, RegularFileStream } from './read.js'
export { createFileReader } from './batch-read.js'
export type { FileReader, FileReaderInit, FileReadRequest } from './batch-read.js'
export { createNewFile } from './write.js'
export type { NewFile } from './write.js'
export { stuckReads } from './deadline.js'
export * from './constants.js'
export * from './errors.js'
