import { CID } from 'multiformats/cid'
import { MAX_PREVIEW_BYTES, MAX_PREVIEW_PATH_LENGTH } from './constants.js'
import { IpcPayloadError, PreviewFetchError } from './errors.js'
import { IPC_CHANNELS } from './ipc-channels.js'
import { handleIpc } from './ipc.js'

const IPFS_PATH = /^\/ipfs\/([A-Za-z0-9]+)((?:\/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*)$/

/** Checks a `lineage:ipfs:get` payload: `{ path: '/ipfs/<cid>[/field…]' }` with a valid CID, nothing else. */
export function checkIpfsPath (payload: unknown): string {
  const channel = IPC_CHANNELS.ipfsGet
  const value = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).path : undefined
  if (typeof value !== 'string' || value.length > MAX_PREVIEW_PATH_LENGTH) throw new IpcPayloadError(channel, 'path', `must be /ipfs/<cid>[/path], at most ${MAX_PREVIEW_PATH_LENGTH} characters`)
  const match = IPFS_PATH.exec(value)
  if (match === null || value.split('/').includes('..')) throw new IpcPayloadError(channel, 'path', 'must be /ipfs/<cid>[/path]')
  try {
    CID.parse(match[1] ?? '')
  } catch {
    throw new IpcPayloadError(channel, 'path', 'must start with a CID')
  }
  return value
}

/** The body, refused past MAX_PREVIEW_BYTES whatever the length header says. */
async function readBounded (response: Response, path: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0')
  if (declared > MAX_PREVIEW_BYTES) throw new PreviewFetchError(path, `it is larger than ${MAX_PREVIEW_BYTES} bytes`)
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength
    if (size > MAX_PREVIEW_BYTES) throw new PreviewFetchError(path, `it is larger than ${MAX_PREVIEW_BYTES} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/**
 * The editor's image preview in the desktop app. The window loads nothing over the network (the
 * session cancels http, the CSP allows none), so the main process asks its own node's gateway for
 * `/ipfs/<cid>[/path]`, exactly what a browser-mode page loads, and hands the bytes to the page,
 * which shows them from a blob: URL. `apiUrl` is the running node's (null while it is stopped).
 */
export function setupIpfsIpc (apiUrl: () => string | null, trustedUrl: string): () => void {
  return handleIpc(IPC_CHANNELS.ipfsGet, trustedUrl, async payload => {
    const path = checkIpfsPath(payload)
    const base = apiUrl()
    if (base === null) throw new PreviewFetchError(path, 'the node is stopped')
    const response = await fetch(`${base}${path}`, { redirect: 'error' })
    if (response.status === 404) {
      await response.body?.cancel()
      return null
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw new PreviewFetchError(path, `the node answered ${response.status}`)
    }
    return await readBounded(response, path)
  })
}
