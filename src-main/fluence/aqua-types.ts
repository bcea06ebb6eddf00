/**
 * The Aqua API's types (aqua/lineage.aqua), as the generated code takes and returns them. JSON
 * documents travel as JSON text; an empty string means "none" where Aqua has no null.
 */
import type { TransactionRequest } from '../lineage/signing/index.js'

export interface AquaNodeInfo { peer_id: string, version: string, state: string, schema_version: number, offline: boolean }
export interface Target { peer: string }

/** The engine's transaction request as Aqua carries it: `method` is any string until the engine checks it. */
export type SignedTransaction = Omit<TransactionRequest, 'method'> & { method: string }

export interface PublishRequest { peer: string, transaction: SignedTransaction }
export interface PublishAnswer { hash: string, error: string }

export interface TokenRequest { peer: string, chain_id: string, token_address: string, token_id: string, limit: number }
export interface MetadataAnswer { found: boolean, token_key: string, data_key: string, json: string, error: string }

export interface SlotRequest {
  peer: string
  chain_id: string
  token_address: string
  token_id: string
  meta_contract_id: string
  public_key: string
  alias: string
  version: string
  cursor: string
  limit: number
}

export interface VersionAnswer { cid: string, previous: string, timestamp: number, content: string, tx_hash: string, method: string, public_key: string }
export interface SlotHistoryAnswer {
  found: boolean
  meta_contract_id: string
  public_key: string
  alias: string
  version: string
  head: string
  versions: VersionAnswer[]
  next_cursor: string
}
export interface TokenHistoryAnswer { found: boolean, data_key: string, slots: SlotHistoryAnswer[] }

export interface CollectionRequest { peer: string, chain_id: string, token_address: string, cursor: string, limit: number }
export interface TokenSummaryAnswer { token_id: string, data_key: string, slots: number, updated_at: number }
export interface CollectionPageAnswer { found: boolean, token_key: string, items: TokenSummaryAnswer[], next_cursor: string, total: number, error: string }

export interface PinsRequest { peer: string, limit: number }
export interface PinsAnswer { items: Array<{ cid: string, recursive: boolean, name: string, created_at: number }>, total: number }

export interface KeyRequest { peer: string, chain_id: string, token_address: string, token_id: string }
export interface CopyRequest { peer: string, chain_id: string, token_address: string }
export interface CopySessionAnswer { session: string, roots: string[], bytes: number, chunks: number, error: string }
export interface ChunkRequest { peer: string, session: string, index: number }
export interface ChunkAnswer { index: number, data: string, error: string }

/** What js-client passes a JS service as its last argument. */
export interface CallParams { initPeerId: string, particleId: string }

export interface NodeServiceImpl { node_info(callParams: CallParams): AquaNodeInfo }
export interface EngineServiceImpl {
  publish(req: PublishRequest, callParams: CallParams): PublishAnswer
  metadata(req: TokenRequest, callParams: CallParams): MetadataAnswer
  slot(req: SlotRequest, callParams: CallParams): SlotHistoryAnswer
  history(req: TokenRequest, callParams: CallParams): TokenHistoryAnswer
  collection(req: CollectionRequest, callParams: CallParams): CollectionPageAnswer
  pins(req: PinsRequest, callParams: CallParams): PinsAnswer
}
export interface CopyServiceImpl {
  open(req: CopyRequest, callParams: CallParams): Promise<CopySessionAnswer>
  chunk(req: ChunkRequest, callParams: CallParams): ChunkAnswer
}

/** Per-call options of the generated functions. */
export interface CallConfig { ttl?: number }

type Fn<Req, Res> = (peer: unknown, req: Req, config?: CallConfig) => Promise<Res>

/** One compiled variant of aqua/lineage.aqua (dist/aqua/<variant>/lineage.js). */
export interface LineageAqua {
  node_info(peer: unknown, target: string, config?: CallConfig): Promise<AquaNodeInfo>
  ping: Fn<Target, number>
  data_key: Fn<KeyRequest, string>
  publish: Fn<PublishRequest, PublishAnswer>
  get_metadata: Fn<TokenRequest, MetadataAnswer>
  get_slot: Fn<SlotRequest, SlotHistoryAnswer>
  get_history: Fn<TokenRequest, TokenHistoryAnswer>
  list_collection: Fn<CollectionRequest, CollectionPageAnswer>
  list_pins: Fn<PinsRequest, PinsAnswer>
  copy_open: Fn<CopyRequest, CopySessionAnswer>
  copy_chunk: Fn<ChunkRequest, ChunkAnswer>
  registerLineageNode(peer: unknown, impl: NodeServiceImpl): void
  registerLineage(peer: unknown, impl: EngineServiceImpl): void
  registerLineageCopy(peer: unknown, impl: CopyServiceImpl): void
}
