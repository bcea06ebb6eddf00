/**
 * A Marine host that runs AquaVM and the trusted services in this thread, through marine-js
 * itself, instead of js-client's worker. A worker round trip costs about 0.14 ms and a structured
 * clone of every argument each way, and an Aqua call takes four AquaVM runs, so the worker was
 * most of a local call's time. Only trusted Wasm is ever loaded here (AquaVM, keys, formatter);
 * user contracts run in the contract sandbox with their own time and memory budgets.
 */
import { readFile } from 'node:fs/promises'
import { MarineService } from '@fluencelabs/marine-js/MarineService'
import { defaultCallParameters } from '@fluencelabs/marine-js/types'
import type { CallParameters, JSONArray, JSONObject, LogMessage } from '@fluencelabs/marine-js/types'
import type { MarineHost } from './internals.js'

/** AquaVM's service id in js-client. */
const AVM_SERVICE_ID = 'avm'

async function packageFile (specifier: string): Promise<Uint8Array> {
  return await readFile(new URL(import.meta.resolve(specifier)))
}

/** The two Wasm modules the host needs: marine-js's control module and AquaVM. */
export async function loadMarineWasm (): Promise<{ control: WebAssembly.Module, avm: Uint8Array }> {
  const [control, avm] = await Promise.all([
    packageFile('@fluencelabs/marine-js/marine-js.wasm').then(async bytes => await WebAssembly.compile(bytes)),
    packageFile('@fluencelabs/avm/dist/avm.wasm'),
  ])
  return { control, avm }
}

export class InThreadMarineHost implements MarineHost {
  private readonly services = new Map<string, MarineService>()

  constructor (private readonly control: WebAssembly.Module, private readonly avmWasm: Uint8Array, private readonly onLog: (message: LogMessage) => void = () => {}) {}

  async start (): Promise<void> {
    if (!this.services.has(AVM_SERVICE_ID)) await this.createService(this.avmWasm, AVM_SERVICE_ID)
  }

  async stop (): Promise<void> {
    for (const service of this.services.values()) service.terminate()
    this.services.clear()
  }

  async createService (wasm: ArrayBuffer | Uint8Array, serviceId: string): Promise<void> {
    if (this.services.has(serviceId)) throw new Error(`service "${serviceId}" is already hosted`)
    const config = {
      modules_config: [{
        import_name: serviceId,
        config: { logger_enabled: true, logging_mask: 0, wasi: { envs: { WASM_LOG: 'off' }, preopened_files: new Set<string>(), mapped_dirs: new Map<string, string>() } },
      }],
    }
    const service = new MarineService(this.control, serviceId, this.onLog, config, { [serviceId]: new Uint8Array(wasm) })
    await service.init()
    this.services.set(serviceId, service)
  }

  async hasService (serviceId: string): Promise<boolean> {
    return this.services.has(serviceId)
  }

  async removeService (serviceId: string): Promise<void> {
    if (serviceId === AVM_SERVICE_ID) throw new Error('AquaVM cannot be removed')
    this.services.get(serviceId)?.terminate()
    this.services.delete(serviceId)
  }

  async callService (serviceId: string, fn: string, args: unknown[], callParams?: unknown): Promise<unknown> {
    const service = this.services.get(serviceId)
    if (service === undefined) throw new Error(`service with id=${serviceId} not found`)
    return service.call(fn, args as JSONArray | JSONObject, (callParams ?? defaultCallParameters) as CallParameters)
  }
}
