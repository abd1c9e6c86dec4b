import type { IdTokenClaims } from './claims.js'
import type { ExchangeRequest } from './exchange.js'
import type { OidcCall } from './oidc-call.js'
import type { CallContext } from '../providers/provider.js'

/** Internal: the exchange request of a call for one ID token. */
export function exchangeRequestFor (
  call: OidcCall, context: CallContext, idToken: string, claims: IdTokenClaims
): ExchangeRequest {
  return {
    target: call.target,
    pkgName: call.pkgName,
    escapedName: call.escapedName,
    idToken,
    claims,
    provider: call.who.id,
    providerName: call.who.name,
    options: call.options,
    clock: context.clock,
  }
}
