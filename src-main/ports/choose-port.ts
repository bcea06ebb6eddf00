import net from 'node:net'

/**
 * Resolves to `preferred` if it can be bound on `host`, otherwise to a free port the OS picks.
 * A busy port must never stop the node from starting: the caller reports the port it got.
 */
export async function choosePort (host: string, preferred: number): Promise<number> {
  if (preferred === 0) return 0
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.unref()
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(0)
      else reject(err)
    })
    probe.listen({ host, port: preferred, exclusive: true }, () => {
      probe.close(() => resolve(preferred))
    })
  })
}
