import type { JsonValue } from '../../dag/index.js'
import { MAX_CARD_DESCRIPTION, MAX_CARD_IMAGE, MAX_CARD_NAME, MAX_CARD_TRAITS, MAX_TRAIT_TEXT } from './constants.js'

/** A slot with its head's content, as the formatter merges them. */
export interface DocumentSlot {
  alias: string
  public_key: string
  version: string
  content: JsonValue
}

export interface Trait {
  trait_type: string
  value: string
}

/** What the browser shows of a token's document and searches, filters and sorts by. */
export interface Card {
  name: string
  description: string
  image: string
  traits: Trait[]
}

type JsonObject = Record<string, JsonValue>

/** Aliases starting with this are contract bookkeeping and stay out of the document (formatter merge.ts). */
const HIDDEN_ALIAS_PREFIX = '_'
const ID_PLACEHOLDER = '{id}'

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The token's document as the formatter service merges it (services/formatter/assembly/merge.ts):
 * slots in (alias, public_key, version) order, hidden aliases left out, alias "" at the top level,
 * any other alias under its own key (objects merged); a later slot wins a collision. Undefined
 * where the formatter refuses (a top-level slot that is not an object). test/lineage/browse
 * compares it with the formatter's output.
 */
export function mergeDocument (slots: readonly DocumentSlot[]): JsonObject | undefined {
  const ordered = [...slots].sort((a, b) => compare(a.alias, b.alias) || compare(a.public_key, b.public_key) || compare(a.version, b.version))
  const out: JsonObject = {}
  for (const slot of ordered) {
    if (slot.alias.startsWith(HIDDEN_ALIAS_PREFIX)) continue
    if (slot.alias === '') {
      if (!isObject(slot.content)) return undefined
      Object.assign(out, slot.content)
      continue
    }
    const existing = out[slot.alias]
    out[slot.alias] = isObject(existing) && isObject(slot.content) ? { ...existing, ...slot.content } : slot.content
  }
  return out
}

/** A token's card from its merged document: "{id}" replaced as the formatter replaces it, limits applied. */
export function cardOf (tokenId: string, document: JsonObject | undefined): Card {
  if (document === undefined) return { name: '', description: '', image: '', traits: [] }
  const hexId = hex64(tokenId)
  const text = (value: JsonValue | undefined, max: number): string => typeof value === 'string' ? withId(value, hexId).slice(0, max) : ''
  const image = text(document.image, MAX_CARD_IMAGE + 1)
  return {
    name: text(document.name, MAX_CARD_NAME),
    description: text(document.description, MAX_CARD_DESCRIPTION),
    image: image.length > MAX_CARD_IMAGE ? '' : image,
    traits: traitsOf(document.attributes, hexId),
  }
}

/**
 * The document's `attributes` as traits: each item's trait_type ("" without one) and value (a
 * string, number or boolean, as text). Others, empty values and overlong labels are left out;
 * a type and value listed twice count once.
 */
export function traitsOf (attributes: JsonValue | undefined, hexId = ''): Trait[] {
  if (!Array.isArray(attributes)) return []
  const traits: Trait[] = []
  const seen = new Set<string>()
  for (const item of attributes) {
    if (traits.length >= MAX_CARD_TRAITS) break
    if (!isObject(item)) continue
    const raw = item.value
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') continue
    const value = typeof raw === 'string' ? withId(raw, hexId) : String(raw)
    const type = typeof item.trait_type === 'string' ? withId(item.trait_type, hexId) : ''
    if (value === '' || value.length > MAX_TRAIT_TEXT || type.length > MAX_TRAIT_TEXT) continue
    const key = `${type}\n${value}`
    if (seen.has(key)) continue
    seen.add(key)
    traits.push({ trait_type: type, value })
  }
  return traits
}

function withId (text: string, hexId: string): string {
  return hexId !== '' && text.includes(ID_PLACEHOLDER) ? text.split(ID_PLACEHOLDER).join(hexId) : text
}

/** The token id as 64 lowercase hex digits, as ERC-1155 clients substitute it; '' if it is not a uint256. */
function hex64 (tokenId: string): string {
  if (!/^[0-9]{1,78}$/.test(tokenId)) return ''
  const hex = BigInt(tokenId).toString(16)
  return hex.length > 64 ? '' : hex.padStart(64, '0')
}

/** As AssemblyScript compares strings (UTF-16 code units), which is JavaScript's order too. */
function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
