import t from 'tap'
import { runCli, project } from '../fixtures/cli.js'
import { memoryIo } from '../fixtures/io.js'
import { fakeGithubJob, exchanged } from '../fixtures/job.js'
import { json, startServer } from '../fixtures/server.js'
import { githubClaims, makeIdToken } from '../fixtures/id-token.js'
import { main } from '../../lib/cli/main.js'

const token = (): string => `npm_${Math.random().toString(36).slice(2)}${'t'.repeat(30)}`

t.test('GitHub Actions: stdout is the token, nothing else; ::add-mask:: on stderr is the only other place it appears', async (t) => {
  const job = await fakeGithubJob(t)
  const secret = token()
  job.server.queue(job.idTokenReply(), exchanged(secret, new Date(Date.now() + 3_600_000).toISOString()))
  const cwd = await project(t, { 'package.json': { name: '@acme/widgets' } })
  const run = await runCli(['token', '--registry', job.registry], { cwd, env: job.env })
  t.equal(run.code, 0)
  t.equal(run.stdout, `${secret}\n`)
  t.ok(run.stderr.startsWith(`::add-mask::${secret}\n`))
  t.notOk(run.stderr.slice(`::add-mask::${secret}\n`.length).includes(secret))
  t.match(run.stderr, /^npm-oidc: publish token for @acme\/widgets at http:\/\/127\.0\.0\.1:\d+\/ \(\/\/127\.0\.0\.1:\d+\/:_authToken\), expires /m)
  for (const idToken of job.issued) t.notOk((run.stdout + run.stderr).includes(idToken))
})

t.test('elsewhere: only the token on stdout', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const secret = token()
  server.queue(exchanged(secret))
  const cwd = await project(t, {})
  const idToken = makeIdToken(githubClaims({ aud: 'npm:127.0.0.1' }))
  const run = await runCli(['token', 'widgets'], { cwd, env: { NPM_ID_TOKEN: idToken, npm_config_registry: `${server.origin}/` } })
  t.equal(run.code, 0)
  t.equal(run.stdout, `${secret}\n`)
  t.notOk(run.stderr.includes(secret) || run.stderr.includes(idToken))
})

t.test('failures print nothing on stdout and exit 1; usage errors exit 2', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), json(404, { message: 'OIDC token exchange error - package not found' }))
  const cwd = await project(t, {})
  const refused = await runCli(['token', 'widgets', '--registry', job.registry], { cwd, env: job.env })
  t.equal(refused.code, 1)
  t.equal(refused.stdout, '')
  t.match(refused.stderr, /no trusted publisher for widgets/)
  t.match(refused.stderr, /^::error title=npm-oidc%3A token widgets::/m)
  const io = memoryIo(cwd, {})
  t.equal(await main(['token', 'widgets', '--registry', job.registry], io), 1)
  t.same([io.out(), io.err()], ['', 'npm-oidc: no OIDC provider detected and NPM_ID_TOKEN is not set; run `npm-oidc doctor` for details\n'])
  const elsewhere = memoryIo(cwd, { NPM_ID_TOKEN: 'x' })
  t.equal(await main(['token', 'widgets', '--registry', job.registry], elsewhere), 1)
  t.match(elsewhere.err(), /not a JWT/)
  t.notMatch(elsewhere.err(), '::error')
  const noName = memoryIo(cwd)
  t.equal(await main(['token'], noName), 2)
  const badName = memoryIo(cwd)
  t.equal(await main(['token', 'Bad Name'], badName), 2)
  t.equal(await main(['token', '--nope'], memoryIo(cwd)), 2)
})
