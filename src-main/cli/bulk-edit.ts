import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import type { BulkOperationParam } from '../api/index.js'
import type { Output } from './start.js'

interface DataDirOption { flags: string, help: string, parse: (value: string) => string }

/** The operations, as the command line spells them, and the flags each needs. */
export const BULK_OPERATION_FLAGS = {
  'set-trait': { op: 'set_trait', needs: ['trait', 'value'] },
  'rename-trait': { op: 'rename_trait', needs: ['trait', 'to'] },
  'remove-trait': { op: 'remove_trait', needs: ['trait'] },
  'set-field': { op: 'set_field', needs: ['field', 'value'] },
  'rename-field': { op: 'rename_field', needs: ['field', 'to'] },
  'remove-field': { op: 'remove_field', needs: ['field'] },
} as const satisfies Record<string, { op: BulkOperationParam['op'], needs: Array<'trait' | 'field' | 'value' | 'to'> }>
export type BulkEditOperationName = keyof typeof BULK_OPERATION_FLAGS
/** The operations' names on the command line. */
export const BULK_EDIT_OPERATIONS = Object.keys(BULK_OPERATION_FLAGS) as BulkEditOperationName[]

export interface BulkEditOptions {
  key: string
  op: BulkEditOperationName
  trait?: string
  field?: string
  value?: string
  number?: boolean
  to?: string
  tokens?: string[]
  all?: boolean
  search?: string
  where?: string[]
  yes?: boolean
  json?: boolean
  dataDir?: string
}

// Stays light (commander only, types and a constant): the run logic is imported inside the action.
// JSON.stringify quotes what the person typed, escaping control characters.
function parseOperation (value: string): BulkEditOperationName {
  if ((BULK_EDIT_OPERATIONS as readonly string[]).includes(value)) return value as BulkEditOperationName
  throw new InvalidArgumentError(`${JSON.stringify(value.slice(0, 80))} is not an operation; choose one of ${BULK_EDIT_OPERATIONS.join(', ')}.`)
}

/** `Fur=Red` → a trait filter; the first "=" splits, so a value may hold more. */
function parseWhere (value: string, previous: string[] = []): string[] {
  if (!value.includes('=') || value.startsWith('=') || value.endsWith('=')) throw new InvalidArgumentError(`${JSON.stringify(value.slice(0, 80))} is not a trait filter: write it as <trait>=<value>, e.g. Fur=Red.`)
  return [...previous, value]
}

/** `lineage-node bulk-edit`: the command tree side (the running is in bulk-edit-run.ts). */
export function addBulkEditCommand (program: Command, output: Output, dataDir: DataDirOption): void {
  // program.command (not addCommand): the subcommand inherits exitOverride and the output settings.
  program.command('bulk-edit <chainId> <address>')
    .description('set, rename or remove a trait or a field in many tokens at once: prints the preview; --yes signs once and publishes')
    .requiredOption('--key <name>', 'the key whose documents are edited and that signs them')
    .requiredOption('--op <op>', `what to do: ${BULK_EDIT_OPERATIONS.join(', ')}`, parseOperation)
    .option('--trait <type>', 'the trait (set-trait, rename-trait, remove-trait)')
    .option('--field <name>', 'the top-level field, e.g. description (set-field, rename-field, remove-field)')
    .option('--value <value>', 'the new value (set-trait, set-field)')
    .option('--number', 'the value is a number, not text')
    .option('--to <name>', 'the new name (rename-trait, rename-field)')
    .option('--tokens <ids...>', 'the tokens to edit, by id (spaces or commas between)')
    .option('--all', 'every token of the collection matching --search and --where')
    .option('--search <text>', 'with --all: tokens whose name or description holds these words')
    .option('--where <trait=value>', 'with --all: tokens with this trait value (repeat it for more)', parseWhere)
    .option('--yes', 'sign and publish it (without: only show the preview)')
    .option('--json', 'print the preview, or the finished job, as JSON')
    .option(dataDir.flags, dataDir.help, dataDir.parse)
    .action(async (chainId: string, address: string, o: BulkEditOptions) => { await (await import('./bulk-edit-run.js')).runBulkEdit(chainId, address, o, output) })
}
