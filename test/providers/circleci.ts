import t from 'tap'
import { readFile } from 'node:fs/promises'
import { getOidcToken } from '../../lib/index.js'
import { circleci } from '../../lib/providers/circleci.js'
import { startServer, json } from '../fixtures/server.js'
import { exchanged, fast } from '../fixtures/job.js'
import { makeIdToken } from '../fixtures/id-token.js'
import { fakeCli } from '../fixtures/fake-cli.js'

const circleClaims = {
  aud: 'npm:127.0.0.1',
  'oidc.circleci.com/org-id': '11111111-1111-4111-8111-111111111111',
  'oidc.circleci.com/project-id': '22222222-2222-4222-8222-222222222222',
  'oidc.circleci.com/pipeline-definition-id': '33333333-3333-4333-8333-333333333333',
  'oidc.circleci.com/vcs-origin': 'github.com/acme/widgets',
}

t.test('detection', async (t) => {
  t.equal(circleci.detect({ CIRCLECI: 'true' }), true)
  t.equal(circleci.detect({}), false)
})

t.test('uses an exported NPM_ID_TOKEN', async (t) => {
  const server = await startServer(exchanged('npm_circle'))
  t.teardown(() => server.close())
  const result = await getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', NPM_ID_TOKEN: makeIdToken(circleClaims) })
  t.equal(result?.provider, 'circleci')
})

t.test('mints with the circleci CLI when NPM_ID_TOKEN is absent', async (t) => {
  const server = await startServer(exchanged('npm_minted'))
  t.teardown(() => server.close())
  const token = makeIdToken(circleClaims)
  const cli = await fakeCli(t, 'circleci', `echo "${token}"`)
  const result = await getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', PATH: `/nonexistent:${cli.dir}` })
  t.equal(result?.token, 'npm_minted')
  t.same((await readFile(cli.calls, 'utf8')).trim().split('\n'), ['run', 'oidc', 'get', '--claims', '{"aud":"npm:127.0.0.1"}'])
  t.equal(server.requests[0]?.headers.authorization, `Bearer ${token}`)
})

t.test('no token and no CLI: the command to run', async (t) => {
  for (const env of [{ CIRCLECI: 'true', PATH: '/nonexistent::' }, { CIRCLECI: 'true' }]) {
    await t.rejects(getOidcToken('pkg', 'https://registry.npmjs.org/', env), {
      code: 'ERR_OIDC_NO_ID_TOKEN',
      message: /^CircleCI: the job has no ID token \(NPM_ID_TOKEN is not set and the circleci CLI is not on PATH\)/,
      hint: /export NPM_ID_TOKEN="\$\(circleci run oidc get --claims '\{"aud":"npm:registry\.npmjs\.org"\}'\)"/,
    })
  }
})

t.test('CLI failures', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const empty = await fakeCli(t, 'circleci', 'exit 0')
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', PATH: empty.dir }), {
    code: 'ERR_OIDC_NO_ID_TOKEN', message: /printed nothing/, hint: /shell quoting/,
  })
  const failing = await fakeCli(t, 'circleci', 'echo "oidc: not authorised" >&2; exit 3')
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', PATH: failing.dir }, fast), {
    code: 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED', message: /failed with exit code 3: oidc: not authorised\)/,
  })
  t.equal((await readFile(failing.calls, 'utf8')).split('\n').filter((l) => l === 'run').length, 3, 'retried twice')
  const garbled = await fakeCli(t, 'circleci', 'echo "{aud:npm}"')
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', PATH: garbled.dir }), {
    code: 'ERR_OIDC_ID_TOKEN_MALFORMED', hint: /shell quoting of the JSON/,
  })
  const slow = await fakeCli(t, 'circleci', 'exec /bin/sleep 5')
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', PATH: slow.dir }, { timeout: 50, retry: { retries: 0 } }), {
    code: 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED', message: /`circleci run oidc get --claims '\{"aud":"npm:127\.0\.0\.1"\}'` failed\)/,
  })
  const controller = new AbortController()
  const pending = getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', PATH: slow.dir }, { signal: controller.signal })
  setTimeout(() => controller.abort(new Error('cancelled')), 50)
  await t.rejects(pending, { message: 'cancelled' })
  t.equal(server.requests.length, 0)
})

t.test('SSH reruns are refused before any request', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', NPM_ID_TOKEN: makeIdToken({ ...circleClaims, 'oidc.circleci.com/ssh-rerun': true }) }), {
    code: 'ERR_OIDC_SSH_RERUN', hint: /without SSH/,
  })
  t.equal(server.requests.length, 0)
})

t.test('CIRCLE_OIDC_TOKEN\'s organisation audience is refused', async (t) => {
  await t.rejects(getOidcToken('pkg', 'https://registry.npmjs.org/', { CIRCLECI: 'true', NPM_ID_TOKEN: makeIdToken({ ...circleClaims, aud: circleClaims['oidc.circleci.com/org-id'] }) }), {
    code: 'ERR_OIDC_AUDIENCE_MISMATCH',
  })
})

t.test('a 404 names the CircleCI ids', async (t) => {
  const server = await startServer(json(404, { message: 'OIDC token exchange error - package not found' }))
  t.teardown(() => server.close())
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, { CIRCLECI: 'true', NPM_ID_TOKEN: makeIdToken(circleClaims) }), {
    hint: /org-id "11111111-1111-4111-8111-111111111111", project-id "2{8}-2{4}-4222-8222-2{12}", pipeline-definition-id "3{8}-3{4}-4333-8333-3{12}", vcs-origin "github\.com\/acme\/widgets"/,
  })
})
