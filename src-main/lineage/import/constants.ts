import { MAX_CONTENT_DEPTH } from '../../dag/index.js'
import { FILE_BATCH_FILES } from '../../files/index.js'
import { MAX_DATA_BYTES } from '../signing/index.js'

/**
 * Largest item (a JSON file, or the JSON a CSV row becomes) in UTF-8 bytes: the signing data
 * limit, since each item becomes one transaction's `data`. Larger files are reported, never read.
 */
export const MAX_ITEM_BYTES = MAX_DATA_BYTES

/**
 * Files of a folder asked for ahead of the one the import takes next: two of the file reader's
 * batches (files/ FILE_BATCH_FILES), so its worker reads one while the import signs the other.
 * At most this many items (each at most MAX_ITEM_BYTES) are held in memory.
 */
export const FOLDER_READ_AHEAD = 2 * FILE_BATCH_FILES

/**
 * Deepest nesting of an item's document (containers on its deepest path: `{}` is 1): the
 * engine's content limit, so a document the engine would refuse is refused before it is signed,
 * and one nested thousands deep is named and refused instead of overflowing the stack.
 */
export const MAX_ITEM_DEPTH = MAX_CONTENT_DEPTH

/**
 * Longest file name or CSV column name shown (in a report, an event, the CLI, a log line), after
 * escaping (shown-text.ts); a longer one is cut with "…". 256 holds any file name of 255 bytes.
 */
export const MAX_SHOWN_NAME_CHARS = 256

/** Longest reason shown for a rejected item (a contract's reason included), cut with "…". */
export const MAX_SHOWN_REASON_CHARS = 1024

/**
 * Longest CSV record in characters, quoted newlines included. A record over it is reported and
 * skipped while the parser keeps only this many characters, so a file without a closing quote
 * cannot make the import buffer the rest of the file.
 */
export const MAX_CSV_RECORD_CHARS = 4 * MAX_DATA_BYTES

/** Most CSV columns accepted in the header row. */
export const MAX_CSV_COLUMNS = 1024

/**
 * Rejected items listed in a report; beyond it only the count grows. Bounds memory (and the
 * size of the report kept in the job row) for a source full of mistakes.
 */
export const MAX_REJECTED_KEPT = 1000

/** How many names of files skipped as not metadata a report keeps (the count is exact). */
export const MAX_IGNORED_NAMES_KEPT = 10

/**
 * Extensions of files that are clearly not metadata documents (images, media, notes, archives):
 * a folder of metadata often holds them beside the JSON, so they are skipped and counted, not refused.
 */
export const NOT_METADATA_EXTENSIONS: ReadonlySet<string> = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'avif', 'bmp', 'tif', 'tiff', 'heic', 'ico', 'psd',
  'mp4', 'webm', 'mov', 'm4v', 'mp3', 'wav', 'ogg', 'flac', 'glb', 'gltf',
  'txt', 'md', 'pdf', 'rtf', 'doc', 'docx', 'odt', 'html', 'htm', 'css', 'csv', 'xlsx', 'zip', 'ini', 'db', 'log',
])

/**
 * Published transactions waiting for their receipt before the import reads more items. The
 * validator applies about as fast as we sign, so this only bounds memory when it is slower.
 */
export const MAX_IN_FLIGHT = 1024

/**
 * Signed items published together, in one SQLite transaction (one fsync for the batch rather
 * than one per item). An item counts as published only once its batch has committed.
 */
export const PUBLISH_BATCH = 256

/** Progress events are sent at most this often (plus one at the end). */
export const PROGRESS_INTERVAL_MS = 250

/**
 * The job row's counters are saved after this many items (and on every state change). What a job
 * published, applied and had rejected by its contract is read from the ledger (its nonce range),
 * and resuming relies on nonces, so only the items refused before publishing, and the run's live
 * numbers, come from here: a save (an fsync) need not be frequent.
 */
export const JOB_SAVE_EVERY_ITEMS = 1000

/** Roots of a CAR named in its import report; a backup written before the single-root layout had one per slot head. */
export const MAX_ROOTS_REPORTED = 100

/** Reports of finished runs kept in memory for `status`, most recent first. */
export const MAX_REPORTS_KEPT = 16

/** Hex digits of an item's part of its nonce: 128 bits of sha256(job id, item id). */
export const ITEM_NONCE_HEX_DIGITS = 32

/**
 * Hex digits of a job's nonce prefix: 128 bits, so two jobs of one key never share a range. With
 * the item's part a nonce is 64 characters, within NONCE_PATTERN (16–128).
 */
export const JOB_NONCE_PREFIX_HEX_DIGITS = 32

/** Defaults of a metadata import. */
export const DEFAULT_ALIAS = ''
export const DEFAULT_VERSION = 'v1'

/** `jobs.kind` of each import format. */
export const JOB_KINDS = { folder: 'import:folder', csv: 'import:csv', car: 'import:car' } as const
export type ImportFormat = keyof typeof JOB_KINDS

/** Names of the events an import sends through `onProgress` (and the importer emits). */
export const IMPORT_PROGRESS_EVENT = 'lineage:import:progress'
export const IMPORT_DONE_EVENT = 'lineage:import:done'

/** The CSV column holding the token id; every other column becomes a JSON field. */
export const CSV_TOKEN_ID_COLUMN = 'token_id'
/** Prefix of a CSV column that becomes an entry of `attributes`: `trait:<trait_type>`. */
export const CSV_TRAIT_PREFIX = 'trait:'
/** Suffixes giving a CSV column a JSON type other than string. */
export const CSV_NUMBER_SUFFIX = ':number'
export const CSV_JSON_SUFFIX = ':json'
