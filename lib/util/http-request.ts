import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http'

/** One plain request: no body, no cache, no redirect followed, no retry. */
export interface HttpRequest {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  /** An agent, `false` for a fresh connection, `undefined` for Node's global agent. */
  readonly agent: Agent | false | undefined
  /** Connection options passed to Node as they are: `ca`, `cert`, `key`, `rejectUnauthorized`, `localAddress`. */
  readonly connection: Readonly<Record<string, unknown>>
  readonly signal: AbortSignal
  /** The most body bytes read; the connection is dropped at the first byte beyond. */
  readonly maxBytes: number
}

/** What came back. */
export interface HttpResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** The body, cut at `maxBytes`. */
  readonly body: Buffer
  /** Whether the body went beyond `maxBytes`. */
  readonly oversized: boolean
}

/**
 * Sends one request with node:http or node:https (loaded on first use) and reads the answer, whatever its
 * status: a 3xx comes back as it is. An abort of `signal` ends it with the signal's failure.
 *
 * @throws Node's network errors (`ECONNREFUSED`, `ECONNRESET`, TLS codes) and `AbortError`
 */
export async function httpRequest (request: HttpRequest): Promise<HttpResponse> {
  // The module object, taken when needed: a named import of a builtin does not see later patches (nock's), and
  // import() builds its ES facade, which on Node 22 reads every export of node:http and so loads tls, crypto,
  // http2 and zlib for a plain-http request.
  const scheme = request.url.protocol === 'https:'
    ? process.getBuiltinModule('node:https')
    : process.getBuiltinModule('node:http')
  const { sent, res } = await new Promise<{ sent: ClientRequest, res: IncomingMessage }>((resolve, reject) => {
    const sent = scheme.request(request.url, {
      ...request.connection,
      method: request.method,
      headers: request.headers,
      agent: request.agent,
      signal: request.signal,
    }, (res) => resolve({ sent, res }))
    sent.on('error', reject)
    sent.end()
  })
  const chunks: Buffer[] = []
  let size = 0
  let oversized = false
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > request.maxBytes) {
      oversized = true
      break
    }
    chunks.push(chunk)
  }
  // Stopping to read is not enough, the socket keeps filling memory: a body too large hangs up the connection.
  if (oversized) sent.destroy()
  return { status: res.statusCode as number, headers: res.headers, body: Buffer.concat(chunks), oversized }
}
