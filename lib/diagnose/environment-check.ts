import { findExecutable } from '../providers/cli-mint.js'
import { type OidcProvider } from '../providers/provider.js'
import { envValue, type Env } from '../util/env.js'
import { detectCiVendor } from '../util/ci-vendor.js'
import { check, skipped } from './check.js'
import type { DiagnosisCheck } from './diagnosis.js'
import type { OidcCall } from '../client/oidc-call.js'

// ci-info's ids of the CIs that have a provider here; the checks below already explain those.
const PROVIDER_CIS = new Set(['GITHUB_ACTIONS', 'GITLAB', 'CIRCLE', 'BUILDKITE'])

/** Which provider this is, or what was looked for (and which other CI this is) when none applies. */
export async function environmentCheck (call: OidcCall): Promise<DiagnosisCheck> {
  const { provider, preMinted, env } = call
  if (provider) {
    const extra = preMinted ? '; NPM_ID_TOKEN is set and is used instead of the provider\'s own source' : ''
    return check('environment', 'pass', `${provider.name} (${provider.detectedBy} is set)${extra}`)
  }
  if (preMinted) {
    return check('environment', 'pass', 'no CI provider detected; NPM_ID_TOKEN is set and is used as it is')
  }
  const lookedFor = [...call.providers.map((p) => p.detectedBy), 'NPM_ID_TOKEN']
  // Buildkite is opt-in (not in defaultProviders); say so rather than "not in CI".
  const optIn = envValue(env, 'BUILDKITE') && !call.providers.some((p) => p.id === 'buildkite')
    ? ' Buildkite was detected but is opt-in: pass `providers: [...defaultProviders, buildkite]`.'
    : ''
  const ci = await detectCiVendor(env)
  const other = ci && !PROVIDER_CIS.has(ci.id) ? [`${ci.name}: trusted publishing is not available there`] : []
  return check('environment', 'fail', 'no OIDC provider detected: not in a supported CI job', {
    detail: [...other, `looked for ${lookedFor.join(', ')}`],
    hint: 'Run this in the CI job that publishes (GitHub Actions, GitLab CI/CD, CircleCI), ' +
      `or set NPM_ID_TOKEN to an ID token minted for ${call.target.audience}.${optIn}`,
  })
}

interface EventPayload { pull_request?: { head?: { repo?: { fork?: unknown } } } }

// GitHub writes the event payload to GITHUB_EVENT_PATH; a fork's pull request never gets an ID token.
async function isForkPullRequest (env: Env): Promise<boolean> {
  const path = envValue(env, 'GITHUB_EVENT_PATH')
  if (!path) return false
  // Not a static import: the bundle would load node:fs/promises with libnpmoidc.
  const { readFile } = await import('node:fs/promises')
  try {
    const event = JSON.parse(await readFile(path, 'utf8')) as EventPayload
    return event.pull_request?.head?.repo?.fork === true
  } catch {
    return false
  }
}

async function githubSource (env: Env): Promise<DiagnosisCheck> {
  const missing = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']
    .filter((key) => !envValue(env, key))
  if (missing.length === 0) {
    return check('token-source', 'pass',
      'the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)')
  }
  const event = envValue(env, 'GITHUB_EVENT_NAME')
  const fork = await isForkPullRequest(env)
  return check('token-source', 'fail', `the job may not request an ID token (${missing.join(' and ')} not set)`, {
    detail: event ? [`event ${event}${fork ? ' from a fork' : ''}`] : [],
    hint: fork
      ? 'Pull requests from forks never get an ID token; ' +
        'publish from a push, tag or release event of the repository itself.'
      : 'Add `permissions: id-token: write` to the publishing job; ' +
        'when it runs in a reusable workflow, the calling workflow must grant it too.',
  })
}

async function cliSource (command: string, env: Env, hint: string): Promise<DiagnosisCheck> {
  const executable = await findExecutable(command, env)
  if (executable) {
    return check('token-source', 'pass',
      `NPM_ID_TOKEN is not set; the ID token will be minted with ${command} (${executable})`)
  }
  return check('token-source', 'fail', `NPM_ID_TOKEN is not set and ${command} is not on PATH`, { hint })
}

/** Where the ID token will come from, checked without requesting one. */
export async function tokenSourceCheck (call: OidcCall, environment: DiagnosisCheck): Promise<DiagnosisCheck> {
  if (environment.status === 'fail') return skipped('token-source', environment)
  const { env, preMinted, provider } = call
  const audience = call.target.audience
  if (preMinted) return check('token-source', 'pass', `NPM_ID_TOKEN is set (${preMinted.length} characters)`)
  switch (provider?.id) {
    case 'github-actions':
      return githubSource(env)
    case 'gitlab':
      return check('token-source', 'fail', 'NPM_ID_TOKEN is not set', {
        hint: 'Declare it on the publishing job (or under `default:`, not at the top level): ' +
          `id_tokens: { NPM_ID_TOKEN: { aud: "${audience}" } }`,
      })
    case 'circleci':
      return cliSource('circleci', env,
        `Mint one before publishing: export NPM_ID_TOKEN="$(circleci run oidc get --claims '{"aud":"${audience}"}')"`)
    case 'buildkite':
      return cliSource('buildkite-agent', env, 'Run on a Buildkite agent, or ' +
        `export NPM_ID_TOKEN="$(buildkite-agent oidc request-token --audience ${audience})"`)
    default:
      return check('token-source', 'pass', `provider ${(provider as OidcProvider).id} obtains its own ID token`)
  }
}
