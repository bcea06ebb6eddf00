// @orbitdb/core 4 ships JavaScript without type declarations: the part bench/orbitdb.bench.ts uses.
declare module '@orbitdb/core' {
  export interface OrbitDBDocumentsDatabase {
    address: string
    /** Appends a signed entry to the log and updates the index; resolves to the entry's hash. */
    put(doc: Record<string, unknown>): Promise<string>
    get(key: string): Promise<{ hash: string, key: string, value: Record<string, unknown> } | undefined>
    close(): Promise<void>
  }

  export interface OrbitDB {
    open(address: string, options?: { type?: string }): Promise<OrbitDBDocumentsDatabase>
    stop(): Promise<void>
  }

  export function createOrbitDB(init: { ipfs: unknown, directory?: string, id?: string }): Promise<OrbitDB>
}
