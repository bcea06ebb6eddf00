// Loads a Marine module into marine-js and calls it directly, in this thread (no AquaVM).
import { readFile } from 'node:fs/promises'
import { defaultCallParameters } from '@fluencelabs/marine-js/types'
import type { CallParameters, LogMessage } from '@fluencelabs/marine-js/types'
import { MarineCallError } from './errors.js'
import { parseResult, stringifyArgs } from './json.js'

interface ControlModule {
  register_module(config: unknown, modules: Record<string, Uint8Array>, logFn: (message: LogMessage) => void): string
  call_module(moduleName: string, functionName: string, args: string, callParameters: CallParameters): string
}

type InitControl = (module: WebAssembly.Module) => Promise<ControlModule>

export type MarineLogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug' | 'trace'

export interface LoadMarineServiceOptions {
  /** Messages the module logs through the host logger (default: dropped). */
  onLog?: (message: LogMessage) => void
  /** WASM_LOG level for the module (default 'info' when onLog is set, else 'off'). */
  logLevel?: MarineLogLevel
  callParameters?: CallParameters
}

export interface MarineServiceHandle {
  readonly serviceId: string
  /** Calls an exported function; args by position or by name. 64-bit integers may be bigint. */
  call(functionName: string, args: unknown[] | Record<string, unknown>): unknown
  terminate(): void
}

let control: Promise<{ wasm: WebAssembly.Module; init: InitControl }> | undefined

// marine-js's package exports hide marine_js.js, whose call_module returns the raw JSON text we
// need for exact 64-bit results; it sits next to the exported MarineService module.
async function loadControl(): Promise<{ wasm: WebAssembly.Module; init: InitControl }> {
  const serviceUrl = import.meta.resolve('@fluencelabs/marine-js/MarineService')
  const glue = (await import(new URL('./marine_js.js', serviceUrl).href)) as { init: InitControl }
  const bytes = await readFile(new URL('./marine-js.wasm', serviceUrl))
  return { wasm: await WebAssembly.compile(bytes), init: glue.init }
}

export async function loadMarineService(
  wasm: Uint8Array,
  serviceId: string,
  options: LoadMarineServiceOptions = {},
): Promise<MarineServiceHandle> {
  control ??= loadControl()
  const { wasm: controlWasm, init } = await control
  const instance = await init(controlWasm)
  const level = options.logLevel ?? (options.onLog === undefined ? 'off' : 'info')
  const config = {
    modules_config: [{
      import_name: serviceId,
      config: {
        logger_enabled: true,
        logging_mask: 0,
        wasi: { envs: { WASM_LOG: level }, preopened_files: new Set<string>(), mapped_dirs: new Map<string, string>() },
      },
    }],
  }
  const onLog = options.onLog ?? (() => {})
  try {
    instance.register_module(config, { [serviceId]: wasm }, onLog)
  } catch (err) {
    throw new MarineCallError(`marine-js could not load service "${serviceId}": ${describe(err)}`)
  }
  const callParameters = options.callParameters ?? defaultCallParameters
  let live = true
  return {
    serviceId,
    call(functionName, args) {
      if (!live) throw new MarineCallError(`service "${serviceId}" was terminated`)
      let raw: string
      try {
        raw = instance.call_module(serviceId, functionName, stringifyArgs(args), callParameters)
      } catch (err) {
        throw new MarineCallError(`${serviceId}.${functionName} failed: ${describe(err)}`)
      }
      return parseResult(raw)
    },
    terminate() {
      live = false
    },
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
