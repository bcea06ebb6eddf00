import { parseRoute, routeHref } from '../rules/routes.js'
import type { Route } from '../rules/routes.js'

/** Says whether leaving the current screen for `to` must be confirmed first (unpublished edits). */
export type LeaveGuard = (to: Route) => boolean

/**
 * The screen shown, from the address fragment: back and forward work, and links are plain hrefs.
 * A screen with unsaved work sets a guard: leaving it then waits in `pending` until the person
 * confirms (`leave()`) or stays (`stay()`), and the address goes back to the screen meanwhile.
 */
export class Router {
  route = $state<Route>({ name: 'dashboard' })
  pending = $state<Route | null>(null)
  private guard: LeaveGuard | null = null

  constructor (private readonly win: Window = window) {
    this.route = parseRoute(win.location.hash)
  }

  private readonly sync = (): void => {
    const next = parseRoute(this.win.location.hash)
    if (routeHref(next) === routeHref(this.route)) return
    if (this.guard?.(next) === true) {
      this.pending = next
      // replaceState fires no hashchange: the address shows the screen still in front.
      this.win.history.replaceState(null, '', routeHref(this.route))
      return
    }
    this.route = next
  }

  start (): void {
    this.win.addEventListener('hashchange', this.sync)
    // The address may have changed since the route was read (a link followed while the app
    // was still starting): its hashchange came before anyone listened.
    this.sync()
  }
  stop (): void { this.win.removeEventListener('hashchange', this.sync) }

  /** Set by a screen while it holds unsaved work; returns the function that removes it. */
  protect (guard: LeaveGuard): () => void {
    this.guard = guard
    return () => { if (this.guard === guard) this.guard = null }
  }

  /**
   * The route the address names now. The address changes before its hashchange is handled, so
   * code deciding where to send the person reads this rather than `route`.
   */
  current (): Route {
    this.sync()
    return this.route
  }

  go (route: Route): void {
    this.win.location.hash = routeHref(route)
    this.route = route
  }

  /** Leaves for the pending screen after all. */
  leave (): void {
    const to = this.pending
    this.pending = null
    if (to === null) return
    this.guard = null
    this.go(to)
  }

  stay (): void {
    this.pending = null
  }
}
