import { parseRoute, routeHref } from '../rules/routes.js'
import type { Route } from '../rules/routes.js'

/** The screen shown, from the address fragment: back and forward work, and links are plain hrefs. */
export class Router {
  route = $state<Route>({ name: 'dashboard' })

  constructor (private readonly win: Window = window) {
    this.route = parseRoute(win.location.hash)
  }

  private readonly sync = (): void => { this.route = parseRoute(this.win.location.hash) }

  start (): void { this.win.addEventListener('hashchange', this.sync) }
  stop (): void { this.win.removeEventListener('hashchange', this.sync) }

  go (route: Route): void {
    this.win.location.hash = routeHref(route)
    this.route = route
  }
}
