import type { ExportResultInfo, ImportProgressInfo, ImportReportInfo } from '../../../../src-main/api/rpc-types.js'
import type { NodeNotification, UiClient } from '../client/index.js'
import { formatBytes } from '../format.js'
import { rulesName } from '../rules/contract-words.js'
import { describeContractReason } from '../rules/plain-words.js'

/** Lines the dashboard's activity list keeps. */
const ACTIVITY_SIZE = 30

export interface ActivityItem {
  id: number
  time: number
  kind: 'applied' | 'rejected' | 'import' | 'export' | 'pin' | 'gc'
  text: string
  /** How many times in a row this same thing happened (an import writes hundreds of versions). */
  count: number
}

/**
 * The one bridge from the node's notifications to UI state: recent activity for the dashboard,
 * and the live progress of imports, exports and GC for the screens that show them.
 */
export class NodeActivity {
  items = $state<ActivityItem[]>([])
  imports = $state<Record<string, ImportProgressInfo>>({})
  importReports = $state<Record<string, ImportReportInfo>>({})
  importFailures = $state<Record<string, string>>({})
  exportProgress = $state<{ path: string, blocks: number, bytes: number, at: number } | null>(null)
  lastExport = $state<ExportResultInfo | null>(null)
  /** Bumped whenever a transaction is applied or rejected, so lists can refresh. */
  outcomes = $state(0)

  private next = 1
  private unsubscribe: (() => void) | undefined

  constructor (private readonly client: UiClient) {}

  start (): void {
    this.unsubscribe ??= this.client.onNotification(n => { this.receive(n) })
  }

  stop (): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  private add (kind: ActivityItem['kind'], text: string): void {
    const [latest, ...older] = this.items
    if (latest !== undefined && latest.kind === kind && latest.text === text) {
      this.items = [{ ...latest, time: Date.now(), count: latest.count + 1 }, ...older]
      return
    }
    this.items = [{ id: this.next++, time: Date.now(), kind, text, count: 1 }, ...this.items].slice(0, ACTIVITY_SIZE)
  }

  receive (n: NodeNotification): void {
    switch (n.method) {
      case 'lineage:transaction:applied':
        this.outcomes++
        this.add('applied', n.params.method === 'contract' ? `A collection now follows the rules: ${rulesName(n.params.meta_contract_id)}.` : 'Token metadata was published.')
        break
      case 'lineage:transaction:rejected':
        this.outcomes++
        this.add('rejected', `A change was refused by the collection's rules: ${describeContractReason(n.params.reason)}`)
        break
      case 'lineage:import:progress':
        this.imports = { ...this.imports, [n.params.job]: n.params }
        break
      case 'lineage:import:done':
        this.importReports = { ...this.importReports, [n.params.job]: n.params.report }
        this.add('import', `Import ${n.params.report.state === 'done' ? 'finished' : 'cancelled'}: ${n.params.report.applied.toLocaleString('en-US')} written, ${n.params.report.rejected_count.toLocaleString('en-US')} refused.`)
        break
      case 'lineage:import:failed':
        this.importFailures = { ...this.importFailures, [n.params.job]: n.params.error.message }
        this.add('import', `An import stopped: ${n.params.error.message}`)
        break
      case 'lineage:export:progress':
        this.exportProgress = { ...n.params, at: Date.now() }
        break
      case 'lineage:export:done':
        this.lastExport = n.params
        this.add('export', `Backup written: ${n.params.path} (${formatBytes(n.params.bytes)}).`)
        break
      case 'lineage:export:failed':
        this.add('export', `A backup failed: ${n.params.error.message}`)
        break
      case 'lineage:pin:done':
        this.add('pin', `Pinned ${n.params.cid.slice(0, 16)}… (${formatBytes(n.params.bytes)}).`)
        break
      case 'lineage:gc:done':
        if (!n.params.dry_run) this.add('gc', `Freed ${n.params.freed} blocks (${formatBytes(n.params.bytes)}).`)
        break
      default:
        break
    }
  }
}
