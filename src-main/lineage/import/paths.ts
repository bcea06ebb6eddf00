import type fs from 'node:fs'
import path from 'node:path'
import { kindOf, NotRegularFileError, readRefusal, resolvePath } from '../../files/index.js'
import type { ImportFormat } from './constants.js'
import { ImportPathError, ImportSourceError } from './errors.js'
import { detectFormat } from './sources.js'

/**
 * Checks a path an import was asked to read and says what it holds. It must be absolute, name
 * no "." or ".." segment, go through no symbolic link (the path given is the path read), and be
 * a folder, a `.csv` or a `.car` file. Only asynchronous calls: a path on a hung mount cannot
 * stall the main thread.
 *
 * @throws ImportPathError naming the problem, ImportSourceError for an unsupported kind of file
 */
export async function checkImportPath (source: unknown): Promise<{ path: string, format: ImportFormat, stat: fs.Stats }> {
  if (typeof source !== 'string' || source === '') throw new ImportPathError(String(source), 'must be a non-empty string')
  if (source.includes('\0')) throw new ImportPathError(source, 'contains a NUL character')
  if (!path.isAbsolute(source)) throw new ImportPathError(source, `must be an absolute path; got "${source.slice(0, 200)}"`)
  if (source.split(/[\\/]/).some(segment => segment === '.' || segment === '..')) throw new ImportPathError(source, 'must not contain "." or ".." segments')
  const wanted = path.resolve(source)
  let real: string
  let stat: fs.Stats
  try {
    ({ real, stat } = await resolvePath(wanted))
  } catch (err) {
    const reason = readRefusal(err)
    if (reason !== undefined) throw new ImportPathError(source, `${wanted}: ${reason}`)
    const code = (err as { code?: unknown }).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ImportPathError(source, `${wanted} does not exist`)
    throw new ImportPathError(source, `${wanted} cannot be read (${String(code)})`)
  }
  if (real !== wanted) throw new ImportPathError(source, `${wanted} goes through a symbolic link (it is ${real}); give the real path`)
  // Looking at the path does not open it: a FIFO or a device is named here, and never read.
  const special = kindOf(stat)
  if (special !== undefined && !stat.isDirectory()) throw new ImportSourceError(real, new NotRegularFileError(real, special).reason)
  const format = detectFormat(real, stat)
  if (format === undefined) throw new ImportSourceError(real, 'it is not a folder, a .csv file or a .car file')
  return { path: real, format, stat }
}
