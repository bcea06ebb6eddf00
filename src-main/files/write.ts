import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { link, lstat, realpath, stat, statfs, unlink } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { SYSTEM_FILE_SYSTEMS, SYSTEM_FOLDERS } from './constants.js'
import { SymlinkedPathError, SystemFileError, TargetExistsError, TargetFolderError } from './errors.js'
import { errorCode, kindOf } from './read.js'

const openFd = promisify(fs.open)

/**
 * Create flags of the temporary file: created here and now or not at all (O_EXCL: an existing
 * file, or a link planted under the name, makes the open fail rather than be reused or followed).
 */
const CREATE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0)

/** The temporary file is the owner's alone until it is complete. */
const TEMP_FILE_MODE = 0o600

/** Random bytes in a temporary file's name: nobody can guess it to plant something there first. */
const TEMP_NAME_RANDOM_BYTES = 12

export interface NewFile {
  /** The file as named (normalized). */
  path: string
  /** Descriptor of the temporary file to write; the writer closes it. */
  fd: number
  /** Links the complete file into place under its name, then removes the temporary name. */
  commit(): Promise<void>
  /** Removes the temporary file if it is still there; only ever that one. Safe after commit. */
  discard(): Promise<void>
}

/**
 * Prepares a new file to be written at `target` (an absolute path), refusing:
 * - a folder on the way that is a symbolic link (SymlinkedPathError), except a link owned by root
 *   directly in the root folder (macOS's /tmp and /var, a merged /usr's /bin): only root can
 *   place those, and they are the system's own layout;
 * - a folder that is missing or not a folder (TargetFolderError);
 * - a folder of the system (/dev, /proc, /sys) or on a kernel file system (SystemFileError);
 * - a target that exists, a regular file or anything else (TargetExistsError).
 * The bytes go to a temporary file with an unpredictable name beside the target, created
 * exclusively (never a file that was there, never through a link); `commit` hard-links it into
 * place, which fails rather than replaces a file that appeared meanwhile.
 */
export async function createNewFile (target: string): Promise<NewFile> {
  const named = path.normalize(target)
  const folder = await realFolder(path.dirname(named))
  checkNotSystemFolder(named, folder)
  await checkNotSystemFileSystem(named, folder)
  const real = path.join(folder, path.basename(named))
  await checkAbsent(named, real)
  const temp = path.join(folder, `.lineage-${randomBytes(TEMP_NAME_RANDOM_BYTES).toString('hex')}.partial`)
  const fd = await openFd(temp, CREATE_FLAGS, TEMP_FILE_MODE)
  let committed = false
  return {
    path: named,
    fd,
    async commit () {
      // The folder must still be the one checked: a swap of a folder on the way for a link since then is refused.
      if (await realpath(folder) !== folder) throw new SymlinkedPathError(named, path.dirname(named), await realpath(folder))
      try {
        await link(temp, real)
      } catch (err) {
        if (errorCode(err) === 'EEXIST') throw new TargetExistsError(named)
        throw err
      }
      committed = true
      await unlink(temp)
    },
    async discard () {
      if (committed) return
      await unlink(temp).catch(() => {})
    },
  }
}

/** The real path of the folder named, walking it from the root so that no link on the way goes unseen. */
async function realFolder (named: string): Promise<string> {
  const root = path.parse(named).root
  let real = root
  let shown = root
  for (const part of named.slice(root.length).split(path.sep).filter(p => p !== '')) {
    shown = path.join(shown, part)
    const next = path.join(real, part)
    let entry: fs.Stats
    try {
      entry = await lstat(next)
    } catch (err) {
      const code = errorCode(err)
      if (code === 'ENOENT') throw new TargetFolderError(named, 'does not exist')
      if (code === 'ENOTDIR') throw new TargetFolderError(named, `cannot be: ${path.dirname(shown)} is not a folder`)
      throw new TargetFolderError(named, `cannot be reached (${code})`)
    }
    if (entry.isSymbolicLink()) {
      const to = await realpath(next).catch(() => '(nothing)')
      if (!isSystemAlias(real, root, entry)) throw new SymlinkedPathError(named, shown, to)
      const resolved = await stat(to).catch(() => undefined)
      if (resolved?.isDirectory() !== true) throw new TargetFolderError(named, `cannot be: ${shown} is not a folder`)
      real = to
      continue
    }
    if (!entry.isDirectory()) throw new TargetFolderError(named, `cannot be: ${shown} is not a folder`)
    real = next
  }
  return real
}

/** A link only root can have made: owned by root, in the root folder itself. Windows has no such owner to check. */
function isSystemAlias (parent: string, root: string, link: fs.Stats): boolean {
  return process.platform !== 'win32' && parent === root && link.uid === 0
}

function checkNotSystemFolder (named: string, folder: string): void {
  for (const system of SYSTEM_FOLDERS) {
    if (folder === system || folder.startsWith(`${system}/`)) throw new SystemFileError(named, system)
  }
}

async function checkNotSystemFileSystem (named: string, folder: string): Promise<void> {
  if (process.platform !== 'linux') return
  const type = await statfs(folder).then(s => Number(s.type), () => undefined)
  const system = type === undefined ? undefined : SYSTEM_FILE_SYSTEMS.get(type)
  if (system !== undefined) throw new SystemFileError(named, system)
}

async function checkAbsent (named: string, real: string): Promise<void> {
  let entry: fs.Stats
  try {
    entry = await lstat(real)
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return
    throw err
  }
  throw new TargetExistsError(named, kindOf(entry))
}
