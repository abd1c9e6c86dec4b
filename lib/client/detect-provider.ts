import type { OidcProvider } from '../providers/provider.js'
import type { Env } from '../util/env.js'
import { silly } from '../util/log.js'

/**
 * Finds the first provider whose environment this is, logging why each earlier one was skipped.
 *
 * @param providers - the providers to try, in order (`defaultProviders` unless the caller gave its own)
 * @param env - the environment to read
 * @returns the provider, or `undefined` when none applies
 * @example
 * ```ts
 * const provider = detectProvider(defaultProviders, process.env)
 * console.log(provider?.name ?? 'no CI provider')
 * ```
 */
export function detectProvider (providers: readonly OidcProvider[], env: Env): OidcProvider | undefined {
  for (const provider of providers) {
    if (provider.detect(env)) return provider
    silly(`Skipped ${provider.id}: ${provider.detectedBy} not set`)
  }
  return undefined
}
