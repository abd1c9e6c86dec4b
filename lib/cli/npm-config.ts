import { dirname } from 'node:path'
import { OidcError } from '../errors.js'
import { pickPublishRegistry } from '../contract/publish-registry.js'
import { NPMJS_REGISTRY } from '../contract/npmjs.js'
import { ciCredentialValues, isCiCredential, withoutCiCredentials } from './ci-credentials.js'
import { runningNpmCli } from './running-npm.js'
import type { Env } from '../util/env.js'

/**
 * npm's configuration, flattened by npm's own definitions into the options npm passes to npm-registry-fetch
 * (`registry`, `@scope:registry`, `//host/:_authToken`, `httpsProxy`, `strictSSL`, `ca` …). Only what a config
 * layer sets is here; npm's defaults are left to the library.
 */
export type NpmConfig = Readonly<Record<string, unknown>>

const URL_KEYS = new Set(['registry', 'proxy', 'httpsProxy'])

function credentialRefused (key: string, why: string): OidcError {
  return new OidcError('ERR_OIDC_INSECURE_REGISTRY', {
    what: `the npm configuration's ${key} ${why}`,
    hint: 'Take the CI credential variable out of .npmrc, npm_config_* and --registry: it would send a credential ' +
      'that can mint ID tokens (or act as the job) to that host. npm-oidc never expands these variables',
  })
}

/**
 * Refuses a registry or proxy URL that holds the value of a CI credential variable, or names one as `${VAR}`.
 *
 * @throws {OidcError} `ERR_OIDC_INSECURE_REGISTRY`, naming the key but never the URL
 */
export function refuseCredentialUrl (key: string, url: unknown, env: Env): void {
  if (typeof url !== 'string') return
  if (ciCredentialValues(env).some((secret) => url.includes(secret))) {
    throw credentialRefused(key, 'contains the value of a CI credential variable')
  }
  const named = [...url.matchAll(/\$\{([^${}?]+)\}/g)].map((m) => m[1] as string).find(isCiCredential)
  if (named !== undefined) throw credentialRefused(key, `refers to \${${named}}, which is never expanded`)
}

/**
 * npm's configuration as npm itself reads it, with @npmcli/config: builtin, global, user and project `.npmrc`
 * files and `npm_config_*` variables, with npm's precedence, project root and `${VAR}` / `${VAR?}` expansion.
 * The CI credential variables are removed from the environment it expands from.
 *
 * @param execPath - the running Node, whose npm supplies the builtin npmrc when `npm_execpath` names none
 * @throws {OidcError} `ERR_OIDC_INSECURE_REGISTRY` when a registry or proxy URL carries a CI credential
 */
export async function loadNpmConfig (cwd: string, env: Env, execPath = process.execPath): Promise<NpmConfig> {
  const [{ default: Config }, { default: npm }] = await Promise.all([
    import('@npmcli/config'),
    import('@npmcli/config/lib/definitions/index.js'),
  ])
  const cli = runningNpmCli(env, execPath)
  const config = new Config({
    definitions: npm.definitions,
    shorthands: npm.shorthands,
    flatten: npm.flatten,
    // Without an npm install there is no builtin npmrc to read; a directory without one is what npm then sees.
    npmPath: cli === undefined ? cwd : dirname(dirname(cli)),
    env: withoutCiCredentials(env),
    argv: [execPath, 'npm-oidc'],
    execPath,
    cwd,
    warn: false,
  })
  await config.load()
  const flat: Record<string, unknown> = {}
  for (const [where, layer] of config.data) if (where !== 'default') npm.flatten(layer.data, flat)
  for (const [key, value] of Object.entries(flat)) {
    if (URL_KEYS.has(key) || /^@.*:registry$/i.test(key)) refuseCredentialUrl(key, value, env)
  }
  return flat
}

/** The registry a command talks to, and the configured one `--registry` overrode (when they differ). */
export interface CliRegistry {
  readonly registry: string
  readonly overridden?: string
}

// Whether publishConfig or npm config names a registry for the package (else npm's default applies).
function namesRegistry (name: string, config: NpmConfig, manifest?: Readonly<Record<string, unknown>>): boolean {
  const scoped = name.startsWith('@') ? `${name.split('/')[0] as string}:registry` : 'registry'
  const publishConfig = manifest?.publishConfig
  const fromManifest = publishConfig && typeof publishConfig === 'object'
    ? [publishConfig as Record<string, unknown>]
    : []
  const sources = [config, ...fromManifest]
  return sources.some((source) => typeof source.registry === 'string' || typeof source[scoped] === 'string')
}

async function configuredRegistry (
  name: string, config: NpmConfig, manifest?: Readonly<Record<string, unknown>>
): Promise<string> {
  try {
    return (await pickPublishRegistry({ name, publishConfig: manifest?.publishConfig }, config)).registry
  } catch {
    // Not a package name npm can read: the command itself reports that as a usage error.
    return typeof config.registry === 'string' ? config.registry : NPMJS_REGISTRY
  }
}

/**
 * The registry a package goes to, the same for every command: `--registry` wins over everything (as npm ≥ 9
 * gives flags precedence), else what `publishWithOidc` picks (`publishConfig` over npm's configuration, then
 * npm-registry-fetch's scope-first rule).
 *
 * @throws {OidcError} `ERR_OIDC_INSECURE_REGISTRY` when `--registry` carries a CI credential
 */
export async function registryFor (
  name: string, config: NpmConfig, env: Env, flag?: string, manifest?: Readonly<Record<string, unknown>>
): Promise<CliRegistry> {
  const configured = await configuredRegistry(name, config, manifest)
  if (flag === undefined) return { registry: configured }
  refuseCredentialUrl('--registry', flag, env)
  const same = configured.replace(/\/?$/, '/') === flag.replace(/\/?$/, '/')
  return same || !namesRegistry(name, config, manifest)
    ? { registry: flag }
    : { registry: flag, overridden: configured }
}
