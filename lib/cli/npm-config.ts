import { pickPublishRegistry } from '../publish-registry.js'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Env } from '../providers/provider.js'

/** npm configuration as flat `key → value` strings (`registry`, `@scope:registry`, `//host/:_authToken` …). */
export type NpmConfig = Readonly<Record<string, string>>

const DEFAULT_REGISTRY = 'https://registry.npmjs.org/'

function expand (value: string, env: Env): string {
  // As npm does; an unset variable stays literal, which credentials.ts reads as "no token" (pitfall 7).
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => env[name] ?? whole)
}

/** A minimal ini reader for `.npmrc`: `key = value` lines, `;`/`#` comments, quoted values; sections ignored. */
export function parseNpmrc (text: string, env: Env): Record<string, string> {
  const config: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) continue
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    let value = line.slice(eq + 1).trim()
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1)
    config[expand(line.slice(0, eq).trim(), env)] = expand(value, env)
  }
  return config
}

async function readNpmrc (file: string, env: Env): Promise<Record<string, string>> {
  try {
    return parseNpmrc(await readFile(file, 'utf8'), env)
  } catch {
    return {}
  }
}

/**
 * npm's configuration as far as the CLI needs it, by npm's precedence: `npm_config_*` variables, then the
 * project `.npmrc` in `cwd`, then the user `.npmrc` (`npm_config_userconfig` or `$HOME/.npmrc`). Global and
 * built-in config files are not read.
 */
export async function loadNpmConfig (cwd: string, env: Env): Promise<NpmConfig> {
  const fromEnv: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || !/^npm_config_/i.test(key)) continue
    const name = key.slice('npm_config_'.length)
    // Credential keys stay as written (`//host/:_authToken`); the rest are normalised as npm does (`fetch_retries` → `fetch-retries`).
    fromEnv[name.startsWith('//') ? name : name.replace(/(?!^)_/g, '-').toLowerCase()] = value
  }
  const userFile = fromEnv.userconfig ?? (env.HOME ? join(env.HOME, '.npmrc') : undefined)
  const user = userFile ? await readNpmrc(userFile, env) : {}
  const project = await readNpmrc(join(cwd, '.npmrc'), env)
  return { ...user, ...project, ...fromEnv }
}

/**
 * The registry a package goes to: `--registry`, else what `publishWithOidc` would pick (the manifest's
 * `publishConfig` over npm's configuration, then npm-registry-fetch's scope-first rule), so that `doctor`, `token`
 * and `preflight` look at the registry `publish` uses.
 */
export async function registryFor (name: string, config: NpmConfig, flag?: string, manifest?: Readonly<Record<string, unknown>>): Promise<string> {
  if (flag !== undefined) return flag
  try {
    return (await pickPublishRegistry({ name, publishConfig: manifest?.publishConfig }, config)).registry
  } catch {
    // Not a package name npm can read: the command itself reports that as a usage error.
    return config.registry || DEFAULT_REGISTRY
  }
}
