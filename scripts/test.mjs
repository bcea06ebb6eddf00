#!/usr/bin/env node
// `npm test`: build from source, typecheck, lint, then every test suite (unit, integration,
// browser) in one vitest run. Ends with the single summary line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureChromium } from './chromium.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const node = process.execPath
const tool = (...parts) => path.join(root, 'node_modules', ...parts)
const results = []

function check (label, command, args, env = {}) {
  const started = Date.now()
  console.log(`\n== ${label}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  const ok = result.status === 0
  results.push({ label, passed: ok ? 1 : 0, failed: ok ? 0 : 1, seconds: (Date.now() - started) / 1000 })
  return ok
}

let chromium
try {
  chromium = ensureChromium()
  results.push({ label: 'chromium available', passed: 1, failed: 0, seconds: 0 })
} catch (err) {
  console.error(`test: ${err.message}`)
  results.push({ label: 'chromium available', passed: 0, failed: 1, seconds: 0 })
}

const built = check('build', node, [path.join(root, 'scripts', 'build.mjs')])
check('typecheck (tsc)', node, [tool('typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'])
check('typecheck (svelte-check)', node, [tool('svelte-check', 'bin', 'svelte-check'), '--tsconfig', 'src-renderer/tsconfig.json', '--fail-on-warnings', '--output', 'human'])
check('lint (eslint)', node, [tool('eslint', 'bin', 'eslint.js'), '.'])

if (built) {
  const report = path.join(root, 'test-results', 'vitest.json')
  fs.rmSync(report, { force: true })
  const started = Date.now()
  console.log('\n== tests (vitest)')
  // Dots for passing tests and their console output dropped: what a run prints is its failures
  // (each with its output) and the summary below, not pages of logs from tests that passed.
  spawnSync(node, [tool('vitest', 'vitest.mjs'), 'run', '--reporter=dot', '--silent=passed-only', '--reporter=json', `--outputFile.json=${report}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...(chromium ? { LINEAGE_CHROMIUM: chromium } : {}) },
  })
  const seconds = (Date.now() - started) / 1000
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'))
    // A suite that fails to load has no tests; count it as one failure so it cannot hide.
    const brokenFiles = json.testResults.filter(f => f.status === 'failed' && f.assertionResults.length === 0).length
    results.push({ label: 'tests', passed: json.numPassedTests, failed: json.numFailedTests + brokenFiles, skipped: json.numPendingTests + json.numTodoTests, seconds })
  } else {
    results.push({ label: 'tests (vitest did not report)', passed: 0, failed: 1, seconds })
  }
}

// CI shows only the tail of the output: name each failed test right above the last line.
const failures = []
const reportPath = path.join(root, 'test-results', 'vitest.json')
if (built && fs.existsSync(reportPath)) {
  const json = JSON.parse(fs.readFileSync(reportPath, 'utf8'))
  for (const file of json.testResults) {
    const name = path.relative(root, file.name)
    if (file.status === 'failed' && file.assertionResults.length === 0) failures.push(`${name}: ${String(file.message ?? '').split('\n')[0]}`)
    for (const test of file.assertionResults) {
      if (test.status !== 'failed') continue
      const message = String(test.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300)
      failures.push(`${name} > ${test.fullName}: ${message}`)
    }
  }
}

const total = results.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + (r.skipped ?? 0) }), { passed: 0, failed: 0, skipped: 0 })
console.log('\n== summary')
for (const r of results) {
  console.log(`${r.failed > 0 ? 'FAIL' : 'ok  '}  ${r.label.padEnd(28)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed${r.skipped ? `, ${r.skipped} skipped` : ''}  (${r.seconds.toFixed(1)} s)`)
}
if (failures.length > 0) {
  console.log('\n== failed tests')
  for (const line of failures.slice(0, 10)) console.log(line)
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`)
process.exitCode = total.failed > 0 ? 1 : 0
