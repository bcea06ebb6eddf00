import { formatterFromService } from '../../src-main/marine/index.js'
import type { MetadataFormatter } from '../../src-main/marine/index.js'
import { loadMarineService } from '../../services/toolchain/index.js'
import { builtService } from './services.js'

export interface CountingFormatter extends MetadataFormatter {
  /** Documents formatted since it was made or last set to 0: how tests see what was (not) formatted again. */
  calls: number
  terminate(): void
}

/** The real Marine `formatter` service, counting its calls. */
export async function loadCountingFormatter (): Promise<CountingFormatter> {
  const service = await loadMarineService(builtService('formatter'), 'formatter')
  const real = formatterFromService(service)
  const formatter: CountingFormatter = {
    calls: 0,
    format: (tokenId, slots) => { formatter.calls++; return real.format(tokenId, slots) },
    terminate: () => { service.terminate() },
  }
  return formatter
}
