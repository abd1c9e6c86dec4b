import t from 'tap'
import { getOidcToken } from '../../lib/index.js'
import { gitlab } from '../../lib/providers/gitlab.js'
import { startServer } from '../fixtures/server.js'
import { exchanged } from '../fixtures/job.js'
import { makeIdToken } from '../fixtures/id-token.js'

t.test('detection', async (t) => {
  t.equal(gitlab.detect({ GITLAB_CI: 'true' }), true)
  t.equal(gitlab.detect({}), false)
})

t.test('uses NPM_ID_TOKEN from id_tokens', async (t) => {
  const server = await startServer(exchanged('npm_gitlab'))
  t.teardown(() => server.close())
  const idToken = makeIdToken({ aud: 'npm:127.0.0.1', project_path: 'group/sub/project', ci_config_ref_uri: 'gitlab.com/group/sub/project//.gitlab-ci.yml@refs/heads/main' })
  const result = await getOidcToken('@group/pkg', `${server.origin}/`, { GITLAB_CI: 'true', NPM_ID_TOKEN: idToken })
  t.equal(result?.provider, 'gitlab')
  t.equal(result?.claims.project_path, 'group/sub/project')
  t.equal(server.requests[0]?.headers.authorization, `Bearer ${idToken}`)
})

t.test('without NPM_ID_TOKEN: the YAML to add, and no request', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  for (const env of [{ GITLAB_CI: 'true' }, { GITLAB_CI: 'true', NPM_ID_TOKEN: '' }]) {
    await t.rejects(getOidcToken('pkg', `${server.origin}/`, env), {
      code: 'ERR_OIDC_NO_ID_TOKEN',
      provider: 'gitlab',
      message: /^GitLab CI\/CD: the job has no ID token \(NPM_ID_TOKEN is not set\)/,
      hint: /id_tokens: \{ NPM_ID_TOKEN: \{ aud: "npm:127\.0\.0\.1" \} \}/,
    })
  }
  t.equal(server.requests.length, 0)
})

t.test('a 404 names the GitLab fields the registry compares', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  server.fallback = (res) => { res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}') }
  const idToken = makeIdToken({ aud: 'npm:127.0.0.1', project_path: 'group/project', ci_config_ref_uri: 'gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main', environment: 'production' })
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, { GITLAB_CI: 'true', NPM_ID_TOKEN: idToken }), {
    code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER',
    hint: /project path "group\/project", CI file "\.gitlab-ci\.yml", environment "production"/,
  })
})
