/** One class per way an upload is refused; the HTTP status of each is in routes.ts. */

export class UploadNotFoundError extends Error {
  override readonly name = 'UploadNotFoundError'
  constructor () {
    super('There is no such upload (it was cancelled, finished, or the node restarted). Choose the files again.')
  }
}

export class UploadNameError extends Error {
  override readonly name = 'UploadNameError'
  constructor (detail: string) {
    super(`This file name is refused: ${detail}.`)
  }
}

export class UploadExistsError extends Error {
  override readonly name = 'UploadExistsError'
  constructor (name: string) {
    super(`A file named ${JSON.stringify(name)} was already uploaded here; two files cannot share a name.`)
  }
}

export class UploadTooLargeError extends Error {
  override readonly name = 'UploadTooLargeError'
  constructor (detail: string) {
    super(`The upload is too large: ${detail}.`)
  }
}

export class UploadLimitError extends Error {
  override readonly name = 'UploadLimitError'
  constructor (detail: string) {
    super(detail)
  }
}
