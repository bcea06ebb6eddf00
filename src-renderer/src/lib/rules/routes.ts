/** The app's screens and their addresses (`#/tokens`, `#/token/1/0xabc…/42`): a hash router in plain TS. */
export type Route =
  | { name: 'dashboard' | 'collections' | 'tokens' | 'pins' | 'transfer' | 'serve' | 'go-live' | 'network' | 'services' | 'keys' | 'logs' | 'settings' | 'welcome' | 'chain' }
  | { name: 'token' | 'history', chainId: string, address: string, tokenId: string }

export type ScreenName = Route['name']

/** The sidebar, in order: what a creator uses, then developer tools under "Advanced". */
export const NAVIGATION: ReadonlyArray<{ name: ScreenName, label: string, advanced?: true }> = [
  { name: 'dashboard', label: 'Dashboard' },
  { name: 'collections', label: 'Collections' },
  { name: 'tokens', label: 'Tokens' },
  { name: 'transfer', label: 'Import & export' },
  { name: 'serve', label: 'Serve' },
  { name: 'go-live', label: 'Go live' },
  { name: 'keys', label: 'Keys' },
  { name: 'settings', label: 'Settings' },
  { name: 'pins', label: 'Pins & storage', advanced: true },
  { name: 'network', label: 'Peers & sync', advanced: true },
  { name: 'services', label: 'Contracts', advanced: true },
  { name: 'chain', label: 'Chain', advanced: true },
  { name: 'logs', label: 'Logs', advanced: true },
]

const SIMPLE = new Set<string>(['dashboard', 'collections', 'tokens', 'pins', 'transfer', 'serve', 'go-live', 'network', 'services', 'keys', 'logs', 'settings', 'welcome', 'chain'])

export function parseRoute (hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(p => p !== '').map(decodeURIComponent)
  const [name, chainId, address, tokenId] = parts
  if ((name === 'token' || name === 'history') && chainId !== undefined && address !== undefined && tokenId !== undefined) {
    return { name, chainId, address, tokenId }
  }
  if (name !== undefined && SIMPLE.has(name)) return { name } as Route
  return { name: 'dashboard' }
}

export function routeHref (route: Route): string {
  if (route.name === 'token' || route.name === 'history') return `#/${route.name}/${route.chainId}/${route.address}/${route.tokenId}`
  return `#/${route.name}`
}

/** The sidebar entry a screen belongs to (a token's editor and history are under Tokens). */
export function sectionOf (route: Route): ScreenName {
  return route.name === 'token' || route.name === 'history' ? 'tokens' : route.name
}
