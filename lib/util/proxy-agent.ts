import type { Agent } from 'node:http'

const PROXY_ENV_KEYS = new Set(['https_proxy', 'http_proxy', 'proxy', 'no_proxy'])

// @npmcli/agent reads these once, case-insensitively, the last spelling winning; so does this.
function proxyEnv (env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const found: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(env)) {
    const lower = key.toLowerCase()
    if (PROXY_ENV_KEYS.has(lower)) found[lower] = value
  }
  return found
}

function isNoProxy (hostname: string, noProxy: unknown): boolean {
  const entries = typeof noProxy === 'string' ? noProxy.split(',').map((p) => p.trim()).filter(Boolean) : noProxy
  if (!Array.isArray(entries)) return false
  const host = hostname.split('.').reverse()
  return entries.some((entry: string) => {
    const suffix = entry.split('.').filter(Boolean).reverse()
    return suffix.length > 0 && suffix.every((segment, i) => host[i] === segment)
  })
}

/** Where a request to a URL goes through: the proxy, and the `noProxy` list that was applied. */
export interface ProxyChoice {
  readonly proxy: URL
  readonly noProxy: unknown
}

/**
 * The proxy npm's own agent (@npmcli/agent) would use for `url`, decided the same way without loading it: the
 * configured `proxy`, else `https_proxy` (for http: also `http_proxy`, `proxy`) from the environment; none when
 * `noProxy` (else `no_proxy`) lists the host or one of its parent domains.
 *
 * @throws TypeError (`ERR_INVALID_URL`) when the chosen proxy is not a URL
 */
export function chooseProxy (url: URL, proxy: unknown, noProxy: unknown,
  env: NodeJS.ProcessEnv = process.env): ProxyChoice | undefined {
  const fromEnv = proxyEnv(env)
  const chosen = proxy || (url.protocol === 'https:'
    ? fromEnv.https_proxy
    : fromEnv.https_proxy || fromEnv.http_proxy || fromEnv.proxy)
  const bypass = noProxy || fromEnv.no_proxy
  if (!chosen || isNoProxy(url.hostname, bypass)) return undefined
  return { proxy: new URL(String(chosen)), noProxy: bypass }
}

/**
 * npm's proxy agent for `url` through `choice`, with the TLS and socket options it must apply to the tunnelled
 * connection. @npmcli/agent is loaded here, on first use, and only when a proxy applies.
 *
 * @throws `EINVALIDPROXY` (from @npmcli/agent) for a proxy scheme it does not support
 */
export async function proxyAgent (url: URL, choice: ProxyChoice,
  options: Readonly<Record<string, unknown>>): Promise<Agent> {
  const { default: npmAgent } = await import('@npmcli/agent')
  return npmAgent.getAgent(url.href, { ...options, proxy: choice.proxy.href, noProxy: choice.noProxy })
}
