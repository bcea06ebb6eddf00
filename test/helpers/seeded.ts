// Seeded randomness for tests that are not fast-check properties (which take `seed` themselves).
// The seed is fixed so a run repeats exactly; LINEAGE_TEST_SEED picks another, and every test
// that draws from one names its seed in its title or failure message.
import { createRandom } from '../services/lib/random.js'

/** The seed of this run: LINEAGE_TEST_SEED when set (a decimal integer), else a fixed one. */
export const TEST_SEED = Number.parseInt(process.env.LINEAGE_TEST_SEED ?? '', 10) || 0x5eed

/** A seeded generator of numbers in [0, 1), as Math.random, for the test that asks. */
export function seededRandom (salt = 0): () => number {
  return createRandom(TEST_SEED + salt)
}
