import type { Database, Statement } from 'better-sqlite3'
import type { RemotePinStatus } from './wire.js'

/** A row of `remote_pin_services`. */
export interface ServiceRow {
  name: string
  endpoint: string
  /** The token's mask only (maskToken); the token itself is in the credentials file. */
  token: string
  auto_pin: 0 | 1
  auto_after_created_at: number
  auto_after_cid: string
  created_at: number
}

/** A row of `remote_pins`: one CID pushed to one service. */
export interface RemotePinRow {
  service: string
  cid: string
  name: string
  /** null while the POST that creates the request has not been answered. */
  requestid: string | null
  status: RemotePinStatus
  reason: string
  /** JSON array of multiaddrs. */
  delegates: string
  checks: number
  failures: number
  /** When to check the status again; null once pinned or failed. */
  next_check_at: number | null
  created_at: number
  updated_at: number
}

export interface LocalPinRow {
  cid: string
  name: string
  created_at: number
}

/**
 * The statements remote pinning runs, prepared once per connection. It owns `remote_pin_services`
 * and `remote_pins` (store migration 7) and only reads `pins`, to know what this node pinned.
 */
export class RemotePinTables {
  readonly insertService: Statement<ServiceRow>
  readonly serviceByName: Statement<[string], ServiceRow>
  readonly allServices: Statement<[], ServiceRow>
  readonly autoServices: Statement<[], ServiceRow>
  readonly removeService: Statement<[string]>
  readonly advanceAutoCursor: Statement<[number, string, string]>
  readonly statusCounts: Statement<[string], { status: RemotePinStatus, n: number }>
  readonly upsertPin: Statement<RemotePinRow>
  readonly updatePin: Statement<RemotePinRow>
  readonly pinOf: Statement<[string, string], RemotePinRow>
  readonly removePin: Statement<[string, string]>
  readonly allPins: Statement<[], RemotePinRow>
  readonly duePins: Statement<[number, number], RemotePinRow>
  readonly nextCheck: Statement<[], { at: number | null }>
  readonly localPin: Statement<[string], LocalPinRow>
  readonly localPinsAfter: Statement<[number, number, string, number], LocalPinRow>

  constructor (readonly db: Database) {
    this.insertService = db.prepare(`INSERT INTO remote_pin_services (name, endpoint, token, auto_pin, auto_after_created_at, auto_after_cid, created_at)
      VALUES (@name, @endpoint, @token, @auto_pin, @auto_after_created_at, @auto_after_cid, @created_at)`)
    this.serviceByName = db.prepare('SELECT * FROM remote_pin_services WHERE name = ?')
    this.allServices = db.prepare('SELECT * FROM remote_pin_services ORDER BY name')
    this.autoServices = db.prepare('SELECT * FROM remote_pin_services WHERE auto_pin = 1 ORDER BY name')
    this.removeService = db.prepare('DELETE FROM remote_pin_services WHERE name = ?')
    this.advanceAutoCursor = db.prepare('UPDATE remote_pin_services SET auto_after_created_at = ?, auto_after_cid = ? WHERE name = ?')
    this.statusCounts = db.prepare('SELECT status, count(*) AS n FROM remote_pins WHERE service = ? GROUP BY status')
    this.upsertPin = db.prepare(`INSERT INTO remote_pins (service, cid, name, requestid, status, reason, delegates, checks, failures, next_check_at, created_at, updated_at)
      VALUES (@service, @cid, @name, @requestid, @status, @reason, @delegates, @checks, @failures, @next_check_at, @created_at, @updated_at)
      ON CONFLICT (service, cid) DO UPDATE SET name = excluded.name, requestid = excluded.requestid, status = excluded.status, reason = excluded.reason,
        delegates = excluded.delegates, checks = excluded.checks, failures = excluded.failures, next_check_at = excluded.next_check_at, updated_at = excluded.updated_at`)
    // Follow-ups update, never insert: a pin removed while its status was being checked stays removed.
    this.updatePin = db.prepare(`UPDATE remote_pins SET name = @name, requestid = @requestid, status = @status, reason = @reason, delegates = @delegates,
      checks = @checks, failures = @failures, next_check_at = @next_check_at, updated_at = @updated_at WHERE service = @service AND cid = @cid`)
    this.pinOf = db.prepare('SELECT * FROM remote_pins WHERE service = ? AND cid = ?')
    this.removePin = db.prepare('DELETE FROM remote_pins WHERE service = ? AND cid = ?')
    this.allPins = db.prepare('SELECT * FROM remote_pins ORDER BY created_at, service, cid')
    this.duePins = db.prepare('SELECT * FROM remote_pins WHERE next_check_at IS NOT NULL AND next_check_at <= ? ORDER BY next_check_at LIMIT ?')
    this.nextCheck = db.prepare('SELECT min(next_check_at) AS at FROM remote_pins WHERE next_check_at IS NOT NULL')
    this.localPin = db.prepare('SELECT cid, name, created_at FROM pins WHERE cid = ?')
    this.localPinsAfter = db.prepare(`SELECT cid, name, created_at FROM pins WHERE created_at > ? OR (created_at = ? AND cid > ?)
      ORDER BY created_at, cid LIMIT ?`)
  }
}
