/**
 * A Marine host that runs AquaVM and the trusted services in this thread, through marine-js
 * itself, instead of js-client's worker. A worker round trip costs about 0.14 ms and a structured
 * clone of every argument each way, and an Aqua call takes four AquaVM runs, so the worker was
 * most of a local call's time. Only trusted Wasm is ever loaded here (AquaVM, keys, formatter);
 * user contracts run in the contract sandbox with their own time and memory budgets.
 *
 * Every service, AquaVM too, is instantiated on its first call: an idle node that no particle
 * reaches holds none of them. AquaVM alone is about 18 MiB of linear memory and its 6 MB module's
 * compiled code (docs/BENCHMARKS.md, "Where memory goes").
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

export class InThreadMarineHost implements MarineHost {
  private readonly services = new Map<string, Promise<MarineService>>()
  /** Registered modules not made yet, by service id; AquaVM's is read from its package when first called. */
  private readonly modules = new Map<string, Uint8Array | undefined>()
  /** marine-js's control module, compiled once for every service. */
  private control: Promise<WebAssembly.Module> | undefined

  constructor (private readonly onLog: (message: LogMessage) => void = () => {}) {}

  async start (): Promise<void> {
    if (!this.modules.has(AVM_SERVICE_ID) && !this.services.has(AVM_SERVICE_ID)) this.modules.set(AVM_SERVICE_ID, undefined)
  }

  async stop (): Promise<void> {
    const made = [...this.services.values()]
    this.services.clear()
    this.modules.clear()
    for (const service of await Promise.allSettled(made)) if (service.status === 'fulfilled') service.value.terminate()
  }

  async createService (wasm: ArrayBuffer | Uint8Array, serviceId: string): Promise<void> {
    if (await this.hasService(serviceId)) throw new Error(`service "${serviceId}" is already hosted`)
    // A copy: the caller's buffer may be reused, and only these bytes are kept until the first call.
    this.modules.set(serviceId, new Uint8Array(wasm).slice())
  }

  async hasService (serviceId: string): Promise<boolean> {
    return this.modules.has(serviceId) || this.services.has(serviceId)
  }

  async removeService (serviceId: string): Promise<void> {
    if (serviceId === AVM_SERVICE_ID) throw new Error('AquaVM cannot be removed')
    this.modules.delete(serviceId)
    const made = this.services.get(serviceId)
    this.services.delete(serviceId)
    if (made !== undefined) (await made).terminate()
  }

  async callService (serviceId: string, fn: string, args: unknown[], callParams?: unknown): Promise<unknown> {
    const service = await this.service(serviceId)
    return service.call(fn, args as JSONArray | JSONObject, (callParams ?? defaultCallParameters) as CallParameters)
  }

  /** The service's instance, made on its first call. */
  private async service (serviceId: string): Promise<MarineService> {
    const made = this.services.get(serviceId)
    if (made !== undefined) return await made
    if (!this.modules.has(serviceId)) throw new Error(`service with id=${serviceId} not found`)
    const wasm = this.modules.get(serviceId)
    this.modules.delete(serviceId)
    const making = this.make(serviceId, wasm)
    this.services.set(serviceId, making)
    // A module that cannot be made is forgotten (as a failed createService would be), not retried on every call.
    making.catch(() => { if (this.services.get(serviceId) === making) this.services.delete(serviceId) })
    return await making
  }

  private async make (serviceId: string, wasm: Uint8Array | undefined): Promise<MarineService> {
    this.control ??= packageFile('@fluencelabs/marine-js/marine-js.wasm').then(async bytes => await WebAssembly.compile(bytes))
    const [control, bytes] = await Promise.all([this.control, wasm ?? packageFile('@fluencelabs/avm/dist/avm.wasm')])
    const config = {
      modules_config: [{
        import_name: serviceId,
        config: { logger_enabled: true, logging_mask: 0, wasi: { envs: { WASM_LOG: 'off' }, preopened_files: new Set<string>(), mapped_dirs: new Map<string, string>() } },
      }],
    }
    const service = new MarineService(control, serviceId, this.onLog, config, { [serviceId]: bytes })
    await service.init()
    return service
  }
}
