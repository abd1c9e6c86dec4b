import { OidcError } from '../errors.js'
import { findExecutable, mintWithCli } from './cli-mint.js'
import { envValue, type Env, type IdTokenSource, type OidcProvider, type ProviderContext } from './provider.js'

const NAME = 'CircleCI'

/**
 * CircleCI: `NPM_ID_TOKEN` when the job exported one, else minted with the `circleci` CLI right before the
 * exchange (the registry reportedly accepts a CircleCI token only for a few minutes after issue).
 */
export const circleci: OidcProvider = Object.freeze({
  id: 'circleci',
  name: NAME,
  detectedBy: 'CIRCLECI',
  detect: (env: Env) => envValue(env, 'CIRCLECI') !== undefined,
  async getIdToken (context: ProviderContext): Promise<IdTokenSource> {
    const claimsArg = JSON.stringify({ aud: context.audience })
    const display = `circleci run oidc get --claims '${claimsArg}'`
    const executable = await findExecutable('circleci', context.env)
    if (!executable) {
      throw new OidcError('ERR_OIDC_NO_ID_TOKEN', {
        provider: 'circleci',
        providerName: NAME,
        what: 'the job has no ID token',
        facts: 'NPM_ID_TOKEN is not set and the circleci CLI is not on PATH',
        hint: `Mint one before publishing: export NPM_ID_TOKEN="$(${display})". $CIRCLE_OIDC_TOKEN cannot be used: its audience is the organisation`,
      })
    }
    const idToken = await mintWithCli({
      executable,
      args: ['run', 'oidc', 'get', '--claims', claimsArg],
      provider: 'circleci',
      providerName: NAME,
      display,
    }, context)
    return { idToken, source: 'circleci run oidc get' }
  },
})
