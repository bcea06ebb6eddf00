import type { Registry } from '../../lineage/registry/index.js'
import { REGISTRY_ID_PATTERN } from '../../lineage/registry/index.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface RegistryMethodsComponents {
  registry: Registry
}

/** The registry (lineage/registry): named meta contracts, created by anyone, changed only by their owner. */
export function registryMethods ({ registry }: RegistryMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'registry_set',
      description: 'Applies one signed registry write: creates an entry (the signer becomes its owner) or changes it when signed by its owner.',
      // Checked field by field by lineage/registry, whose errors name the field.
      params: [{ name: 'request', schema: { type: 'object' } }],
      handler: p => registry.set(p.request),
    }),
    defineMethod({
      name: 'registry_get',
      description: 'One registry entry with its owner, or null.',
      params: [{ name: 'registry_id', schema: { type: 'string', pattern: REGISTRY_ID_PATTERN.source } }],
      handler: p => registry.get(p.registry_id as string) ?? null,
    }),
    defineMethod({
      name: 'registry_list',
      description: 'Every registry entry, by registry_id.',
      params: [],
      handler: () => registry.list(),
    }),
  ] as RpcMethod[]
}
