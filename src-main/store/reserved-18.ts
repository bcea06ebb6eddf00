import type { Migration } from './migrations.js'

/**
 * Migration 18 is another branch's (merged by hand); this placeholder keeps the versions without
 * a gap until then, as the runner and its test require. It changes nothing.
 */
export const reservedMigration18: Migration = {
  version: 18,
  description: 'reserved (another change takes this number at merge)',
  up () {},
}
