import { OidcError } from '../errors.js'
import { type OidcProvider, type ProviderContext } from './provider.js'
import { envValue, type Env } from '../util/env.js'

/** GitLab CI/CD: the job declares `NPM_ID_TOKEN` under `id_tokens:`; nothing can be requested at run time. */
export const gitlab: OidcProvider = Object.freeze({
  id: 'gitlab',
  name: 'GitLab CI/CD',
  detectedBy: 'GITLAB_CI',
  detect: (env: Env) => envValue(env, 'GITLAB_CI') !== undefined,
  async getIdToken (context: ProviderContext): Promise<never> {
    const host = context.audience.slice('npm:'.length)
    throw new OidcError('ERR_OIDC_NO_ID_TOKEN', {
      provider: 'gitlab',
      providerName: 'GitLab CI/CD',
      what: 'the job has no ID token',
      facts: 'NPM_ID_TOKEN is not set',
      hint: 'Declare it on the publishing job (or under `default:`, not at the top level): ' +
        `id_tokens: { NPM_ID_TOKEN: { aud: "npm:${host}" } }` +
        '; add SIGSTORE_ID_TOKEN with aud "sigstore" for provenance',
    })
  },
})
