/** The public gateway listener could not listen where it was told (address in use or not this machine's). */
export class PublicGatewayListenError extends Error {
  override readonly name = 'PublicGatewayListenError'
  constructor (readonly address: string, reason: string) {
    super(`The public gateway cannot listen on ${address}: ${reason}`)
  }
}
