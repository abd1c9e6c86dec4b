import { cliProvider } from './cli-mint.js'

/**
 * Buildkite, through `buildkite-agent oidc request-token`. Not in `defaultProviders`: registry.npmjs.org
 * does not document Buildkite as a trusted publisher yet. Opt in with `providers: [...defaultProviders, buildkite]`.
 */
export const buildkite = cliProvider({
  id: 'buildkite',
  name: 'Buildkite',
  detectedBy: 'BUILDKITE',
  command: 'buildkite-agent',
  source: 'buildkite-agent oidc request-token',
  args: (audience) => ['oidc', 'request-token', '--audience', audience],
  display: (audience) => `buildkite-agent oidc request-token --audience ${audience}`,
  missing: (display) => ({
    facts: 'NPM_ID_TOKEN is not set and buildkite-agent is not on PATH',
    hint: `Run the publish step on a Buildkite agent, or export NPM_ID_TOKEN="$(${display})"`,
  }),
})
