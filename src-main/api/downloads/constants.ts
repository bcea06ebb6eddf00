/** Where the UI's downloads are served: `POST /downloads` opens one, `GET /downloads/<ticket>` streams it. */
export const DOWNLOADS_PATH = '/downloads'
/**
 * How long a download link lasts before it is used: the page follows it at once, so a minute is
 * plenty, and a link seen later (a history, a log) is worth nothing.
 */
export const DOWNLOAD_TICKET_TTL_MS = 60_000
/** Download links open at once, each holding its export's snapshot until used or expired. */
export const MAX_OPEN_DOWNLOADS = 8
/** Longest file name the page may suggest, in characters; others are cut. */
export const MAX_DOWNLOAD_NAME_CHARS = 100
/** The name a download is saved under when the page suggests none (or one not usable). */
export const DEFAULT_DOWNLOAD_NAME = 'lineage-backup.car'
/** Random bytes of a download ticket (base64url in the link). */
export const DOWNLOAD_TICKET_BYTES = 24
