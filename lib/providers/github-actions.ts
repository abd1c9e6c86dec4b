import { OidcError } from '../errors.js'
import { sendTokenRequest } from '../client/transport.js'
import { TransientFailure, parseRetryAfter, withRetries } from '../client/retry.js'
import { excerpt, isTransientStatus, parseJson, stringField } from '../util/response.js'
import { userAgent } from '../client/user-agent.js'
import { isLoopbackHost } from '../util/connection-options.js'
import { scrubText } from '../util/scrub.js'
import {
  asCallContext, type CallContext, type IdTokenSource, type OidcProvider, type ProviderContext,
} from './provider.js'
import { envValue, type Env } from '../util/env.js'

const NAME = 'GitHub Actions'
const ID = 'github-actions'
const SOURCE = 'the GitHub ID-token endpoint'
const who = { provider: ID, providerName: NAME } as const

function noPermission (env: Env, missing: string[]): OidcError {
  const event = envValue(env, 'GITHUB_EVENT_NAME')
  const fromPullRequest = event === 'pull_request' ? ' Pull requests from forks never get an ID token.' : ''
  return new OidcError('ERR_OIDC_NO_PERMISSION', {
    ...who,
    what: 'the job may not request an ID token',
    facts: `${missing.join(' and ')} not set${event ? `, event ${event}` : ''}`,
    hint: 'Add `permissions: id-token: write` to the publishing job; when it runs in a reusable workflow, ' +
      `the calling workflow must grant it too.${fromPullRequest}`,
  })
}

function requestFailed (facts: string, status?: number, cause?: unknown): OidcError {
  return new OidcError('ERR_OIDC_ID_TOKEN_REQUEST_FAILED', {
    ...who,
    what: 'the ID-token request failed',
    facts,
    hint: 'This is usually a passing GitHub fault; rerun the job. If it persists, check the job\'s `permissions`',
    status,
    cause,
  })
}

async function requestIdToken (context: CallContext, url: URL, requestToken: string): Promise<string> {
  const { options, clock } = context
  return withRetries(async () => {
    const res = await sendTokenRequest({
      method: 'GET',
      url: url.href,
      headers: {
        ...options.headers,
        'user-agent': userAgent(options, ID),
        accept: 'application/json',
        authorization: `Bearer ${requestToken}`,
      },
      options,
      clock,
      unreachable: (facts, cause) => requestFailed(facts, undefined, cause),
    })
    if (res.status >= 300 && res.status < 400) {
      throw new OidcError('ERR_OIDC_REDIRECT_REFUSED', {
        ...who,
        what: 'the ID-token endpoint answered with a redirect',
        facts: `status ${res.status}`,
        hint: 'The request token is never sent to a redirect target; check ACTIONS_ID_TOKEN_REQUEST_URL',
        status: res.status,
      })
    }
    // The status is checked before the body is parsed: a 403 page is not JSON (npm 11 parses first).
    if (res.status >= 200 && res.status < 300) {
      const value = stringField(parseJson(res.text), 'value')
      if (value === undefined) {
        throw new OidcError('ERR_OIDC_ID_TOKEN_MALFORMED', {
          ...who,
          what: 'the ID-token endpoint answered without a token',
          facts: `status ${res.status}, no string \`value\` in the body`,
          hint: 'Rerun the job; if it persists, GitHub\'s ID-token service is not answering as documented',
          status: res.status,
        })
      }
      return value
    }
    // An error page that echoes the request (some proxies do) must not carry the request token into the message.
    const facts = `status ${res.status}${res.text ? `: ${excerpt(scrubText(res.text, requestToken))}` : ''}`
    // GitHub answers 403 "Can't issue ID_TOKEN for job in 'Pending' state" while a job is still starting.
    if (isTransientStatus(res.status) || (res.status === 403 && /pending/i.test(res.text))) {
      throw new TransientFailure(requestFailed(facts, res.status), parseRetryAfter(res.header('retry-after')))
    }
    throw requestFailed(facts, res.status)
  }, options, clock)
}

/** GitHub Actions: asks the job's ID-token endpoint, which exists only with `permissions: id-token: write`. */
export const githubActions: OidcProvider = Object.freeze({
  id: ID,
  name: NAME,
  detectedBy: 'GITHUB_ACTIONS',
  detect: (env: Env) => envValue(env, 'GITHUB_ACTIONS') !== undefined,
  async getIdToken (context: ProviderContext): Promise<IdTokenSource> {
    const rawUrl = envValue(context.env, 'ACTIONS_ID_TOKEN_REQUEST_URL')
    const requestToken = envValue(context.env, 'ACTIONS_ID_TOKEN_REQUEST_TOKEN')
    const missing = [
      ...(rawUrl ? [] : ['ACTIONS_ID_TOKEN_REQUEST_URL']),
      ...(requestToken ? [] : ['ACTIONS_ID_TOKEN_REQUEST_TOKEN']),
    ]
    if (!rawUrl || !requestToken) throw noPermission(context.env, missing)
    let url: URL
    try {
      url = new URL(rawUrl)
    } catch {
      throw requestFailed('ACTIONS_ID_TOKEN_REQUEST_URL is not a URL')
    }
    // The request token must not cross the wire in clear text; plain http is for a local stand-in only.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      throw new OidcError('ERR_OIDC_ID_TOKEN_REQUEST_FAILED', {
        ...who,
        what: 'refusing to send the request token to ACTIONS_ID_TOKEN_REQUEST_URL',
        facts: `its scheme is ${url.protocol}, not https:`,
        hint: 'GitHub sets an https:// URL; something in the job replaced ACTIONS_ID_TOKEN_REQUEST_URL. ' +
          'Plain http is allowed only for a loopback host',
      })
    }
    // The URL already carries `api-version`; the audience joins that query.
    url.searchParams.set('audience', context.audience)
    return { idToken: await requestIdToken(asCallContext(context), url, requestToken), source: SOURCE }
  },
})
