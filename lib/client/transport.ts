import type { Agent } from 'node:http'
import { TransientFailure, remaining, type CallClock } from './retry.js'
import type { OidcError } from '../errors.js'
import { isLoopbackHost } from '../util/connection-options.js'
import { httpRequest } from '../util/http-request.js'
import { chooseProxy, proxyAgent } from '../util/proxy-agent.js'
import type { ResolvedOptions } from './resolve-options.js'

/** What came back from a token-bearing request. */
export interface WireResponse {
  readonly status: number
  readonly header: (name: string) => string | null
  /** The body as text, cut at the size limit. */
  readonly text: string
  /** Whether the body was larger than the limit. */
  readonly oversized: boolean
}

/** One token-bearing request. */
export interface WireRequest {
  readonly method: 'GET' | 'POST'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly options: ResolvedOptions
  readonly clock: CallClock
  /** The error to end with when no answer comes (reset, refused, timeout) and the tries run out. */
  readonly unreachable: (facts: string, cause: unknown) => OidcError
}

// An exchange answer is a few hundred bytes; anything near this is not one.
const MAX_BODY_BYTES = 64 * 1024

// `maxSockets` only matters to an agent; Node ignores it on a request.
const CONNECTION_KEYS = ['ca', 'cert', 'key', 'localAddress', 'maxSockets'] as const

/**
 * The caller's TLS and socket settings (npm's names) as Node's connection options. `strictSSL` unset leaves
 * Node's default, which honours `NODE_TLS_REJECT_UNAUTHORIZED`, as npm does.
 */
function connectionOf (raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const connection: Record<string, unknown> = {}
  for (const key of CONNECTION_KEYS) if (raw[key] != null) connection[key] = raw[key]
  connection.rejectUnauthorized = raw.strictSSL == null
    ? process.env.NODE_TLS_REJECT_UNAUTHORIZED !== '0'
    : raw.strictSSL !== false
  return connection
}

// One pool per caller's options bag and scheme, so that `maxSockets` bounds the requests of a batch together.
const pools = new WeakMap<object, Map<string, Agent>>()

async function pooledAgent (url: URL, raw: Readonly<Record<string, unknown>>): Promise<Agent | undefined> {
  if (raw.maxSockets == null) return undefined
  // See httpRequest for why the module comes from process.getBuiltinModule.
  const scheme = url.protocol === 'https:'
    ? process.getBuiltinModule('node:https')
    : process.getBuiltinModule('node:http')
  const byScheme = pools.get(raw) ?? new Map<string, Agent>()
  pools.set(raw, byScheme)
  const agent = byScheme.get(url.protocol) ?? new scheme.Agent({ keepAlive: true, maxSockets: Number(raw.maxSockets) })
  byScheme.set(url.protocol, agent)
  return agent
}

/**
 * The agent a request to `url` goes out with. For a loopback host every proxy is bypassed (the caller's
 * `proxy`, `HTTPS_PROXY` and friends, and an `agent`, which may be a proxy's): a proxy cannot reach this
 * machine's loopback, and plain http to it would hand the proxy a token in clear.
 */
async function agentFor (url: URL, raw: Readonly<Record<string, unknown>>,
  connection: Readonly<Record<string, unknown>>): Promise<Agent | false | undefined> {
  if (!isLoopbackHost(url.hostname)) {
    if (raw.agent != null) return raw.agent as Agent | false
    const proxy = chooseProxy(url, raw.httpsProxy ?? raw.proxy, raw.noProxy)
    if (proxy) return proxyAgent(url, proxy, connection)
  }
  return pooledAgent(url, raw)
}

/**
 * Sends a request that carries a token with node:http / node:https: a 3xx comes back as it is and is never
 * followed with the bearer token, the body is capped, and one deadline covers connecting, waiting and reading.
 * A proxy, when one applies, goes through npm's own agent (@npmcli/agent), loaded only then.
 * Network failures and timeouts become {@link TransientFailure}s.
 */
export async function sendTokenRequest (request: WireRequest): Promise<WireResponse> {
  const { options, clock } = request
  const url = new URL(request.url)
  let limit = 0
  let timer: AbortSignal | undefined
  try {
    const connection = connectionOf(options.raw)
    // Resolved before the timer starts: loading the proxy agent is not the server's time.
    const agent = await agentFor(url, options.raw, connection)
    limit = Math.max(1, Math.min(options.timeout, remaining(clock)))
    timer = AbortSignal.timeout(limit)
    const signal = clock.signal ? AbortSignal.any([timer, clock.signal]) : timer
    const res = await httpRequest({
      method: request.method,
      url,
      headers: request.headers,
      agent,
      connection,
      signal,
      maxBytes: MAX_BODY_BYTES,
    })
    return {
      status: res.status,
      header: (name) => {
        // Node joins repeated headers into one string; only `set-cookie` is a list, and it is never asked for.
        const value = res.headers[name.toLowerCase()]
        return typeof value === 'string' ? value : null
      },
      text: res.body.toString('utf8'),
      oversized: res.oversized,
    }
  } catch (err) {
    if (clock.signal?.aborted) throw clock.signal.reason
    const facts = timer?.aborted ? `no answer within ${limit} ms` : networkCode(err)
    throw new TransientFailure(request.unreachable(facts, networkCause(err)))
  }
}

// Node's network and TLS errors carry a string code (ECONNRESET, SELF_SIGNED_CERT_IN_CHAIN, EINVALIDPROXY…).
function networkCode (err: unknown): string {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' ? code : 'network error'
}

// A network error may quote the URL or the proxy (credentials included); keep only what cannot hold a secret.
function networkCause (err: unknown): Error {
  const code = networkCode(err)
  return Object.assign(new Error(`request failed: ${code}`), { code })
}
