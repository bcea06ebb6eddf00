/**
 * On a narrow window a table wider than the window scrolls by itself (app.css). Keyboard users
 * must be able to reach it to scroll it (WCAG 2.1.1): while a table overflows it is a tab stop,
 * and only then (a table that fits adds no stop).
 */
export function watchWideTables (root: HTMLElement, win: Window = window): () => void {
  let queued = false
  const update = (): void => {
    queued = false
    for (const table of root.querySelectorAll('table')) {
      if (table.scrollWidth > table.clientWidth) table.tabIndex = 0
      else table.removeAttribute('tabindex')
    }
  }
  // Once a frame at most, after the DOM has settled.
  const schedule = (): void => {
    if (queued) return
    queued = true
    win.requestAnimationFrame(update)
  }
  const observer = new MutationObserver(schedule)
  observer.observe(root, { childList: true, subtree: true, characterData: true })
  win.addEventListener('resize', schedule)
  schedule()
  return () => {
    observer.disconnect()
    win.removeEventListener('resize', schedule)
  }
}
