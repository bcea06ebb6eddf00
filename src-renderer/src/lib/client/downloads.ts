/**
 * A backup saved by the browser in browser mode: the node is asked (with the API token) for a
 * single-use link to the CAR, then the browser follows it as a normal download, showing its own
 * progress and cancel. The desktop app saves through its save dialog instead (export_car).
 */
import { storedToken } from './session.js'

export interface DownloadStarted {
  /** The file name the browser saves it under. */
  name: string
  roots: string[]
  transactions: number
  heads: number
  pins: number
  contracts: number
}

/** Why the node did not give the download, in its words. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError'
}

/** Opens the export on the node and hands its link to the browser's downloads. No tokenKey: everything the node keeps. */
export async function downloadBackup (tokenKey: string | undefined, name: string, win: Window = window, base = ''): Promise<DownloadStarted> {
  const query = new URLSearchParams({ name, ...(tokenKey === undefined ? {} : { token_key: tokenKey }) })
  let response: Response
  try {
    response = await win.fetch(`${base}/downloads?${query.toString()}`, { method: 'POST', headers: { authorization: `Bearer ${storedToken(win) ?? ''}` } })
  } catch {
    throw new DownloadError('The node could not be reached; check that it still runs.')
  }
  const answer = await response.json().catch(() => null) as (DownloadStarted & { url: string, error?: string }) | null
  if (!response.ok || answer === null) throw new DownloadError(answer?.error ?? `The node refused the download (HTTP ${response.status}).`)
  const link = win.document.createElement('a')
  link.href = `${base}${answer.url}`
  link.download = answer.name
  link.click()
  return answer
}
