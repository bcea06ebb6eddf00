/** The identity key file exists but cannot be used. */
export class IdentityError extends Error {
  override readonly name = 'IdentityError'
  constructor (readonly path: string, detail: string) {
    super(`The node identity ${path} cannot be used (${detail}). Move it away to let the node create a new identity (the node's peer id will change).`)
  }
}

/** A configuration value is out of range or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor (readonly field: string, detail: string) {
    super(`${field}: ${detail}`)
  }
}

/** The built Marine services are not where the node expects them. */
export class ServicesMissingError extends Error {
  override readonly name = 'ServicesMissingError'
  constructor (readonly path: string) {
    super(`Lineage's Marine services are missing (${path} not found). Run \`npm run build\`, or reinstall the app.`)
  }
}

/** start() was called while the node was stopping, or stop() while starting. */
export class NodeStateError extends Error {
  override readonly name = 'NodeStateError'
  constructor (action: string, state: string) {
    super(`Cannot ${action} the node while it is ${state}.`)
  }
}

/** stop() was called while the node was starting: what had started is stopped again. */
export class NodeStartCancelledError extends Error {
  override readonly name = 'NodeStartCancelledError'
  constructor () {
    super('The node was stopped while it was starting.')
  }
}
