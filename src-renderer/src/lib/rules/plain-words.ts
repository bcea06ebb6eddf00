/**
 * Invalid input in a creator's words: which form field it concerns (by its label on screen, never
 * its wire name) and what to type instead. Decided from the error's data (the field, and the
 * schema rule it broke: an ajv keyword and its bound), never from the node's text, which is
 * written for developers (JSON pointers, patterns, "uint256").
 */

/** The labels the app's forms give the node's fields; a form passes its own to override them. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  token_address: 'NFT contract address',
  address: 'NFT contract address',
  chain_id: 'Network',
  token_id: 'Token number',
  meta_contract_id: 'Collection rules',
  path: 'Path',
  key: 'Key',
  name: 'Name',
  passphrase: 'Passphrase',
  data: 'Metadata',
  mcdata: 'Rules settings',
  alias: 'Document name',
  version: 'Version',
  public_key: 'Public key',
  cid: 'Content address',
  peer: 'Peer address',
  multiaddr: 'Peer address',
  url: 'Address',
  endpoint: 'API address',
  token: 'Token',
  id: 'Id',
  options: 'Settings',
  query: 'Search',
}

/** What a good value of a field looks like, said once per field. */
const FIELD_HOW: Readonly<Record<string, string>> = {
  token_address: 'An address is 0x followed by 40 digits and letters a to f, as Etherscan shows it. Copy it from your contract\'s page.',
  address: 'An address is 0x followed by 40 digits and letters a to f, as Etherscan shows it. Copy it from your contract\'s page.',
  chain_id: 'Choose the network your NFT contract is deployed on.',
  token_id: 'A token number is a whole number such as 42, without spaces or leading zeros.',
  meta_contract_id: 'Choose the rules the collection uses from the list.',
  path: 'Give the full path of a folder or file on the node\'s computer, such as /home/you/lanterns.',
  key: 'Choose one of your keys, or create one on the Keys screen.',
  name: 'Use letters, digits, "-" and "_".',
  passphrase: 'Type the passphrase you chose for this key.',
  data: 'Check the metadata in the form.',
  public_key: 'Choose one of your keys.',
  cid: 'A content address starts with bafy… or Qm…; copy it from the History or Pins screen.',
  peer: 'Copy the whole address from the other node\'s Peers & sync screen.',
  multiaddr: 'Copy the whole address from the other node\'s Peers & sync screen.',
}

/** The schema rules a value can break (every ajv keyword our RPC schemas use), in words. */
export const RULE_WORDS: Readonly<Record<string, (limit?: number) => string>> = {
  required: () => 'is empty',
  minLength: limit => limit === undefined || limit <= 1 ? 'is empty' : `is too short (at least ${limit} characters)`,
  maxLength: limit => limit === undefined ? 'is too long' : `is too long (at most ${limit.toLocaleString('en-US')} characters)`,
  minItems: limit => limit === undefined || limit <= 1 ? 'needs at least one entry' : `needs at least ${limit} entries`,
  maxItems: limit => limit === undefined ? 'has too many entries' : `has too many entries (at most ${limit.toLocaleString('en-US')})`,
  minimum: limit => limit === undefined ? 'is too small' : `is too small (at least ${limit.toLocaleString('en-US')})`,
  exclusiveMinimum: limit => limit === undefined ? 'is too small' : `must be more than ${limit.toLocaleString('en-US')}`,
  maximum: limit => limit === undefined ? 'is too large' : `is too large (at most ${limit.toLocaleString('en-US')})`,
  exclusiveMaximum: limit => limit === undefined ? 'is too large' : `must be less than ${limit.toLocaleString('en-US')}`,
  minProperties: () => 'is empty',
  maxProperties: () => 'has too many entries',
  pattern: () => 'is not in the right form',
  format: () => 'is not in the right form',
  type: () => 'is not the right kind of value',
  enum: () => 'is not one of the choices',
  const: () => 'is not one of the choices',
  anyOf: () => 'is not in the right form',
  oneOf: () => 'is not in the right form',
  not: () => 'is not allowed here',
  multipleOf: () => 'must be a whole number',
  uniqueItems: () => 'lists the same entry twice',
  additionalProperties: () => 'is not something this form sends',
  propertyNames: () => 'has a name that is not allowed',
  dependentRequired: () => 'needs another field filled in too',
}

export interface FieldProblem {
  field: string
  keyword?: string
  limit?: number
  property?: string
}

/** What an invalid-params error's data says, when it names a field. */
export function fieldProblemOf (err: unknown): FieldProblem | null {
  const data = (err as { data?: Record<string, unknown> } | null)?.data
  if (typeof data?.field !== 'string') return null
  return {
    field: data.field,
    ...(typeof data.keyword === 'string' ? { keyword: data.keyword } : {}),
    ...(typeof data.limit === 'number' ? { limit: data.limit } : {}),
    ...(typeof data.property === 'string' ? { property: data.property } : {}),
  }
}

