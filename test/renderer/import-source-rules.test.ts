/**
 * How an import's source is named to the creator: what a browser sent is named by its folder or
 * file, never by the node's upload folder (`<data-dir>/uploads/<id>/…`); other paths stay as typed.
 */
import { describe, expect, it } from 'vitest'
import { sourceLabel } from '../../src-renderer/src/lib/rules/import-source.js'

describe('sourceLabel', () => {
  it('names an upload by the folder or file the creator sent', () => {
    expect(sourceLabel('/tmp/d/node/uploads/4da10529ec15ac64a11d5738f90107ed/lanterns')).toBe('lanterns, sent from the browser')
    expect(sourceLabel('/tmp/d/node/uploads/4da10529ec15ac64a11d5738f90107ed/items.csv')).toBe('items.csv, sent from the browser')
    expect(sourceLabel('C:\\Users\\me\\Lineage\\uploads\\4da10529ec15ac64a11d5738f90107ed\\dropped files')).toBe('dropped files, sent from the browser')
  })

  it('leaves a path the creator typed as it is, even one that looks a little like an upload', () => {
    expect(sourceLabel('/home/me/art/lanterns')).toBe('/home/me/art/lanterns')
    expect(sourceLabel('/home/me/uploads/not-an-id/lanterns')).toBe('/home/me/uploads/not-an-id/lanterns')
  })
})
