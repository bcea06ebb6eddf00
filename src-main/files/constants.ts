/**
 * Longest a whole small file (an import item, a contract module, a key file) may take to open,
 * check and read. A regular file on a local disk answers in microseconds; one that has not
 * answered in this time sits on a hung network mount or a driver that never returns, and is
 * refused by name rather than waited for.
 */
export const FILE_READ_DEADLINE_MS = 10_000

/**
 * Longest one chunk of a streamed file (a CSV or CAR import) may take to arrive. The file may be
 * large, so the bound is per read, not per file: a file that keeps answering is read to its end.
 */
export const FILE_STALL_MS = 30_000

/** Bytes asked for per read of a streamed file. */
export const FILE_STREAM_CHUNK_BYTES = 64 * 1024

/**
 * Files a file reader (batch-read.ts, a folder import's) sends its worker in one message, and
 * batches it keeps in flight: one message per batch instead of four thread-pool calls per file,
 * and the next batch read while the last one's files are used.
 */
export const FILE_BATCH_FILES = 32
export const FILE_BATCHES_IN_FLIGHT = 2

/**
 * Reads abandoned at their deadline that are still stuck in the thread pool. A read the kernel
 * never answers cannot be cancelled; it holds one of libuv's four threads until it returns. Past
 * this many, new reads are refused at once, so stuck files cannot take every thread (which the
 * node's other file, DNS and crypto work share).
 */
export const MAX_STUCK_READS = 2

/**
 * Linux file systems whose files are the kernel's, not data (statfs f_type): a "regular" file
 * there may be endless, change as it is read, block, or have side effects. Nothing is read from
 * them and nothing is written to them. (devtmpfs reports tmpfs's type, so /dev is refused by
 * path, SYSTEM_FOLDERS.)
 */
export const SYSTEM_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x1cd1, 'devpts'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x65735543, 'fusectl'],
  [0x42494e4d, 'binfmt_misc'],
  [0x19800202, 'mqueue'],
  [0xf97cff8c, 'selinuxfs'],
])

/** Folders of the system's devices and kernel state, on every Unix: never read from or written into. */
export const SYSTEM_FOLDERS: readonly string[] = ['/dev', '/proc', '/sys']
