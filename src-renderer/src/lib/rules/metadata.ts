/**
 * ERC-721 / OpenSea metadata as the editor sees it: the same rules the built-in `erc721`
 * contract applies (services/erc721/assembly/schema.ts), in words a creator can act on, and
 * every problem at once rather than the first. The contract stays the judge: the editor also
 * asks it (validate_metadata) and shows its own reason.
 */
import { metadataLabel } from './plain-words.js'

export const TEXT_FIELDS = ['name', 'description', 'image_data'] as const
export const URI_FIELDS = ['image', 'animation_url', 'external_url', 'youtube_url'] as const
export const KNOWN_FIELDS = ['name', 'description', 'image', 'image_data', 'animation_url', 'external_url', 'youtube_url', 'background_color', 'attributes', 'properties', 'localization'] as const
export const DISPLAY_TYPES = ['number', 'boost_number', 'boost_percentage', 'date'] as const
const ATTRIBUTE_FIELDS = ['trait_type', 'value', 'display_type', 'max_value']

export type DisplayType = typeof DISPLAY_TYPES[number]
export type MetadataDocument = Record<string, unknown>

export interface Attribute {
  trait_type?: string
  value: string | number
  display_type?: DisplayType
  max_value?: number
}

/** One problem, with the field it is about in the contract's spelling (`attributes[0].value`). */
export interface Problem {
  field: string
  message: string
}

const hasScheme = (text: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function checkAttribute (value: unknown, i: number): Problem[] {
  const field = `attributes[${i}]`
  const n = i + 1
  if (!isObject(value)) return [{ field, message: `Trait ${n} must be an object with a trait type and a value.` }]
  const problems: Problem[] = []
  for (const key of Object.keys(value)) {
    if (!ATTRIBUTE_FIELDS.includes(key)) problems.push({ field: `${field}.${key}`, message: `Trait ${n} has a field "${key}" that marketplaces do not know. Keep only its type, value, display and maximum.` })
  }
  if (value.trait_type !== undefined && typeof value.trait_type !== 'string') problems.push({ field: `${field}.trait_type`, message: `Trait ${n}: the trait type must be text.` })
  if (value.value === undefined) problems.push({ field: `${field}.value`, message: `Trait ${n} needs a value.` })
  else if (typeof value.value !== 'string' && typeof value.value !== 'number') problems.push({ field: `${field}.value`, message: `Trait ${n}: the value must be text or a number.` })
  if (value.display_type !== undefined) {
    if (typeof value.display_type !== 'string' || !(DISPLAY_TYPES as readonly string[]).includes(value.display_type)) {
      problems.push({ field: `${field}.display_type`, message: `Trait ${n}: choose its display from the list (number, boost, boost in percent, date), or none.` })
    } else if (typeof value.value !== 'number') {
      problems.push({ field: `${field}.value`, message: `Trait ${n}: a "${value.display_type}" trait needs a number as its value.` })
    }
  }
  if (value.max_value !== undefined && typeof value.max_value !== 'number') problems.push({ field: `${field}.max_value`, message: `Trait ${n}: the maximum must be a number.` })
  return problems
}

/** Every problem of a main document, in field order; [] when the erc721 contract would accept it. */
export function checkMetadata (document: unknown): Problem[] {
  if (!isObject(document)) return [{ field: '', message: 'The metadata must be a JSON object ({ … }).' }]
  const problems: Problem[] = []
  for (const key of Object.keys(document)) {
    if (!(KNOWN_FIELDS as readonly string[]).includes(key)) problems.push({ field: key, message: `"${key}" is not an ERC-721 field. Remove it in the raw JSON, or keep extra data in a separate document.` })
  }
  if (document.name === undefined) problems.push({ field: 'name', message: 'Give the token a name.' })
  for (const field of TEXT_FIELDS) {
    const value = document[field]
    if (value !== undefined && typeof value !== 'string') problems.push({ field, message: `${metadataLabel(field)} must be text.` })
  }
  if (document.name === '') problems.push({ field: 'name', message: 'Give the token a name; it must not be empty.' })
  for (const field of URI_FIELDS) {
    const value = document[field]
    if (value === undefined) continue
    if (typeof value !== 'string') problems.push({ field, message: `${metadataLabel(field)} must be an address (text).` })
    else if (!hasScheme(value)) problems.push({ field, message: `${metadataLabel(field)} must be a full address starting with ipfs://, https:// or similar.` })
  }
  const color = document.background_color
  if (color !== undefined && (typeof color !== 'string' || !/^[0-9a-fA-F]{6}$/.test(color))) {
    problems.push({ field: 'background_color', message: 'The background color must be 6 hexadecimal digits without #, for example 1a2b3c.' })
  }
  const attributes = document.attributes
  if (attributes !== undefined) {
    if (!Array.isArray(attributes)) problems.push({ field: 'attributes', message: 'The traits must be a list.' })
    else attributes.forEach((attribute, i) => { problems.push(...checkAttribute(attribute, i)) })
  }
  if (document.properties !== undefined && !isObject(document.properties)) problems.push({ field: 'properties', message: 'Properties must be a group of fields ({ … }).' })
  return problems
}

/** The raw JSON view's text parsed, or why it is not JSON, in words. */
export function parseDocument (text: string): { ok: true, value: unknown } | { ok: false, message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (err) {
    return { ok: false, message: `This is not valid JSON yet (${(err as Error).message}). The form keeps the last valid version.` }
  }
}

/** The document as the editor shows and signs it: two-space JSON. */
export function formatDocument (document: unknown): string {
  return JSON.stringify(document, null, 2)
}

/** Sets or removes one top-level field: an empty text removes the field rather than storing "". */
export function withField (document: MetadataDocument, field: string, value: unknown): MetadataDocument {
  const next = { ...document }
  if (value === undefined || (value === '' && field !== 'name')) delete next[field]
  else next[field] = value
  return next
}

/** The document's traits, as the attribute editor lists them (non-objects left as they are). */
export function attributesOf (document: MetadataDocument): Attribute[] {
  return Array.isArray(document.attributes) ? document.attributes as Attribute[] : []
}

/** A trait's value from what was typed: a number when the trait is numeric and it parses. */
export function traitValue (text: string, numeric: boolean): string | number {
  if (!numeric) return text
  const n = Number(text)
  return text.trim() !== '' && Number.isFinite(n) ? n : text
}

/** The field a contract reason is about ("invalid ERC-721 metadata: background_color: must …" → background_color). */
export function fieldOfReason (reason: string): string | null {
  const match = /^invalid ERC-721 metadata: ([A-Za-z_][\w.[\]]*): /.exec(reason)
  return match?.[1] ?? null
}
