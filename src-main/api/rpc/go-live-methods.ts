import { createTokenUriChecker, MAX_CHECKED_URI_LENGTH, reachableLocally } from '../../lineage/uri-check/index.js'
import type { TokenUriChecker } from '../../lineage/uri-check/index.js'
import { InvalidParamsError } from '../errors.js'
import type { NodeInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface GoLiveMethodsComponents {
  nodeInfo(): NodeInfo
  /** The checker check_token_uri uses; a default one (the constants' limits) when absent. */
  tokenUriChecker?: TokenUriChecker
}

/**
 * The gateway an `ipfs://` URI is read through when the caller names none: the node's public
 * listener when it has one (what the world sees), else its own API's /ipfs route.
 */
function ownGateway (info: NodeInfo): string {
  return reachableLocally(info.public_gateway_url ?? info.api_url ?? '')
}

/** Go live: what a creator checks before telling marketplaces where the metadata is. */
export function goLiveMethods (components: GoLiveMethodsComponents): RpcMethod[] {
  const checker = components.tokenUriChecker ?? createTokenUriChecker()
  return [
    defineMethod({
      name: 'check_token_uri',
      // The node fetches an address the caller chose: only its owner may make it do that.
      requiresToken: true,
      description: 'Fetches a tokenURI (http(s), or ipfs://<cid>/<path> through a gateway) the way a marketplace does and says whether it would show the token, and if not why.',
      params: [
        { name: 'uri', schema: { type: 'string', minLength: 1, maxLength: MAX_CHECKED_URI_LENGTH } },
        { name: 'ipfs_gateway', schema: { type: 'string', minLength: 1, maxLength: MAX_CHECKED_URI_LENGTH }, optional: true },
      ],
      handler: async p => {
        try {
          return await checker.check(p.uri as string, { ipfsGateway: (p.ipfs_gateway as string | undefined) ?? ownGateway(components.nodeInfo()) })
        } catch (err) {
          const { name, field, message } = err as { name?: unknown, field?: unknown, message?: unknown }
          if (name === 'CheckedUriError' && typeof field === 'string' && typeof message === 'string') throw new InvalidParamsError(message, field)
          throw err
        }
      },
    }),
  ] as RpcMethod[]
}
