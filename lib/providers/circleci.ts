import { cliProvider } from './cli-mint.js'

/**
 * CircleCI: `NPM_ID_TOKEN` when the job exported one, else minted with the `circleci` CLI right before the
 * exchange (the registry reportedly accepts a CircleCI token only for a few minutes after issue).
 */
export const circleci = cliProvider({
  id: 'circleci',
  name: 'CircleCI',
  detectedBy: 'CIRCLECI',
  command: 'circleci',
  source: 'circleci run oidc get',
  args: (audience) => ['run', 'oidc', 'get', '--claims', JSON.stringify({ aud: audience })],
  display: (audience) => `circleci run oidc get --claims '${JSON.stringify({ aud: audience })}'`,
  missing: (display) => ({
    facts: 'NPM_ID_TOKEN is not set and the circleci CLI is not on PATH',
    hint: `Mint one before publishing: export NPM_ID_TOKEN="$(${display})". ` +
      '$CIRCLE_OIDC_TOKEN cannot be used: its audience is the organisation',
  }),
})
