import type { Env } from './env.js'

interface RuleObject {
  readonly env?: string
  readonly includes?: string
  readonly any?: readonly string[]
}

// ci-info's rules for one `env` entry of vendors.json, read in its order: a name that is set, a value that
// includes a text, any of several names, or else exact values.
function matches (rule: string | RuleObject, env: Env): boolean {
  if (typeof rule === 'string') return !!env[rule]
  if (rule.env !== undefined) return env[rule.env]?.includes(rule.includes as string) === true
  if (rule.any !== undefined) return rule.any.some((key) => !!env[key])
  return Object.entries(rule).every(([key, value]) => env[key] === value)
}

// One entry of ci-info's vendors.json: a CI's display name, its id, and how its environment shows it.
interface CiVendor {
  readonly name: string
  readonly constant: string
  readonly env: string | RuleObject | ReadonlyArray<string | RuleObject>
}

/** A CI that ci-info knows: its id (ci-info's constant, such as `TRAVIS`) and display name. */
export interface CiVendorMatch {
  readonly id: string
  readonly name: string
}

/**
 * The CI `env` comes from, by ci-info's vendor table and rules (`CI=false` means none), computed from the
 * given environment rather than `process.env`.
 *
 * @returns the CI, or `undefined` when `env` matches none
 */
export async function detectCiVendor (env: Env): Promise<CiVendorMatch | undefined> {
  if (env.CI === 'false') return undefined
  const ciVendors = (await import('./ci-vendors.cjs')).default as readonly CiVendor[]
  let found: CiVendorMatch | undefined
  // The last match wins, as in ci-info.
  for (const vendor of ciVendors) {
    const rules: ReadonlyArray<string | RuleObject> = Array.isArray(vendor.env) ? vendor.env : [vendor.env]
    if (rules.every((rule) => matches(rule, env))) found = { id: vendor.constant, name: vendor.name }
  }
  return found
}
