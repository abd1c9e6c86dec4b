import { escapePackageName } from '../client/package-name.js'
import { packageRoute } from '../contract/paths.js'
import { parseRegistry } from '../client/registry-target.js'
import { normalisePublishers } from './normalise-publishers.js'
import type { TrustOperation, TrustOptions, TrustPackage, TrustRequest } from './types.js'

async function packageOf (
  pkg: TrustPackage | undefined
): Promise<{ name: string, escaped: string, manifest?: Readonly<Record<string, unknown>> }> {
  if (typeof pkg === 'object' && pkg !== null) {
    return { name: String(pkg.name), escaped: await escapePackageName(pkg.name, 'pkg.name'), manifest: pkg }
  }
  return { name: String(pkg), escaped: await escapePackageName(pkg, 'pkg') }
}

/**
 * Works out, without sending anything, the request a trust operation makes: validates every argument with
 * npm 11.19.1's rules, picks the registry as npm does (`@scope:registry`, else `registry`, else
 * registry.npmjs.org; a path prefix is kept), escapes the package as `@scope%2fname` and builds the body.
 * The trust functions call it first; a CLI uses it for `--dry-run`.
 *
 * @param operation - `{ action: 'list' | 'add' | 'revoke', package, publishers? , id? }`
 * @param opts - npm-registry-fetch options; only the registry keys are read here
 * @returns the method, URL, headers (no credentials), body, and warnings about package.json defaults
 * @throws TypeError naming the argument or publisher field that breaks a rule
 * @example
 * ```ts
 * const req = await planTrustRequest({ action: 'revoke', package: '@acme/widgets', id: 'cfg/1' }, { registry })
 * console.log(req.method, req.url) // DELETE …/-/package/@acme%2fwidgets/trust/cfg%2F1
 * ```
 */
export async function planTrustRequest (operation: TrustOperation, opts: TrustOptions = {}): Promise<TrustRequest> {
  if (typeof operation !== 'object' || operation === null) throw new TypeError('Expected `operation` to be an object.')
  if (typeof opts !== 'object' || opts === null) throw new TypeError('Expected `opts` to be an object.')
  const { name, escaped, manifest } = await packageOf(operation.package)
  const { default: npmFetch } = await import('npm-registry-fetch')
  const registry = parseRegistry(npmFetch.pickRegistry(name, opts as Record<string, unknown>), 'registry').href
  const base = packageRoute(registry, escaped, 'trust')
  const common = { package: name, registry }
  switch (operation.action) {
    case 'list':
      return { ...common, method: 'GET', url: base, headers: { 'npm-command': 'trust' }, warnings: [] }
    case 'add': {
      const { publishers, warnings } = normalisePublishers(operation.publishers, manifest)
      return {
        ...common,
        method: 'POST',
        url: base,
        headers: { 'npm-command': 'trust', 'npm-auth-type': 'web', 'content-type': 'application/json' },
        body: publishers,
        warnings,
      }
    }
    case 'revoke': {
      const { id } = operation
      if (typeof id !== 'string' || id === '') {
        throw new TypeError(`Expected \`id\` to be a non-empty string, got ${JSON.stringify(id) ?? 'nothing'}.`)
      }
      // npm escapes the id with encodeURIComponent (uppercase %2F) while the package keeps npa's lowercase %2f.
      return {
        ...common,
        method: 'DELETE',
        url: `${base}/${encodeURIComponent(id)}`,
        headers: { 'npm-command': 'trust' },
        warnings: [],
      }
    }
    default: {
      const action = (operation as { action?: unknown }).action
      throw new TypeError("Expected `operation.action` to be 'list', 'add' or 'revoke', " +
        `got ${JSON.stringify(action) ?? 'nothing'}.`)
    }
  }
}
