/**
 * On a narrow window every table stacks into one card per row (app.css), so each cell must say
 * which column it is in: this copies each column's header text onto its cells as data-label,
 * which app.css shows before the value. Doing it here, for every table under root, keeps the
 * templates free of a second copy of each header and covers tables added later.
 *
 * A column whose header is visually hidden (actions, a thumbnail) gets no label: its content
 * speaks for itself on a wide window too. Row headers (th scope=row) become the card's title,
 * and a cell spanning columns of different names gets none.
 */
export function labelTableCells (root: HTMLElement, win: Window = window): () => void {
  let queued = false
  const update = (): void => {
    queued = false
    for (const table of root.querySelectorAll('table')) labelTable(table)
  }
  // Once a frame at most, after the DOM has settled.
  const schedule = (): void => {
    if (queued) return
    queued = true
    win.requestAnimationFrame(update)
  }
  // Attributes are not watched: setting data-label must not wake the observer again.
  const observer = new MutationObserver(schedule)
  observer.observe(root, { childList: true, subtree: true, characterData: true })
  schedule()
  return () => { observer.disconnect() }
}

function labelTable (table: HTMLTableElement): void {
  const headerRow = table.tHead?.rows[0]
  if (headerRow === undefined) return
  const labels: string[] = []
  for (const th of headerRow.cells) {
    const label = shownText(th)
    for (let i = 0; i < th.colSpan; i++) labels.push(label)
  }
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      let column = 0
      for (const cell of row.cells) {
        // A cell across several columns (a note in place of before/after) is none of them.
        const spanned = new Set(labels.slice(column, column + cell.colSpan))
        const label = cell.tagName === 'TH' || spanned.size !== 1 ? '' : labels[column] ?? ''
        if (label === '') cell.removeAttribute('data-label')
        else if (cell.dataset.label !== label) cell.dataset.label = label
        column += cell.colSpan
      }
    }
  }
}

/** The header's text as a sighted person sees it: none when it is only for screen readers. */
function shownText (th: HTMLTableCellElement): string {
  const hidden = th.querySelectorAll('.visually-hidden')
  let text = th.textContent ?? ''
  for (const h of hidden) text = text.replace(h.textContent ?? '', '')
  return text.replace(/\s+/g, ' ').trim()
}
