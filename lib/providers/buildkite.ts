import { OidcError } from '../errors.js'
import { findExecutable, mintWithCli } from './cli-mint.js'
import { envValue, type Env, type IdTokenSource, type OidcProvider, type ProviderContext } from './provider.js'

const NAME = 'Buildkite'

/**
 * Buildkite, through `buildkite-agent oidc request-token`. Not in {@link defaultProviders}: registry.npmjs.org
 * does not document Buildkite as a trusted publisher yet. Opt in with `providers: [...defaultProviders, buildkite]`.
 */
export const buildkite: OidcProvider = Object.freeze({
  id: 'buildkite',
  name: NAME,
  detectedBy: 'BUILDKITE',
  detect: (env: Env) => envValue(env, 'BUILDKITE') !== undefined,
  async getIdToken (context: ProviderContext): Promise<IdTokenSource> {
    const display = `buildkite-agent oidc request-token --audience ${context.audience}`
    const executable = await findExecutable('buildkite-agent', context.env)
    if (!executable) {
      throw new OidcError('ERR_OIDC_NO_ID_TOKEN', {
        provider: 'buildkite',
        providerName: NAME,
        what: 'the job has no ID token',
        facts: 'NPM_ID_TOKEN is not set and buildkite-agent is not on PATH',
        hint: `Run the publish step on a Buildkite agent, or export NPM_ID_TOKEN="$(${display})"`,
      })
    }
    const idToken = await mintWithCli({
      executable,
      args: ['oidc', 'request-token', '--audience', context.audience],
      provider: 'buildkite',
      providerName: NAME,
      display,
    }, context)
    return { idToken, source: 'buildkite-agent oidc request-token' }
  },
})
