/** A browse request asks for something the index cannot answer as asked; `field` names the parameter. */
export class BrowseQueryError extends Error {
  override readonly name = 'BrowseQueryError'
  constructor (readonly field: string, detail: string) {
    super(`${field}: ${detail}`)
  }
}

/** The IPFS gateway given for images is not an https:// (or local http://) origin. */
export class ImageGatewayError extends Error {
  override readonly name = 'ImageGatewayError'
  readonly field = 'gateway'
  constructor (value: string, detail: string) {
    super(`The image gateway "${value.slice(0, 100)}" ${detail}. Give an address like https://ipfs.io.`)
  }
}
