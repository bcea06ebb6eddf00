import { MAX_UPLOAD_NAME_BYTES } from './constants.js'
import { UploadNameError } from './errors.js'

/** Names Windows keeps for devices: a file called so cannot be opened there as a file. */
const DEVICE_NAMES = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i
/** Characters no file name of an upload may hold: separators, a drive or stream colon, wildcards, controls. */
const FORBIDDEN = /[/\\:*?"<>|]/
const isControl = (name: string): boolean => [...name].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)

/**
 * Checks an uploaded file's name: one plain name inside the upload's folder, never a path. A
 * name that could lead elsewhere (separators, `..`, a drive letter), hide (a leading dot) or mean
 * something else on another system (device names, a trailing dot or space) is refused, not
 * cleaned: quietly changing it would import the file under a name the creator did not choose.
 */
export function checkUploadName (name: string): string {
  if (name === '') throw new UploadNameError('it is empty')
  if (Buffer.byteLength(name) > MAX_UPLOAD_NAME_BYTES) throw new UploadNameError(`it is longer than ${MAX_UPLOAD_NAME_BYTES} bytes`)
  if (FORBIDDEN.test(name) || isControl(name)) throw new UploadNameError('a name may not hold / \\ : * ? " < > | or control characters, so it cannot lead outside its folder')
  if (name.startsWith('.')) throw new UploadNameError('names starting with a dot (hidden files, . and ..) are not uploaded')
  if (name.endsWith(' ') || name.endsWith('.')) throw new UploadNameError('a name may not end with a space or a dot')
  if (DEVICE_NAMES.test(name)) throw new UploadNameError('that name is reserved for a device on Windows')
  if (name !== name.normalize('NFC')) throw new UploadNameError('send the name in Unicode NFC form')
  return name
}

/** An upload's id as the node makes them: 16 random bytes in hex. */
export function isUploadId (id: string): boolean {
  return /^[0-9a-f]{32}$/.test(id)
}
