import type { ResolvedOptions } from './resolve-options.js'
import { version } from '../version.js'

/** An honest `User-Agent`: ours, Node, platform, CI; the caller's own (npm's, say) first when given. */
export function userAgent (options: ResolvedOptions, provider: string): string {
  const ours = `libnpmoidc/${version} node/${process.version} ${process.platform} ${process.arch} ci/${provider}`
  return options.userAgent ? `${options.userAgent} ${ours}` : ours
}
