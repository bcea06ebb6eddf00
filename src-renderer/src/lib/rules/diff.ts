/**
 * A version diff (`diff_versions`: JSON Pointer paths, add/remove/replace) in words: "Trait 2 ›
 * value changed from Red to Gold".
 */
import type { ContentChangeInfo } from '../../../../src-main/api/rpc-types.js'

const LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  image: 'Image',
  image_data: 'Image data',
  external_url: 'External link',
  animation_url: 'Animation',
  youtube_url: 'YouTube link',
  background_color: 'Background color',
  attributes: 'Traits',
  properties: 'Properties',
  trait_type: 'trait type',
  value: 'value',
  display_type: 'display type',
  max_value: 'maximum',
}

/** A JSON Pointer's segments, unescaped (~1 is "/", ~0 is "~"). */
export function pointerSegments (pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** "/attributes/1/value" → "Trait 2 › value"; "" → "Whole document". */
export function readablePath (pointer: string): string {
  const segments = pointerSegments(pointer)
  if (segments.length === 0) return 'Whole document'
  const words: string[] = []
  segments.forEach((segment, i) => {
    if (segments[i - 1] === 'attributes' && /^\d+$/.test(segment)) {
      words.pop()
      words.push(`Trait ${Number(segment) + 1}`)
    } else if (/^\d+$/.test(segment)) {
      words.push(`item ${Number(segment) + 1}`)
    } else {
      words.push(LABELS[segment] ?? segment)
    }
  })
  return words.join(' › ')
}

/** A value for reading: text as is, anything else as compact JSON, nothing as "—". */
export function formatValue (value: unknown): string {
  if (value === undefined) return '—'
  if (typeof value === 'string') return value === '' ? '(empty)' : value
  // A trait reads as "Season: Winter".
  if (typeof value === 'object' && value !== null && 'value' in value && !Array.isArray(value)) {
    const trait = value as { trait_type?: unknown, value: unknown }
    if (typeof trait.trait_type === 'string') return `${trait.trait_type}: ${formatValue(trait.value)}`
  }
  return JSON.stringify(value)
}

export interface ReadableChange {
  path: string
  pointer: string
  kind: 'Added' | 'Removed' | 'Changed'
  before: string
  after: string
}

export function readableChange (change: ContentChangeInfo): ReadableChange {
  const kind = change.op === 'add' ? 'Added' : change.op === 'remove' ? 'Removed' : 'Changed'
  return { path: readablePath(change.path), pointer: change.path, kind, before: formatValue(change.before), after: formatValue(change.after) }
}

/** "No changes", "1 change", "3 changes: 1 added, 2 changed". */
export function summarizeChanges (changes: readonly ContentChangeInfo[]): string {
  if (changes.length === 0) return 'No changes: the two versions have the same content.'
  const counts = { add: 0, remove: 0, replace: 0 }
  for (const c of changes) counts[c.op]++
  const parts = [[counts.add, 'added'], [counts.remove, 'removed'], [counts.replace, 'changed']].filter(([n]) => (n as number) > 0).map(([n, w]) => `${n} ${w}`)
  return `${changes.length} ${changes.length === 1 ? 'change' : 'changes'}: ${parts.join(', ')}`
}
