import type { BulkEditJobInfoWire, BulkEditParam, BulkOperationParam, BulkPreviewInfo, BulkPreviewItemInfo, BulkSelectionParam } from '../api/index.js'
import { shownText } from '../lineage/import/shown-text.js'
import { defaultDataDir } from '../node/local/index.js'
import { CliError, EXIT } from './errors.js'
import { untilInterrupted } from './interrupt.js'
import { nodeClient } from './node-client.js'
import type { NodeClient } from './node-client.js'
import { readPassphrase } from './passphrase.js'
import type { Output } from './start.js'
import { BULK_OPERATION_FLAGS } from './bulk-edit.js'
import type { BulkEditOptions } from './bulk-edit.js'

/** How often the running job is asked how far it got. */
const STATUS_POLL_MS = 500

const usage = (message: string): CliError => new CliError(message, EXIT.usage)

/** The operation the flags describe; a flag missing or one the operation does not take is refused before the node is asked. */
export function operationOf (o: BulkEditOptions): BulkOperationParam {
  const { op, needs } = BULK_OPERATION_FLAGS[o.op]
  for (const flag of ['trait', 'field', 'value', 'to'] as const) {
    const given = o[flag] !== undefined
    const needed = (needs as readonly string[]).includes(flag)
    if (needed && !given) throw usage(`${o.op} needs --${flag}.`)
    if (!needed && given) throw usage(`${o.op} does not take --${flag}.`)
  }
  if (o.number === true && o.value === undefined) throw usage('--number goes with --value.')
  let value: string | number | undefined = o.value
  if (o.number === true) {
    value = Number(o.value)
    if (o.value?.trim() === '' || !Number.isFinite(value)) throw usage(`--value "${shownText(o.value ?? '')}" is not a number (with --number it must be one, e.g. 7 or 2.5).`)
  }
  return { op, ...(o.trait === undefined ? {} : { trait_type: o.trait }), ...(o.field === undefined ? {} : { field: o.field }), ...(value === undefined ? {} : { value }), ...(o.to === undefined ? {} : { to: o.to }) } as BulkOperationParam
}

/** The tokens the flags choose: --tokens, or --all narrowed by --search and --where. */
export function selectionOf (o: BulkEditOptions): BulkSelectionParam {
  const filtered = o.search !== undefined || (o.where ?? []).length > 0
  if (o.tokens !== undefined && (o.all === true || filtered)) throw usage('Choose tokens one way: --tokens, or --all (narrowed by --search and --where), not both.')
  if (o.tokens !== undefined) return { token_ids: o.tokens.flatMap(t => t.split(',')).map(t => t.trim()).filter(t => t !== '') }
  if (o.all !== true) throw usage(filtered ? 'Add --all to edit every token matching --search and --where.' : 'Choose the tokens to edit: --tokens 1 2 3, or --all (every token, narrowed by --search and --where).')
  const traits = (o.where ?? []).map(w => {
    const at = w.indexOf('=')
    return { trait_type: w.slice(0, at), value: w.slice(at + 1) }
  })
  return { filter: { ...(o.search === undefined ? {} : { text: o.search }), ...(traits.length === 0 ? {} : { traits }) } }
}

const shown = (value: string | null): string => value === null ? '(none)' : shownText(value)

function itemLine (item: BulkPreviewItemInfo): string {
  const who = `#${shownText(item.token_id)}${item.name === '' ? '' : ` ${shownText(item.name)}`}`
  if (item.outcome !== 'change') return `  ${who}: ${item.outcome}, ${shownText(item.reason, 400)}`
  return `  ${who}: ${item.changes.map(c => `${shownText(c.label)}: ${shown(c.before)} → ${shown(c.after)}`).join('; ')}`
}

function printPreview (preview: BulkPreviewInfo, key: string, output: Output): void {
  output.out(`${shownText(preview.description, 400)}: ${preview.selected} selected, ${preview.change} will change, ${preview.unchanged} unchanged, ${preview.refused} refused.`)
  for (const item of preview.items) output.out(itemLine(item))
  if (preview.selected > preview.items.length) output.out(`  … and ${preview.selected - preview.items.length} more (the preview lists the first ${preview.items.length}).`)
  if (!preview.signer_is_binder) output.out(`The key "${shownText(key)}" did not bind this collection: its contract (${shownText(preview.meta_contract_id)}) may refuse documents signed with it.`)
}

async function follow (node: NodeClient, started: BulkEditJobInfoWire, signal: AbortSignal, output: Output): Promise<BulkEditJobInfoWire> {
  let cancelled = false
  let shownDone = -1
  for (let status = started; ;) {
    if (signal.aborted && !cancelled) {
      cancelled = true
      output.err('Cancelling after the batch being published…')
      status = await node.call<BulkEditJobInfoWire>('bulk_edit_cancel', [started.job])
    }
    if (status.done !== shownDone) {
      shownDone = status.done
      output.err(`published ${status.done}/${status.total} tokens (${status.changed} changed, ${status.unchanged} unchanged, ${status.refused} refused)`)
    }
    if (!status.running && status.state !== 'running') return status
    await new Promise(resolve => setTimeout(resolve, STATUS_POLL_MS))
    status = await node.call<BulkEditJobInfoWire>('bulk_edit_status', [started.job])
  }
}

/**
 * `lineage-node bulk-edit`: the RPC bulk_edit_* methods of the running node (as the UI's bulk
 * edit): without --yes only the preview is printed; with it the key is unlocked once, every change
 * signed and published a batch per commit, progress on stderr, Ctrl+C cancelling between batches.
 */
export async function runBulkEdit (chainId: string, address: string, o: BulkEditOptions, output: Output): Promise<void> {
  const edit: BulkEditParam = { chain_id: chainId, token_address: address, selection: selectionOf(o), operation: operationOf(o), key: o.key }
  const node = nodeClient(o.dataDir ?? defaultDataDir())
  const preview = await node.call<BulkPreviewInfo>('bulk_edit_preview', [edit])
  if (o.json === true && o.yes !== true) { output.out(JSON.stringify(preview, null, 2)); return }
  printPreview(preview, o.key, output)
  if (o.yes !== true) { output.out('Nothing was changed. Run again with --yes to sign and publish it.'); return }
  if (preview.change === 0) { output.out('Nothing to publish: no selected token would change.'); return }
  const passphrase = await readPassphrase(`Passphrase of the key "${shownText(o.key)}": `)
  const end = await untilInterrupted(async signal => {
    const started = await node.call<BulkEditJobInfoWire>('bulk_edit_apply', [edit, passphrase])
    return await follow(node, started, signal, output)
  })
  if (o.json === true) output.out(JSON.stringify(end, null, 2))
  else {
    output.out(`${end.state === 'done' ? 'Done' : 'Stopped'}: ${end.changed} changed, ${end.unchanged} unchanged, ${end.refused} refused (job ${shownText(end.job)}).`)
    for (const r of end.refused_items.slice(0, 100)) output.out(`  refused #${shownText(r.token_id)}: ${shownText(r.reason, 400)}`)
  }
  if (end.state === 'cancelled') throw new CliError(`Cancelled after ${end.done} of ${end.total} tokens: the tokens changed so far stay changed, the others keep their documents. Run the same command again to finish the rest.`)
  if (end.state === 'failed') throw new CliError(`The bulk edit failed: ${shownText(end.error, 400)}`)
}

