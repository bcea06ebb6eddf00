#!/usr/bin/env node
// Entry of the `lineage-node` command. The node needs Node.js 22 or newer (better-sqlite3 13,
// libp2p 3); npm scripts and npx put the project's own Node 22 first on PATH, but a direct call
// may reach an older system node, so say so plainly instead of crashing inside a native module.
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(`lineage-node needs Node.js 22 or newer, but this is ${process.version}. Run it through npx (npx lineage-node …) or npm scripts, which use the project's bundled Node 22.\n`)
  process.exit(1)
}
// The young generation stays at its first size instead of growing to 2 × 16 MiB after the burst
// of allocation at start: an idle node is about 30 MiB smaller, and the gateway under load keeps
// its rate (docs/BENCHMARKS.md, "Where memory goes"). V8 reads this flag each time it would grow
// the space, so it applies when set here, before anything is loaded.
const { setFlagsFromString } = await import('node:v8')
setFlagsFromString('--semi-space-growth-factor=1')
const { main, consoleOutput } = await import('../dist/src-main/cli/index.js')
process.exitCode = await main(process.argv.slice(2), consoleOutput)
