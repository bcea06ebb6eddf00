/**
 * What a meta contract's answer may write. A deployed contract is anyone's code: its answer is
 * checked here, by the engine, before anything is stored, and the validator and the dry run
 * (validate_metadata) read every answer through `readContractOutput`, so both judge alike.
 *
 * The rules (services/README.md, "What the node checks in an answer"):
 * - at most MAX_CONTRACT_WRITES slots per transaction;
 * - attribution: every slot is written under the key that signed the transaction. The binder's
 *   key, or a collaborator's, is written only by a transaction that key signed;
 * - content: JSON a version block holds (finite numbers, at most MAX_CONTENT_DEPTH levels), at
 *   most MAX_WRITE_CONTENT_BYTES;
 * - alias (≤ MAX_WRITE_ALIAS_BYTES) and version (≤ MAX_WRITE_VERSION_BYTES): no control or
 *   invisible characters (as in signed text), and no "/" or "\": slot names are never paths;
 * - loose is 0 or 1.
 * A refusal's reason is cut to MAX_CONTRACT_REASON_CHARS, with control and invisible characters escaped.
 */
import { checkJsonContent } from '../../dag/index.js'
import type { InvalidVersionBlockError, JsonValue } from '../../dag/index.js'
import { FORBIDDEN_CHARACTER } from '../signing/index.js'
import { MAX_CONTRACT_REASON_CHARS, MAX_CONTRACT_WRITES, MAX_WRITE_ALIAS_BYTES, MAX_WRITE_CONTENT_BYTES, MAX_WRITE_VERSION_BYTES } from './constants.js'
import { readContractResult } from './contract-records.js'
import { ContractResultError, SlotContentError, SlotContentTooLargeError, SlotNameError, TooManyWritesError, UnattributedWriteError } from './errors.js'
import type { FinalMetadata, TransactionRow } from './records.js'

/** One approved write, its content parsed. */
export interface ContractWrite {
  write: FinalMetadata
  content: JsonValue
}

/**
 * The contract's verdict on a transaction, once checked: its writes, or why the transaction is
 * refused (the contract's own reason, or `error` naming the rule its answer broke).
 */
export type ContractOutput =
  | { ok: true, writes: ContractWrite[] }
  | { ok: false, reason: string, error?: string }

/** Characters a slot name may not hold beyond those signed text refuses: path separators. */
const PATH_SEPARATOR = /[/\\]/u
/** Characters escaped when contract text is repeated in a reason. */
const UNSHOWABLE = new RegExp(FORBIDDEN_CHARACTER.source, 'gu')
/** Contract text (a key, an alias) repeated in a reason is cut to this many characters. */
const MAX_SHOWN_CHARS = 80

/** Reads and checks what a contract answered to `tx` (its on_execute result). Never throws. */
export function readContractOutput (answer: unknown, tx: Pick<TransactionRow, 'public_key'>): ContractOutput {
  try {
    return checkContractOutput(answer, tx)
  } catch (err) {
    const error = err as Error
    return { ok: false, reason: error.message, error: error.name }
  }
}

/** `readContractOutput`, throwing the named error of the first rule the answer breaks. */
export function checkContractOutput (answer: unknown, tx: Pick<TransactionRow, 'public_key'>): ContractOutput {
  const result = readContractResult(answer)
  if (typeof result === 'string') throw new ContractResultError(result)
  if (!result.result) {
    return { ok: false, reason: result.error_string === '' ? 'the meta contract rejected it without a reason' : contractReason(result.error_string) }
  }
  // Counted before anything else is read: a million writes cost one comparison.
  if (result.metadatas.length > MAX_CONTRACT_WRITES) throw new TooManyWritesError(result.metadatas.length, MAX_CONTRACT_WRITES)
  return { ok: true, writes: result.metadatas.map(write => checkWrite(write, tx.public_key)) }
}

function checkWrite (write: FinalMetadata, signer: string): ContractWrite {
  // readContractResult gives the key in its one form, the form tx.public_key is stored in.
  if (write.public_key !== signer) throw new UnattributedWriteError(shown(write.public_key), signer)
  checkName('alias', write.alias, MAX_WRITE_ALIAS_BYTES)
  checkName('version', write.version, MAX_WRITE_VERSION_BYTES)
  if (write.loose !== 0 && write.loose !== 1) throw new ContractResultError(`loose must be 0 (checked against a schema) or 1 (only parsed as JSON); got ${write.loose}.`)
  const slot = `the slot with alias "${shown(write.alias)}"`
  const bytes = Buffer.byteLength(write.content, 'utf8')
  if (bytes > MAX_WRITE_CONTENT_BYTES) throw new SlotContentTooLargeError(slot, bytes, MAX_WRITE_CONTENT_BYTES)
  let content: unknown
  try {
    content = JSON.parse(write.content)
  } catch {
    throw new SlotContentError(slot, 'is not JSON')
  }
  // What the version block's encoder requires: checked here, so a content it would refuse is
  // refused with the transaction rather than failing the commit of its whole group.
  try {
    checkJsonContent(content, 'content')
  } catch (err) {
    const { field, detail } = err as InvalidVersionBlockError
    throw new SlotContentError(slot, `cannot be stored: ${field} ${detail}`)
  }
  return { write, content }
}

function checkName (field: 'alias' | 'version', value: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(value, 'utf8')
  if (bytes > maxBytes) throw new SlotNameError(field, `is ${bytes} bytes long (UTF-8); the limit is ${maxBytes}`)
  const bad = FORBIDDEN_CHARACTER.exec(value) ?? PATH_SEPARATOR.exec(value)
  if (bad !== null) throw new SlotNameError(field, `"${shown(value)}" holds ${describe(bad[0])} at position ${bad.index}; slot names hold no control, invisible or path-separator characters`)
}

/** The contract's own reason, bounded and safe to show on one line. */
function contractReason (reason: string): string {
  const cut = reason.length > MAX_CONTRACT_REASON_CHARS ? `${reason.slice(0, MAX_CONTRACT_REASON_CHARS)}…` : reason
  return escape(cut)
}

/** Contract text repeated in a reason: escaped, and cut. */
function shown (text: string): string {
  return escape(text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text)
}

function escape (text: string): string {
  return text.replace(UNSHOWABLE, char => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`)
}

function describe (char: string): string {
  const code = char.codePointAt(0) ?? 0
  return char === '/' || char === '\\' ? `"${char}"` : `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}
