import t from 'tap'
import { getOidcToken } from '../../lib/index.js'
import { githubActions } from '../../lib/providers/github-actions.js'
import { fakeGithubJob, exchanged, fast } from '../fixtures/job.js'
import { json, text, hang } from '../fixtures/server.js'

t.test('detection reads only the given env; any non-empty value counts', async (t) => {
  t.equal(githubActions.detect({ GITHUB_ACTIONS: 'true' }), true)
  t.equal(githubActions.detect({ GITHUB_ACTIONS: 'false' }), true, 'ci-info\'s rule')
  t.equal(githubActions.detect({ GITHUB_ACTIONS: '' }), false)
  t.equal(githubActions.detect({}), false)
})

t.test('no permission: a typed error and no request', async (t) => {
  const job = await fakeGithubJob(t)
  const cases = [
    { name: 'both missing', env: { GITHUB_ACTIONS: 'true' }, facts: /ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN not set\)/ },
    { name: 'token missing', env: { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: job.env.ACTIONS_ID_TOKEN_REQUEST_URL }, facts: /\(ACTIONS_ID_TOKEN_REQUEST_TOKEN not set\)/ },
    { name: 'fork pull request', env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request' }, facts: /not set, event pull_request\).*forks never get an ID token/ },
  ]
  for (const c of cases) {
    await t.rejects(getOidcToken('pkg', job.registry, c.env), {
      code: 'ERR_OIDC_NO_PERMISSION', provider: 'github-actions', message: c.facts, hint: /permissions: id-token: write.*reusable workflow/,
    }, c.name)
  }
  t.equal(job.server.requests.length, 0)
})

t.test('the ID-token endpoint\'s answers', async (t) => {
  const cases = [
    { name: '401 is not retried', replies: [json(401, { message: 'Bad credentials' })], code: 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED', status: 401, requests: 1, message: /status 401: {"message":"Bad credentials"}/ },
    { name: '404 is not retried', replies: [text(404, 'Not Found')], code: 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED', status: 404, requests: 1, message: /status 404: Not Found/ },
    { name: '200 without value', replies: [json(200, { count: 1 })], code: 'ERR_OIDC_ID_TOKEN_MALFORMED', status: 200, requests: 1, message: /no string `value`/ },
    { name: '200 that is not JSON', replies: [text(200, '<html>')], code: 'ERR_OIDC_ID_TOKEN_MALFORMED', status: 200, requests: 1, message: /without a token/ },
    { name: '302', replies: [json(302, {}, { location: '/elsewhere' })], code: 'ERR_OIDC_REDIRECT_REFUSED', status: 302, requests: 1, message: /redirect \(status 302\)/ },
    { name: '500 three times', replies: [json(500, {}), json(502, {}), text(503, '')], code: 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED', status: 503, requests: 3, message: /status 503\)/ },
  ]
  for (const c of cases) {
    const job = await fakeGithubJob(t)
    job.server.queue(...c.replies)
    await t.rejects(getOidcToken('pkg', job.registry, job.env, fast), { code: c.code, status: c.status, message: c.message }, c.name)
    t.equal(job.server.requests.length, c.requests, `${c.name}: ${c.requests} request(s)`)
  }
})

t.test('GitHub\'s "Pending" 403, a 5xx and a reset are retried', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(
    text(403, 'Can\'t issue ID_TOKEN for job in \'Pending\' state'),
    json(500, {}),
    job.idTokenReply(),
    exchanged('npm_after_pending')
  )
  t.equal((await getOidcToken('pkg', job.registry, job.env, fast))?.token, 'npm_after_pending')
  t.same(job.server.requests.map((r) => r.method), ['GET', 'GET', 'GET', 'POST'])
})

t.test('an ID-token endpoint that never answers ends in the per-request timeout', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.fallback = hang
  await t.rejects(getOidcToken('pkg', job.registry, job.env, { timeout: 30, retry: { retries: 0 } }), {
    code: 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED', message: /no answer within 30 ms/,
  })
})

t.test('a request URL that is not a URL', async (t) => {
  await t.rejects(getOidcToken('pkg', 'https://registry.npmjs.org/', {
    GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: 'not a url', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x',
  }), { code: 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED', message: /ACTIONS_ID_TOKEN_REQUEST_URL is not a URL/ })
})
