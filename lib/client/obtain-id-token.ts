import { checkClaims, decodeIdToken, type ClaimContext, type IdTokenClaims } from './claims.js'
import type { RegistryCall } from './oidc-call.js'
import type { CallContext, OidcProvider } from '../providers/provider.js'
import { verbose } from '../util/log.js'
import { loadJwtDecoder } from '../util/jose.js'

/** An ID token, decoded but not yet checked. `idToken` is a secret. */
export interface ObtainedIdToken {
  readonly idToken: string
  readonly source: string
  readonly claims: IdTokenClaims
  readonly claimContext: ClaimContext
}

/**
 * Internal: obtains one ID token (`NPM_ID_TOKEN`, else the provider's source) and decodes it. No claim is
 * checked and nothing is exchanged.
 *
 * @throws {OidcError} the provider's codes and `ERR_OIDC_ID_TOKEN_MALFORMED`
 */
export async function obtainIdToken (call: RegistryCall, context: CallContext): Promise<ObtainedIdToken> {
  // jose's decoders load while the provider's request is in flight: their load time hides behind the network wait.
  const [{ idToken, source }] = await Promise.all([
    call.preMinted
      ? { idToken: call.preMinted, source: 'NPM_ID_TOKEN' }
      : (call.provider as OidcProvider).getIdToken(context),
    loadJwtDecoder(),
  ])
  const claimContext: ClaimContext = { provider: call.who.id, providerName: call.who.name, source }
  const claims = await decodeIdToken(idToken, claimContext)
  return { idToken, source, claims, claimContext }
}

/**
 * Internal: obtains an ID token and checks its claims for the call's audience — everything before an exchange.
 *
 * @throws {OidcError} the provider's codes and those of `checkClaims`
 */
export async function obtainCheckedIdToken (call: RegistryCall, context: CallContext): Promise<ObtainedIdToken> {
  const obtained = await obtainIdToken(call, context)
  const { claims, claimContext, source } = obtained
  checkClaims(claims, call.target.audience, claimContext)
  verbose(`Got an ID token from ${source} for ${call.target.audience} (provider ${call.who.id}, ` +
    `expires ${new Date((claims.exp as number) * 1000).toISOString()})`)
  return obtained
}
