import type { Command } from 'commander'
import type { RemotePinInfoWire, RemotePinServiceInfoWire, RemotePinStatusName } from '../api/index.js'
import { defaultDataDir } from '../node/local/index.js'
import { CliError } from './errors.js'
import { nodeClient } from './node-client.js'
import type { Output } from './start.js'

/** Environment variable a script sets to give a pinning service's access token. */
export const PINNING_TOKEN_ENV = 'LINEAGE_PINNING_TOKEN'

const STATUSES: RemotePinStatusName[] = ['queued', 'pinning', 'pinned', 'failed']

/**
 * The access token: from a file or LINEAGE_PINNING_TOKEN, never a flag's value, which would stay
 * in the shell history and the process list.
 */
async function readToken (tokenFile: string | undefined): Promise<string> {
  if (tokenFile !== undefined) {
    // Loaded only here, so listing the commands does not load the remote-pinning module.
    const [{ MAX_TOKEN_LENGTH }, { readFileArgument }] = await Promise.all([import('../remote-pinning/index.js'), import('./files.js')])
    // The longest token the node accepts, with room for whitespace around it.
    const maxTokenFileBytes = MAX_TOKEN_LENGTH + 1024
    return (await readFileArgument(tokenFile, 'token file', maxTokenFileBytes)).toString('utf8').trim()
  }
  const fromEnv = process.env[PINNING_TOKEN_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  throw new CliError(`The service's access token is needed: set ${PINNING_TOKEN_ENV}, or pass --token-file <file>.`)
}

const describeService = (s: RemotePinServiceInfoWire): string =>
  `${s.name}\t${s.endpoint}\ttoken ${s.token}\t${s.auto_pin ? 'pins everything' : 'on request'}\t${STATUSES.map(status => `${s.pins[status]} ${status}`).join(', ')}`

const describePin = (p: RemotePinInfoWire): string =>
  `${p.cid}\t${p.service}\t${p.status}${p.reason === '' ? '' : `\t${p.reason}`}`

/** `lineage-node pin remote add|rm|ls` and `pin remote service add|rm|ls`, under the `pin` command. */
export function addRemotePinCommands (pin: Command, output: Output, dataDir: { flags: string, help: string, parse: (value: string) => string }): void {
  const client = (options: { dataDir?: string }): ReturnType<typeof nodeClient> => nodeClient(options.dataDir ?? defaultDataDir())
  const remote = pin.command('remote').description('pins kept by a pinning service (IPFS Pinning Service API) as well')

  remote.command('add <cid>')
    .description('ask a pinning service to pin a CID pinned here; the node follows the request until it is pinned or failed')
    .requiredOption('--service <name>', 'the service, as added with `pin remote service add`')
    .option('--name <name>', 'a name for the pin at the service (default: the local pin\'s name)')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (cid: string, options: { service: string, name?: string, dataDir?: string }) => {
      const added = await client(options).call<RemotePinInfoWire>('remote_pin_add', [cid, options.service, ...(options.name === undefined ? [] : [options.name])])
      output.out(`Sent ${added.cid} to ${added.service}: ${added.status} (request ${added.requestid ?? '—'}). See \`lineage-node pin remote ls\` for its status.`)
    })
  remote.command('rm <cid>')
    .description('remove a pin request at the service')
    .requiredOption('--service <name>', 'the service')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (cid: string, options: { service: string, dataDir?: string }) => {
      const removed = await client(options).call<RemotePinInfoWire>('remote_pin_rm', [cid, options.service])
      output.out(`Removed ${removed.cid} from ${removed.service}`)
    })
  remote.command('ls')
    .description('list pins sent to pinning services, with each request\'s status')
    .option('--service <name>', 'only this service')
    .option('--status <status>', `only this status: ${STATUSES.join(', ')}`)
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (options: { service?: string, status?: string, json?: boolean, dataDir?: string }) => {
      const filter = { ...(options.service === undefined ? {} : { service: options.service }), ...(options.status === undefined ? {} : { status: options.status }) }
      const pins = await client(options).call<RemotePinInfoWire[]>('remote_pin_ls', [filter])
      if (options.json === true) output.out(JSON.stringify(pins, null, 2))
      else if (pins.length === 0) output.out('No remote pins.')
      else for (const p of pins) output.out(describePin(p))
    })

  const service = remote.command('service').description('pinning services: name, endpoint and access token')
  service.command('add <name> <endpoint>')
    .description(`add a pinning service; the access token comes from --token-file or $${PINNING_TOKEN_ENV} and is never shown again`)
    .option('--token-file <file>', 'a file holding the access token')
    .option('--auto', 'push every pin this node makes to this service')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (name: string, endpoint: string, options: { tokenFile?: string, auto?: boolean, dataDir?: string }) => {
      const added = await client(options).call<RemotePinServiceInfoWire>('remote_pin_service_add', [name, endpoint, await readToken(options.tokenFile), options.auto === true])
      output.out(`Added ${describeService(added)}`)
    })
  service.command('rm <name>')
    .description('forget a pinning service (the pins it holds stay there)')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (name: string, options: { dataDir?: string }) => {
      const removed = await client(options).call<RemotePinServiceInfoWire>('remote_pin_service_rm', [name])
      output.out(`Removed the pinning service ${removed.name}`)
    })
  service.command('ls')
    .description('list pinning services (tokens masked) with their pins by status')
    .option('--json', 'as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (options: { json?: boolean, dataDir?: string }) => {
      const services = await client(options).call<RemotePinServiceInfoWire[]>('remote_pin_service_ls')
      if (options.json === true) output.out(JSON.stringify(services, null, 2))
      else if (services.length === 0) output.out('No pinning services. Add one with `lineage-node pin remote service add <name> <endpoint>`.')
      else for (const s of services) output.out(describeService(s))
    })
}
