import path from 'node:path'
import type { App } from 'electron'
import { DEEP_LINK_SCHEME } from './constants.js'
import { findDeepLink, parseDeepLink } from './deep-link.js'
import type { TokenLink } from './deep-link.js'
import { DeepLinkError } from './errors.js'

export interface DeepLinkRouterInit {
  /** Shows the window and hands the token to the page. */
  open(link: TokenLink): void
  /** Tells the user, in words, that a link was refused. */
  refuse(err: DeepLinkError): void
}

export interface DeepLinkRouter {
  /** Handles one link: opens it, or refuses it. Links before `ready()` wait for it, in order. */
  handle(link: string): void
  /** Handles the link on a command line (first launch, or a second instance's), if there is one. */
  handleArgv(argv: readonly string[]): void
  /** The window exists: deliver the links that came early. */
  ready(): void
}

/** Parses and routes deep links; what opening and refusing mean is up to `init`. */
export function createDeepLinkRouter (init: DeepLinkRouterInit): DeepLinkRouter {
  let early: string[] | undefined = []
  const route = (link: string): void => {
    try {
      init.open(parseDeepLink(link))
    } catch (err) {
      if (!(err instanceof DeepLinkError)) throw err
      init.refuse(err)
    }
  }
  const router: DeepLinkRouter = {
    handle (link) {
      if (early !== undefined) early.push(link)
      else route(link)
    },
    handleArgv (argv) {
      const link = findDeepLink(argv)
      if (link !== undefined) router.handle(link)
    },
    ready () {
      const waiting = early ?? []
      early = undefined
      for (const link of waiting) route(link)
    },
  }
  return router
}

/**
 * Makes the app the OS handler of `lineage://` and feeds it the links: macOS sends `open-url`
 * (also before `ready`); Windows and Linux start the app with the link in argv, and a second
 * launch's argv reaches the first instance through `second-instance` (single-instance.ts).
 * When run unpackaged (`electron .`), the registration names the app folder too.
 */
export function setupDeepLinks (app: Pick<App, 'setAsDefaultProtocolClient' | 'on'>, router: DeepLinkRouter, argv: readonly string[] = process.argv): void {
  const script = argv[1]
  if (process.defaultApp === true && script !== undefined) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(script)])
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)
  app.on('open-url', (event, url) => {
    event.preventDefault()
    router.handle(url)
  })
  router.handleArgv(argv)
}
