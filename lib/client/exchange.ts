import { OidcError } from '../errors.js'
import { sendTokenRequest } from './transport.js'
import { TransientFailure, parseRetryAfter, type CallClock } from './retry.js'
import { excerpt, isTransientStatus, parseJson, registryMessageOf, stringField } from '../util/response.js'
import { scrubText } from '../util/scrub.js'
import { IMMUTABLE_SUBJECT_ISSUE, describePublisher, hasImmutableSubject } from './publisher-hint.js'
import { exchangeUrl, type RegistryTarget } from './registry-target.js'
import { userAgent } from './user-agent.js'
import type { IdTokenClaims } from './claims.js'
import type { ResolvedOptions } from './resolve-options.js'

/** What one exchange needs. */
export interface ExchangeRequest {
  readonly target: RegistryTarget
  readonly pkgName: string
  readonly escapedName: string
  readonly idToken: string
  readonly claims: IdTokenClaims
  readonly provider: string
  readonly providerName: string
  readonly options: ResolvedOptions
  readonly clock: CallClock
}

/** The registry's answer on success. */
export interface ExchangeResult {
  readonly token: string
  readonly expires?: Date
}

function noPublisherHint (request: ExchangeRequest): string {
  const presented = describePublisher(request.claims)
  const compare = presented
    ? `this job presents ${presented}; the publisher must name exactly these, case included`
    : 'check the trusted publisher on the registry'
  const immutableSub = hasImmutableSubject(request.claims) ? `. ${IMMUTABLE_SUBJECT_ISSUE}` : ''
  // A 404 cannot tell a missing publisher from a missing package; only a packument lookup can (diagnose does).
  return `No trusted publisher of ${request.pkgName} matches this job (${compare})${immutableSub}. ` +
    '`npm-oidc doctor` also looks the package up, in case it does not exist on the registry'
}

function unauthorizedHint (request: ExchangeRequest): string {
  const iss = typeof request.claims.iss === 'string' ? request.claims.iss : 'unknown'
  return `The registry refused the ID token itself: its issuer (${iss}) may not be trusted (GHES, enterprise issuers ` +
    `and self-managed GitLab are not), its audience must be ${request.target.audience}, and it must not have expired`
}

function rejectedHint (status: number, registryMessage: string | undefined): string {
  if (status === 405) {
    return 'The registry does not implement the trusted-publishing token exchange (405 Method Not Allowed): ' +
      'publish to a registry that supports trusted publishing, or with a token'
  }
  return registryMessage
    ? 'The registry\'s message, quoted in parentheses, says why the request or the token was not acceptable'
    : 'The registry gave no reason why the request or the token was not acceptable; check that it supports ' +
      'trusted publishing and look at its logs'
}

/**
 * Exchanges an ID token for a publish token:
 * `POST <registry incl. path>-/npm/v1/oidc/token/exchange/package/<escaped>`, no body, the ID token as the only
 * credential, no redirect followed.
 *
 * @throws {OidcError} `ERR_OIDC_NO_TRUSTED_PUBLISHER`, `ERR_OIDC_UNAUTHORIZED`, `ERR_OIDC_EXCHANGE_REJECTED`,
 *   `ERR_OIDC_EXCHANGE_BAD_RESPONSE`, `ERR_OIDC_REDIRECT_REFUSED`; {@link TransientFailure} for what may be retried
 */
export async function exchangeIdToken (request: ExchangeRequest): Promise<ExchangeResult> {
  const { options, target } = request
  const who = { provider: request.provider, providerName: request.providerName, claims: request.claims }
  const failed = (facts: string, status?: number, registryMessage?: string, cause?: unknown): OidcError =>
    new OidcError('ERR_OIDC_EXCHANGE_FAILED', {
      ...who,
      what: 'the token exchange failed',
      facts,
      hint: 'The registry or the network is having trouble; rerun the job. Nothing was published',
      status,
      registryMessage,
      cause,
    })
  const url = exchangeUrl(target, request.escapedName)
  const res = await sendTokenRequest({
    method: 'POST',
    url,
    headers: {
      ...options.headers,
      'user-agent': userAgent(options, request.provider),
      accept: '*/*',
      'content-length': '0',
      'npm-command': 'publish',
      'npm-auth-type': 'web',
      authorization: `Bearer ${request.idToken}`,
    },
    options,
    clock: request.clock,
    unreachable: (facts, cause) => failed(`${facts} from ${target.href}`, undefined, undefined, cause),
  })
  const status = res.status
  const registryMessage = registryMessageOf(res.text, request.idToken)
  const facts = `status ${status} from ${target.href}${registryMessage ? `: ${registryMessage}` : ''}`
  if (status >= 200 && status < 300) {
    const body = res.oversized ? undefined : parseJson(res.text)
    const token = stringField(body, 'token')
    if (token === undefined) {
      const contentType = excerpt(scrubText(res.header('content-type') ?? 'no content-type', request.idToken))
      const unreadable = res.oversized
        ? 'body too large'
        : body === undefined ? `not JSON (${contentType}, ${res.text.length} characters)` : 'no string `token`'
      throw new OidcError('ERR_OIDC_EXCHANGE_BAD_RESPONSE', {
        ...who,
        what: 'the registry answered the exchange without a token',
        // A 2xx body may hold the token in a shape we could not parse (a BOM, JSONP, text): never quote it.
        facts: `status ${status}, ${unreadable}`,
        hint: 'The registry, or a proxy in front of it, does not implement the exchange as registry.npmjs.org does',
        status,
      })
    }
    const expiresAt = Date.parse(stringField(body, 'expires') ?? '')
    return Number.isNaN(expiresAt) ? { token } : { token, expires: new Date(expiresAt) }
  }
  if (status >= 300 && status < 400) {
    throw new OidcError('ERR_OIDC_REDIRECT_REFUSED', {
      ...who,
      what: 'the registry answered the exchange with a redirect',
      facts: `status ${status} from ${target.href}`,
      hint: 'The ID token is never sent to a redirect target; configure the registry URL the redirect points to',
      status,
    })
  }
  if (status === 404) {
    throw new OidcError('ERR_OIDC_NO_TRUSTED_PUBLISHER', {
      ...who,
      registryMessage,
      status,
      what: `the registry has no trusted publisher for ${request.pkgName} that matches this job`,
      facts,
      hint: noPublisherHint(request),
    })
  }
  if (status === 401) {
    throw new OidcError('ERR_OIDC_UNAUTHORIZED', {
      ...who,
      registryMessage,
      status,
      what: 'the registry refused the ID token',
      facts,
      hint: unauthorizedHint(request),
    })
  }
  if (isTransientStatus(status)) {
    throw new TransientFailure(failed(facts, status, registryMessage), parseRetryAfter(res.header('retry-after')))
  }
  throw new OidcError('ERR_OIDC_EXCHANGE_REJECTED', {
    ...who,
    registryMessage,
    status,
    what: 'the registry rejected the token exchange',
    facts,
    hint: rejectedHint(status, registryMessage),
  })
}
