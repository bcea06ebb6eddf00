import type { BrowseMethodsComponents } from '../api/rpc/browse-methods.js'
import { createBrowser, createCollectionProfiles, imageGateway, setImageGateway } from '../lineage/browse/index.js'
import type { KeyDerivation } from '../lineage/engine/index.js'
import type { Store } from '../store/index.js'

/** The collection browser's parts as the API takes them: the browser, collection profiles and the image gateway setting. */
export function createBrowseParts (store: Store, keys: KeyDerivation): BrowseMethodsComponents['browse'] {
  return {
    browser: createBrowser({ db: store.db, keys }),
    profiles: createCollectionProfiles(store.db, keys),
    imageGateway: () => imageGateway(store) ?? null,
    setImageGateway: gateway => setImageGateway(store, gateway),
  }
}
