/** The look the creator chose in Settings: follow the system, or always light, or always dark. */
export type ThemeChoice = 'system' | 'light' | 'dark'

export const THEME_CHOICES: ReadonlyArray<{ value: ThemeChoice, label: string }> = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/** Kept in the browser's localStorage (per origin: the app's window, or the node's address in a browser). */
const STORAGE_KEY = 'lineage.theme'

export function storedTheme (win: Window = window): ThemeChoice {
  try {
    const value = win.localStorage.getItem(STORAGE_KEY)
    return value === 'light' || value === 'dark' ? value : 'system'
  } catch {
    return 'system'
  }
}

/** Sets the page's colours: app.css reads `data-theme` on <html>; without it, prefers-color-scheme decides. */
export function applyTheme (choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset.theme
  else root.dataset.theme = choice
}

/** The setting: read once at start (main.ts applies it before the first paint), changed in Settings. */
export class ThemeSetting {
  choice = $state<ThemeChoice>('system')

  constructor (private readonly win: Window = window) {
    this.choice = storedTheme(win)
  }

  set (choice: ThemeChoice): void {
    this.choice = choice
    try {
      if (choice === 'system') this.win.localStorage.removeItem(STORAGE_KEY)
      else this.win.localStorage.setItem(STORAGE_KEY, choice)
    } catch {
      // Storage refused (a locked-down browser): the choice still holds until the page closes.
    }
    applyTheme(choice, this.win.document.documentElement)
  }
}
