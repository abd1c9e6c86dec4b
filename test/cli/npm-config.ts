import t from 'tap'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { project } from '../fixtures/cli.js'
import { memoryIo, type MemoryIo } from '../fixtures/io.js'
import { makeTarball } from '../fixtures/tarball.js'
import { loadNpmConfig, refuseCredentialUrl, registryFor } from '../../lib/cli/npm-config.js'
import { runningNpmCli } from '../../lib/cli/running-npm.js'
import { hasConfiguredCredentials } from '../../lib/util/npm-credentials.js'
import { isOidcError } from '../../lib/errors.js'

// eslint-disable-next-line no-template-curly-in-string -- the test name quotes npm's literal ${VAR} syntax
t.test('${VAR} in .npmrc: expanded when set; an unset one stays literal and counts as no token; ${VAR?} is empty', async (t) => {
  const home = await project(t, {})
  const cwd = await project(t, {
    // eslint-disable-next-line no-template-curly-in-string -- a literal .npmrc holding npm's ${VAR} references
    '.npmrc': '//r.example/:_authToken=${NODE_AUTH_TOKEN}\nregistry = ${REGISTRY_URL}\n@a:registry=https://a.example/${MISSING?}\n',
  })
  const config = await loadNpmConfig(cwd, { HOME: home, REGISTRY_URL: 'https://r.example/' })
  t.equal(config.registry, 'https://r.example/')
  t.equal(config['@a:registry'], 'https://a.example/')
  t.equal(hasConfiguredCredentials(config, 'https://r.example/'), false)
  const withToken = await loadNpmConfig(cwd, { HOME: home, REGISTRY_URL: 'https://r.example/', NODE_AUTH_TOKEN: 'abc' })
  t.equal(hasConfiguredCredentials(withToken, 'https://r.example/'), true)
})

