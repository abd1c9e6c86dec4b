import t from 'tap'
import { readFile } from 'node:fs/promises'
import * as libnpmoidc from '../lib/index.js'

t.test('README example', async (t) => {
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  for (const key of ['GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'NPM_ID_TOKEN']) delete process.env[key]
  const printed: string[] = []
  const console = { log: (line: string) => { printed.push(line) }, error: (...args: unknown[]) => { printed.push(args.join(' ')) } }
  const { getOidcToken, isOidcError } = libnpmoidc

  // --- README example, verbatim from here ---
  try {
    const oidc = await getOidcToken('@acme/widgets', 'https://registry.npmjs.org/')
    if (oidc === null) {
      console.log('Not in a supported CI job: publish with your usual credentials.')
    } else {
      console.log(`Token from ${oidc.provider} for ${oidc.package}, expires ${oidc.expires?.toISOString()}`)
      // Pass it to anything that takes npm options: { ...npmOptions, [oidc.authKey]: oidc.token }
    }
  } catch (err) {
    if (isOidcError(err)) console.error(err.code, err.hint)
    throw err
  }
  // --- to here ---

  t.same(printed, ['Not in a supported CI job: publish with your usual credentials.'])
  const source = await readFile(new URL(import.meta.url), 'utf8')
  const example = /\/\/ --- README example, verbatim from here ---\n([\s\S]*?)\n {2}\/\/ --- to here ---/.exec(source)?.[1] ?? ''
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  const unindented = example.split('\n').map((l) => l.replace(/^ {2}/, '')).join('\n')
  t.ok(unindented.length > 100 && readme.includes(unindented), 'the README shows exactly this code')
})

t.test('exported names', async (t) => {
  t.matchSnapshot(Object.keys(libnpmoidc).sort(), 'named exports of libnpmoidc')
})

t.test('the README documents every error code and every provider', async (t) => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  for (const code of libnpmoidc.oidcErrorCodes) {
    t.match(readme, new RegExp(`<a id="${code.toLowerCase()}"></a>\`${code}\``), `${code} has a row with its anchor`)
  }
  for (const provider of [...libnpmoidc.defaultProviders, libnpmoidc.buildkite]) {
    t.match(readme, `\`${provider.id}\``, `${provider.id} is in the providers table`)
  }
})
