// What setup-node and friends leave behind when no token was meant to be there: its `${NODE_AUTH_TOKEN}` line,
// and the `XXXXX-XXXXX-XXXXX-XXXXX` placeholder of its older versions.
// eslint-disable-next-line no-template-curly-in-string -- the literal text setup-node writes, not a template
const PLACEHOLDERS = new Set(['undefined', 'null', 'XXXXX-XXXXX-XXXXX-XXXXX', '${NODE_AUTH_TOKEN}', '${NPM_TOKEN}'])

function isReal (value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '' && !PLACEHOLDERS.has(value.trim())
}

/**
 * Whether the caller configured a credential of its own for `registry`, the way npm-registry-fetch finds
 * one: `forceAuth`, or a nerf-darted `_authToken`, `_auth`, `username` + `_password` or `certfile` + `keyfile`
 * key for the registry's path or any parent of it. Empty values and known placeholders do not count.
 */
export function hasConfiguredCredentials (opts: Readonly<Record<string, unknown>>, registry: string): boolean {
  const forced = opts.forceAuth as Record<string, unknown> | undefined
  if (forced && (isReal(forced.token) || isReal(forced._authToken) || isReal(forced.auth))) return true
  const url = new URL(registry)
  let key = `//${url.host}${url.pathname}`
  while (key.length > 2) {
    if (isReal(opts[`${key}:_authToken`]) || isReal(opts[`${key}:_auth`]) ||
      (isReal(opts[`${key}:username`]) && isReal(opts[`${key}:_password`])) ||
      (isReal(opts[`${key}:certfile`]) && isReal(opts[`${key}:keyfile`]))) return true
    key = key.replace(/([^/]+|\/)$/, '')
  }
  return false
}
