import { exchangeIdToken } from './exchange.js'
import { exchangeRequestFor } from './exchange-request-for.js'
import { ExchangedToken, type OidcToken } from './token.js'
import type { OidcCall } from './oidc-call.js'
import type { ObtainedIdToken } from './obtain-id-token.js'
import type { CallContext } from '../providers/provider.js'
import { verbose } from '../util/log.js'

/**
 * Internal: exchanges a checked ID token for one package's publish token.
 *
 * @throws {OidcError} the exchange's codes; `TransientFailure` for what may be retried
 */
export async function exchangeForPackage (
  call: OidcCall, context: CallContext, id: ObtainedIdToken
): Promise<OidcToken> {
  const { target, pkgName } = call
  const exchanged = await exchangeIdToken(exchangeRequestFor(call, context, id.idToken, id.claims))
  verbose(`Exchanged the ID token for a publish token for ${pkgName} at ${target.href}` +
    (exchanged.expires ? ` (expires ${exchanged.expires.toISOString()})` : ''))
  return new ExchangedToken(exchanged.token, {
    authKey: target.authKey,
    registry: target.href,
    package: pkgName,
    provider: call.who.id,
    ...(exchanged.expires ? { expires: exchanged.expires } : {}),
    claims: id.claims,
  })
}
