import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { repoRoot } from './processes.js'

/** Set by scripts/test.mjs, which finds or installs Debian's Chromium; never a downloaded build. */
export const CHROMIUM_PATH = process.env.LINEAGE_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
export const SCREENS_DIR = path.join(repoRoot, 'test-results', 'screens')
/** The two window sizes every screen is looked at in: a laptop and a phone. */
export const VIEWPORTS = { wide: { width: 1280, height: 800 }, narrow: { width: 390, height: 844 } } as const

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Runs axe-core (WCAG 2.1 A and AA) on the page as it is; the page's CSP does not apply to evaluate(). */
export async function axeViolations (page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  // A string, not a function: this file is compiled for Node, without the DOM's types.
  return await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then(result => result.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => JSON.stringify(n.target)).join(', ') + ')'))`) as string[]
}

/** The text a person reads on the page (form values and the raw JSON view left out). */
export async function visibleText (page: Page): Promise<string> {
  return await page.evaluate('document.body.innerText') as string
}
