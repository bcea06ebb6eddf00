/** The app's screens and their addresses (`#/tokens`, `#/token/1/0xabc…/42`): a hash router in plain TS. */
export type Route =
  | { name: 'dashboard' | 'collections' | 'tokens' | 'pins' | 'transfer' | 'serve' | 'go-live' | 'network' | 'services' | 'keys' | 'logs' | 'settings' | 'welcome' }
  | { name: 'token' | 'history', chainId: string, address: string, tokenId: string }

export type ScreenName = Route['name']

/** The sidebar, in order. */
export const NAVIGATION: ReadonlyArray<{ name: ScreenName, label: string }> = [
  { name: 'dashboard', label: 'Dashboard' },
  { name: 'collections', label: 'Collections' },
  { name: 'tokens', label: 'Tokens' },
  { name: 'transfer', label: 'Import & export' },
  { name: 'pins', label: 'Pins & storage' },
  { name: 'serve', label: 'Serve' },
  { name: 'go-live', label: 'Go live' },
  { name: 'network', label: 'Peers & sync' },
  { name: 'services', label: 'Contracts' },
  { name: 'keys', label: 'Keys' },
  { name: 'logs', label: 'Logs' },
  { name: 'settings', label: 'Settings' },
]

const SIMPLE = new Set<string>(['dashboard', 'collections', 'tokens', 'pins', 'transfer', 'serve', 'go-live', 'network', 'services', 'keys', 'logs', 'settings', 'welcome'])

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
