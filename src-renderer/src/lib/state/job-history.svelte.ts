import type { JobSummaryInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'
import { describeProblem } from '../rules/problems.js'

/**
 * The imports and exports the node keeps (in its database, until cleared): listed on the Import
 * and export screen, so a report stays reachable after navigating away or a restart.
 */
export class JobHistoryList {
  jobs = $state<JobSummaryInfo[]>([])
  loaded = $state(false)
  problem = $state<string | null>(null)
  /** The job being cleared (its confirmation shown). */
  clearing = $state<JobSummaryInfo | null>(null)

  constructor (private readonly client: UiClient) {}

  async refresh (): Promise<void> {
    try {
      this.jobs = await this.client.call('job_history')
      this.problem = null
      this.loaded = true
    } catch (err) {
      this.problem = describeProblem(err)
    }
  }

  async clear (job: string): Promise<void> {
    try {
      this.jobs = await this.client.call('job_forget', job)
      this.problem = null
    } catch (err) {
      this.problem = describeProblem(err)
    } finally {
      this.clearing = null
    }
  }
}
