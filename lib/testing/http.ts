import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'

/**
 * Starts a server on an ephemeral loopback port.
 *
 * @param server - A server that is not listening yet.
 * @returns The port it listens on, on `127.0.0.1`.
 * @example
 * ```ts
 * const port = await listenOnLoopback(createServer(handler))
 * ```
 */
export async function listenOnLoopback (server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  return (server.address() as AddressInfo).port
}

/**
 * Makes a `close()` for a server: drops every open connection, stops listening, and resolves
 * when the server has closed. Calling it again returns the same promise.
 *
 * @param server - A listening server.
 * @returns The close function.
 * @example
 * ```ts
 * const close = closer(server)
 * await close()
 * ```
 */
export function closer (server: Server): () => Promise<void> {
  let closed: Promise<void> | undefined
  return () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    return closed
  }
}
