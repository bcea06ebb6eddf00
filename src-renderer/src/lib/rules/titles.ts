import { NAVIGATION } from './routes.js'
import type { Route } from './routes.js'

/** Titles that differ from the sidebar's label; every other screen is called as in the sidebar. */
const TITLES: Partial<Record<string, string>> = {
  serve: 'Serve your metadata',
  welcome: 'Welcome',
}

export const APP_TITLE = 'Lineage'

export function screenTitle (route: Route): string {
  if (route.name === 'token') return `Token #${route.tokenId}`
  if (route.name === 'history') return `History of token #${route.tokenId}`
  return TITLES[route.name] ?? NAVIGATION.find(item => item.name === route.name)?.label ?? APP_TITLE
}

/** The window's (or browser tab's) title: the screen first, what a narrow tab strip still shows. */
export function windowTitle (route: Route | null): string {
  return `${route === null ? 'Sign in' : screenTitle(route)} · ${APP_TITLE}`
}
