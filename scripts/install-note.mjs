// The one line `npm install` prints about Node versions (from `prepare`, see .npmrc): npm may run
// on an older Node than the Node 22 the project installs for itself, and .npmrc hides npm's
// "Unsupported engine" warnings about that; this says so once, or says what is really wrong.
import fs from 'node:fs'
import path from 'node:path'

/** The oldest Node the project runs on (package.json `engines`). */
export const MIN_NODE_MAJOR = 22

/** The Node version npm runs on, from its user agent ("npm/11.19.1 node/v20.20.2 linux x64 …"). */
export function npmNodeVersion (userAgent) {
  return /\bnode\/v(\d+)\.(\d+)\.(\d+)\b/.exec(userAgent ?? '')?.slice(1).join('.') ?? null
}

/**
 * What to tell the person who ran `npm install`: nothing when npm's own Node is new enough; a
 * note when it is older and the project's Node 22 is installed; an error when that is missing.
 */
export function installNote ({ userAgent, lifecycle, runningNode, root }) {
  const npmNode = npmNodeVersion(userAgent)
  if (lifecycle !== 'prepare' || npmNode === null || Number(npmNode.split('.')[0]) >= MIN_NODE_MAJOR) return null
  const bundled = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node')
  if (Number(runningNode.split('.')[0]) < MIN_NODE_MAJOR || !fs.existsSync(bundled)) {
    return { level: 'error', text: `install: npm runs on Node ${npmNode} and Lineage's own Node ${MIN_NODE_MAJOR} is missing from node_modules/.bin; run \`npm install --loglevel=warn\` to see why, or install Node ${MIN_NODE_MAJOR}.` }
  }
  return { level: 'info', text: `install: npm runs on Node ${npmNode}; Lineage runs on the Node ${runningNode} it installed (node_modules/.bin/node), so npm's "Unsupported engine" warnings were hidden (.npmrc). Nothing to do.` }
}