/** Text written for developers: wire names (token_address), JSON pointers, patterns, ajv's phrasing, Solidity types. */
// (A path the person typed, /home/me/art, is theirs and stays; a pointer has a wire name or an index.)
const DEVELOPER_TEXT = /[A-Za-z]+_[A-Za-z_]+|\/\d+(\/|\b)|[\^$\\]|\[0-9a-f|must NOT|uint256|\bparams?\b|\bJSON\b|\bCID\b/

/**
 * The node's own sentence for a field (handwritten, not a schema rule), without the wire name it
 * starts with; null when it still reads like developer text, so the form's words are used instead.
 */
export function nodeSentence (message: string, field: string): string | null {
  const text = message.replace(/^Invalid (params|transaction): /, '').replace(new RegExp(`^${field.replace(/[^\w]/g, '')}(\\.\\w+)*:? `), '').trim()
  if (text === '' || DEVELOPER_TEXT.test(text)) return null
  return text
}

/** "NFT contract address is empty. An address is 0x…": the label, the rule in words, and what to do. */
export function describeFieldProblem (problem: FieldProblem, labels: Readonly<Record<string, string>> = {}, message = ''): string {
  // A field inside a parameter (options.chain_id) is what a form shows: name that one when known.
  const field = problem.property !== undefined && (labels[problem.property] ?? FIELD_LABELS[problem.property]) !== undefined ? problem.property : problem.field
  const label = labels[field] ?? FIELD_LABELS[field]
  const rule = problem.keyword === undefined ? undefined : RULE_WORDS[problem.keyword]
  const what = rule === undefined ? 'is not right' : rule(problem.limit)
  const how = FIELD_HOW[field]
  // Not a schema rule: the node's own words, when they are for people.
  const own = problem.keyword === undefined ? nodeSentence(message, problem.field) : null
  if (label === undefined) return own === null ? `One of the values ${what === 'is empty' ? 'is missing' : what}. Check the form and try again.` : `${capitalize(own)}`
  if (own !== null) return `${label}: ${own}${/[.!?]$/.test(own) ? '' : '.'}`
  return `${label} ${what}.${how === undefined ? ' Correct it and try again.' : ` ${how}`}`
}

/** The editor's labels of the ERC-721 fields, as the form shows them. */
const METADATA_LABELS: Readonly<Record<string, string>> = {
  name: 'Name',
  description: 'Description',
  image: 'Image address',
  image_data: 'Image data',
  external_url: 'External link',
  animation_url: 'Animation or video address',
  youtube_url: 'YouTube link',
  background_color: 'Background color',
  attributes: 'Traits',
  properties: 'Properties',
  localization: 'Translations',
}
const TRAIT_PARTS: Readonly<Record<string, string>> = { trait_type: 'type', value: 'value', display_type: 'display', max_value: 'maximum' }

/** A metadata field as the form labels it: `attributes[0].value` → "Trait 1 value". */
export function metadataLabel (field: string): string {
  const trait = /^attributes\[(\d+)\](?:\.(\w+))?$/.exec(field)
  if (trait !== null) return `Trait ${Number(trait[1]) + 1}${trait[2] === undefined ? '' : ` ${TRAIT_PARTS[trait[2]] ?? `"${trait[2]}"`}`}`
  return METADATA_LABELS[field] ?? METADATA_LABELS[field.split(/[.[]/)[0] ?? ''] ?? 'A field'
}

/** The ERC-721 rules' phrases (services/erc721/assembly/schema.ts), in the editor's words. */
const CONTRACT_RULE_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/^unknown field \(allowed: .*\)$/, 'is not a trait field marketplaces know: keep only its type, value, display and maximum'],
  [/^unknown field .*$/, 'is not an ERC-721 field: remove it in the raw JSON, or keep extra data in a separate document'],
  [/^must be one of .*$/, 'must be chosen from the list (number, boost, boost in percent, date), or none'],
  [/^must be a number when display_type is "([^"]*)"$/, 'must be a number, since the trait is shown as "$1"'],
  [/^must be a URI with a scheme .*$/, 'must be a full address starting with ipfs://, https:// or similar'],
  [/^must be a string or a number$/, 'must be text or a number'],
  [/^must be an array( of strings)?$/, 'must be a list'],
  [/^must be an object$/, 'must be a group of fields'],
  [/^must be a string$/, 'must be text'],
  [/^must contain \{locale\}$/, 'must contain {locale}'],
  [/^is required$/, 'is missing'],
]

/**
 * A reason the built-in ERC-721 rules give ("invalid ERC-721 metadata: background_color: must be
 * 6 hexadecimal digits without #") with the field as the form labels it ("Background color must
 * be …"). The contract's text is its only channel; other reasons are shown as the contract wrote them.
 */
export function describeContractReason (reason: string): string {
  const match = /^invalid ERC-721 metadata: ([^:]+): (.+)$/.exec(reason)
  if (match === null) {
    if (reason === 'invalid ERC-721 metadata: the main document must be a JSON object') return 'The metadata must be a group of fields ({ … }).'
    return reason
  }
  const field = match[1] ?? ''
  let rule = match[2] ?? ''
  for (const [pattern, words] of CONTRACT_RULE_WORDS) {
    if (pattern.test(rule)) {
      rule = rule.replace(pattern, words)
      break
    }
  }
  // An unknown top-level field is named as written: it has no label.
  const label = /^[a-z_]+$/.test(field) && !(field in METADATA_LABELS) ? `"${field}"` : metadataLabel(field)
  return `${label} ${rule}.`
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)
