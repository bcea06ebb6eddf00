/** A download link that is unknown, already used or expired. */
export class DownloadNotFoundError extends Error {
  override readonly name = 'DownloadNotFoundError'
  constructor () {
    super('This download link was used already or has expired (a link lasts a minute). Start the export again.')
  }
}

/** Too many download links are open at once. */
export class DownloadLimitError extends Error {
  override readonly name = 'DownloadLimitError'
  constructor (limit: number) {
    super(`${limit} downloads are waiting to start already; let them start (or wait a minute for them to expire) and try again.`)
  }
}
