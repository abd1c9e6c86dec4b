import t from 'tap'
import { readFile } from 'node:fs/promises'
import { buildkite, defaultProviders, getOidcToken } from '../../lib/index.js'
import { startServer } from '../fixtures/server.js'
import { exchanged } from '../fixtures/job.js'
import { makeIdToken } from '../fixtures/id-token.js'
import { fakeCli } from '../fixtures/fake-cli.js'

t.test('Buildkite is opt-in', async (t) => {
  t.notOk(defaultProviders.includes(buildkite))
  t.equal(await getOidcToken('pkg', 'https://registry.npmjs.org/', { BUILDKITE: 'true' }), null)
  t.equal(buildkite.detect({ BUILDKITE: 'true' }), true)
  t.equal(buildkite.detect({}), false)
})

t.test('mints with buildkite-agent', async (t) => {
  const server = await startServer(exchanged('npm_bk'))
  t.teardown(() => server.close())
  const cli = await fakeCli(t, 'buildkite-agent', `echo "${makeIdToken({ aud: 'npm:127.0.0.1', runner_environment: 'buildkite-hosted' })}"`)
  const result = await getOidcToken('pkg', `${server.origin}/`, { BUILDKITE: 'true', PATH: cli.dir }, { providers: [...defaultProviders, buildkite] })
  t.equal(result?.provider, 'buildkite')
  t.same((await readFile(cli.calls, 'utf8')).trim().split('\n'), ['oidc', 'request-token', '--audience', 'npm:127.0.0.1'])
})

t.test('no agent on PATH', async (t) => {
  await t.rejects(getOidcToken('pkg', 'https://registry.npmjs.org/', { BUILDKITE: 'true', PATH: '/nonexistent' }, { providers: [buildkite] }), {
    code: 'ERR_OIDC_NO_ID_TOKEN', message: /^Buildkite: .*buildkite-agent is not on PATH/, hint: /buildkite-agent oidc request-token --audience npm:registry\.npmjs\.org/,
  })
})
