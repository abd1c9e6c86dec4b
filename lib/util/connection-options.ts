const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])

/** Whether `hostname` (as the WHATWG URL parser gives it) names this machine. */
export function isLoopbackHost (hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname)
}

/** The caller's proxy and TLS settings, under npm-registry-fetch's names. */
const PASSED_THROUGH = ['agent', 'ca', 'cert', 'key', 'strictSSL', 'noProxy', 'localAddress', 'maxSockets'] as const

/**
 * The caller's proxy and TLS settings for a make-fetch-happen request to `url`. For a loopback host every
 * proxy is bypassed (the caller's `proxy`, `HTTP_PROXY` and friends, and an `agent`, which may be a proxy's):
 * a proxy cannot reach this machine's loopback, and plain http to it would hand the proxy a token in clear.
 */
export function connectionOptions (url: string, raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const passed: Record<string, unknown> = {}
  for (const key of PASSED_THROUGH) if (raw[key] !== undefined) passed[key] = raw[key]
  const { hostname } = new URL(url)
  if (!isLoopbackHost(hostname)) return { ...passed, proxy: raw.httpsProxy ?? raw.proxy }
  // An exact `noProxy` entry for the host wins over every proxy setting, the environment's included.
  return { ...passed, agent: undefined, proxy: undefined, noProxy: hostname }
}
