import type { RemotePinInfoWire, RemotePinServiceInfoWire, RemotePinStatusName } from '../../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../../client/index.js'
import { describeProblem, fieldOfProblem } from '../../rules/problems.js'

/** How often the Pins screen asks the node for remote statuses (the node follows each request itself). */
export const REMOTE_PIN_REFRESH_MS = 3_000

/** Status words a creator reads. */
export const STATUS_LABELS: Record<RemotePinStatusName, string> = {
  queued: 'Waiting at the service',
  pinning: 'Being copied',
  pinned: 'Kept by the service',
  failed: 'Failed',
}

export interface NewService {
  name: string
  endpoint: string
  token: string
  auto_pin: boolean
}

/** The pinning services and the pins sent to them, refreshed while the Pins screen is open. */
export class RemotePins {
  services = $state<RemotePinServiceInfoWire[]>([])
  pins = $state<RemotePinInfoWire[]>([])
  problem = $state<string | null>(null)
  /** The input a problem is about (name, endpoint, token), to mark it. */
  field = $state<string | null>(null)
  busy = $state(false)

  constructor (private readonly client: UiClient) {}

  /** The requests for one local pin, one per service it was sent to. */
  of (cid: string): RemotePinInfoWire[] {
    return this.pins.filter(p => p.cid === cid)
  }

  async refresh (): Promise<void> {
    try {
      const [services, pins] = await Promise.all([this.client.call('remote_pin_service_ls'), this.client.call('remote_pin_ls')])
      this.services = services
      this.pins = pins
    } catch (err) {
      this.problem = describeProblem(err)
    }
  }

  /** Refreshes every REMOTE_PIN_REFRESH_MS until the returned function is called. */
  watch (): () => void {
    void this.refresh()
    const timer = setInterval(() => { void this.refresh() }, REMOTE_PIN_REFRESH_MS)
    return () => { clearInterval(timer) }
  }

  /** Resolves true when the service was added; otherwise `problem` and `field` say why. */
  async addService (input: NewService): Promise<boolean> {
    return await this.run(async () => { await this.client.call('remote_pin_service_add', input.name, input.endpoint, input.token, input.auto_pin) })
  }

  async removeService (name: string): Promise<boolean> {
    return await this.run(async () => { await this.client.call('remote_pin_service_rm', name) })
  }

  async push (cid: string, service: string): Promise<boolean> {
    return await this.run(async () => { await this.client.call('remote_pin_add', cid, service) })
  }

  async remove (cid: string, service: string): Promise<boolean> {
    return await this.run(async () => { await this.client.call('remote_pin_rm', cid, service) })
  }

  private async run (work: () => Promise<void>): Promise<boolean> {
    this.busy = true
    this.problem = null
    this.field = null
    try {
      await work()
      return true
    } catch (err) {
      this.problem = describeProblem(err)
      this.field = fieldOfProblem(err)
      return false
    } finally {
      this.busy = false
      await this.refresh()
    }
  }
}