t.test('kebab-case keys are flattened as npm does: a proxy, strict-ssl and a CA file reach the options', async (t) => {
  const home = await project(t, {})
  const cwd = await project(t, {
    'ca.pem': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
  })
  await writeFile(join(cwd, '.npmrc'), `https-proxy=http://127.0.0.1:9/\nproxy=http://127.0.0.1:8/\nstrict-ssl=false\ncafile=${join(cwd, 'ca.pem')}\nfetch-timeout=1234\n`)
  const config = await loadNpmConfig(cwd, { HOME: home })
  t.match(config, { httpsProxy: 'http://127.0.0.1:9/', proxy: 'http://127.0.0.1:8/', strictSSL: false, timeout: 1234 })
  t.same(config.ca, ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'])
  t.notOk('registry' in config, "npm's defaults are left to the library")
})

t.test("npm's precedence and project root: npm_config_* over the project over the user over the global npmrc", async (t) => {
  const home = await project(t, { '.npmrc': 'registry=https://user.example/\n@u:registry=https://u.example/\n' })
  const prefix = await project(t, {})
  await mkdir(join(prefix, 'etc'))
  await writeFile(join(prefix, 'etc', 'npmrc'), 'registry=https://global.example/\n@g:registry=https://g.example/\n')
  const root = await project(t, { 'package.json': { name: 'root' }, '.npmrc': '@p:registry=https://p.example/\n' })
  await mkdir(join(root, 'sub'))
  const config = await loadNpmConfig(join(root, 'sub'), { HOME: home, PREFIX: prefix, 'npm_config_@e:registry': 'https://e.example/' })
  t.match(config, {
    registry: 'https://user.example/',
    '@u:registry': 'https://u.example/',
    '@g:registry': 'https://g.example/',
    '@p:registry': 'https://p.example/',
    '@e:registry': 'https://e.example/',
  })
  const fromEnv = await loadNpmConfig(root, { HOME: home, npm_config_registry: 'https://env.example/' })
  t.equal(fromEnv.registry, 'https://env.example/')
})

t.test('CI credential variables are never expanded, and a URL holding one is refused without printing it', async (t) => {
  const home = await project(t, {})
  const secret = `s${Math.random().toString(36).slice(2)}`
  // eslint-disable-next-line no-template-curly-in-string -- a literal .npmrc holding an npm ${VAR} reference
  const literal = await project(t, { '.npmrc': '//h.example/:_authToken=${GITHUB_TOKEN}\n' })
  const config = await loadNpmConfig(literal, { HOME: home, GITHUB_TOKEN: secret })
  // eslint-disable-next-line no-template-curly-in-string -- the reference must stay unexpanded, character for character
  t.equal(config['//h.example/:_authToken'], '${GITHUB_TOKEN}')
  // eslint-disable-next-line no-template-curly-in-string -- a literal .npmrc holding an npm ${VAR} reference
  const named = await project(t, { '.npmrc': '@a:registry=https://h.example/${ACTIONS_ID_TOKEN_REQUEST_TOKEN}/\n' })
  await t.rejects(loadNpmConfig(named, { HOME: home, ACTIONS_ID_TOKEN_REQUEST_TOKEN: secret }), { code: 'ERR_OIDC_INSECURE_REGISTRY', message: /@a:registry refers to \$\{ACTIONS_ID_TOKEN_REQUEST_TOKEN\}/ })
  const valued = await project(t, {})
  const err = await loadNpmConfig(valued, { HOME: home, CIRCLE_OIDC_TOKEN_V2: secret, npm_config_proxy: `http://${secret}@p.example/` })
    .catch((e: unknown) => e)
  t.ok(isOidcError(err, 'ERR_OIDC_INSECURE_REGISTRY'))
  t.notMatch((err as Error).message, secret)
  t.doesNotThrow(() => refuseCredentialUrl('registry', undefined, { NPM_ID_TOKEN: secret }))
  t.doesNotThrow(() => refuseCredentialUrl('registry', 'https://ok.example/', { NPM_ID_TOKEN: '' }))
  t.doesNotThrow(() => refuseCredentialUrl('registry', 'https://example.com/', { NPM_ID_TOKEN: 'x' }), 'a placeholder is no credential')
})

t.test('registryFor: the flag wins and reports what it replaced; a name npm cannot read falls back to npm config', async (t) => {
  const config = { registry: 'https://c.example/', '@s:registry': 'https://s.example/' }
  t.same(await registryFor('@s/p', config, {}), { registry: 'https://s.example/' })
  t.same(await registryFor('@s/p', config, {}, 'https://f.example/', { publishConfig: { '@s:registry': 'https://pc.example/' } }),
    { registry: 'https://f.example/', overridden: 'https://pc.example/' })
  t.same(await registryFor('@s/p', config, {}, 'https://s.example'), { registry: 'https://s.example' })
  t.same(await registryFor('Bad Name', config, {}), { registry: 'https://c.example/' })
  t.same(await registryFor('Bad Name', {}, {}), { registry: 'https://registry.npmjs.org/' })
})

t.test('without an npm beside node or in npm_execpath, there is no builtin npmrc; the files are still read', async (t) => {
  const home = await project(t, {})
  const cwd = await project(t, { '.npmrc': 'registry=https://p.example/\n' })
  const config = await loadNpmConfig(cwd, { HOME: home }, join(cwd, 'no-node-here', 'node'))
  t.equal(config.registry, 'https://p.example/')
})

t.test('runningNpmCli: npm_execpath when it is an absolute npm-cli.js, else the npm beside node, never PATH', async (t) => {
  const dir = await project(t, {})
  const own = join(dir, 'npm', 'bin', 'npm-cli.js')
  await mkdir(dirname(own), { recursive: true })
  await writeFile(own, '')
  t.equal(runningNpmCli({ npm_execpath: own }, join(dir, 'nowhere', 'node')), own)
  t.equal(runningNpmCli({ npm_execpath: 'npm-cli.js' }, join(dir, 'nowhere', 'node')), undefined)
  t.equal(runningNpmCli({ npm_execpath: join(dir, 'pnpm.cjs') }, join(dir, 'nowhere', 'node')), undefined)
  const posix = join(dir, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')
  await mkdir(dirname(posix), { recursive: true })
  await writeFile(posix, '')
  t.equal(runningNpmCli({ PATH: dir }, join(dir, 'bin', 'node'), 'linux'), posix)
  const windows = join(dir, 'win', 'node_modules', 'npm', 'bin', 'npm-cli.js')
  await mkdir(dirname(windows), { recursive: true })
  await writeFile(windows, '')
  t.equal(runningNpmCli({}, join(dir, 'win', 'node.exe'), 'win32'), windows)
})

t.test('a proxy and a CA set in .npmrc reach the options the CLI passes to the library', async (t) => {
  const seen: Array<Record<string, unknown>> = []
  const stop = (opts: unknown): never => {
    seen.push(opts as Record<string, unknown>)
    throw new TypeError('stop here')
  }
  type Run = (args: string[], io: MemoryIo) => Promise<number>
  // The CLI reaches the library through its public entry point only.
  const api = await import('../../lib/index.js')
  const commands: Array<[Run, string[]]> = [
    [(await t.mockImport<typeof import('../../lib/cli/token.js')>('../../lib/cli/token.js', {
      '../../lib/index.js': { ...api, getOidcToken: async (...a: unknown[]) => stop(a[3]) },
    })).runToken, []],
    [(await t.mockImport<typeof import('../../lib/cli/doctor.js')>('../../lib/cli/doctor.js', {
      '../../lib/index.js': { ...api, diagnose: async (...a: unknown[]) => stop(a[3]) },
    })).runDoctor, []],
    [(await t.mockImport<typeof import('../../lib/cli/preflight.js')>('../../lib/cli/preflight.js', {
      '../../lib/index.js': { ...api, preflight: async (...a: unknown[]) => stop(a[1]) },
    })).runPreflight, []],
    [(await t.mockImport<typeof import('../../lib/cli/publish.js')>('../../lib/cli/publish.js', {
      '../../lib/index.js': { ...api, publishWithOidc: async (...a: unknown[]) => stop(a[2]) },
    })).runPublish, ['w.tgz']],
  ]
  const home = await project(t, {})
  const cwd = await project(t, { 'package.json': { name: 'widgets', version: '1.0.0' }, 'ca.pem': 'CA' })
  await writeFile(join(cwd, '.npmrc'), `https-proxy=http://127.0.0.1:9/\nstrict-ssl=false\ncafile=${join(cwd, 'ca.pem')}\n`)
  await writeFile(join(cwd, 'w.tgz'), makeTarball('widgets', '1.0.0').tarball)
  for (const [run, args] of commands) await run(args, memoryIo(cwd, { HOME: home }))
  t.equal(seen.length, 4)
  for (const opts of seen) t.match(opts, { httpsProxy: 'http://127.0.0.1:9/', strictSSL: false, ca: ['CA'] })
})
