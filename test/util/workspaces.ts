import t from 'tap'
import { join } from 'node:path'
import { readWorkspaces } from '../../lib/util/workspaces.js'
import { isOidcError } from '../../lib/errors.js'

const pkg = (name: string, extra: Record<string, unknown> = {}): { 'package.json': string } =>
  ({ 'package.json': JSON.stringify({ name, version: '1.0.0', ...extra }) })

/** A monorepo of five folders two levels deep, one private and one without a package.json. */
const tree = {
  packages: {
    a: pkg('@acme/a'),
    b: pkg('b'),
    internal: pkg('@acme/internal'),
    tools: { cli: pkg('@acme/cli'), empty: {} },
    secret: pkg('@acme/secret', { private: true }),
    node_modules: { dep: pkg('dep') },
  },
  apps: { web: pkg('@acme/web'), site: pkg('@acme/site') },
}

const names = async (root: string): Promise<string[]> => (await readWorkspaces(root)).map((w) => w.name)

t.test('npm: `packages/**` with a negation, private and folder-less entries skipped, npm order', async (t) => {
  const root = t.testdir({ ...tree, 'package.json': JSON.stringify({ private: true, workspaces: ['packages/**', '!packages/internal', 'apps/*'] }) })
  t.same(await names(root), ['@acme/a', 'b', '@acme/cli', '@acme/site', '@acme/web'])
  const [first] = await readWorkspaces(root)
  t.same(first, { name: '@acme/a', version: '1.0.0', dir: join(root, 'packages/a'), manifest: { name: '@acme/a', version: '1.0.0' } })
})

t.test('Yarn: `{ packages }` with braces; a package without version', async (t) => {
  const root = t.testdir({
    ...tree,
    apps: { web: { 'package.json': JSON.stringify({ name: '@acme/web' }) } },
    'package.json': JSON.stringify({ workspaces: { packages: ['packages/{a,b}', 'apps/web'] } }),
  })
  const found = await readWorkspaces(root)
  t.same(found.map((w) => w.name), ['@acme/a', 'b', '@acme/web'])
  t.notOk('version' in found[2]!)
})

t.test('pnpm: pnpm-workspace.yaml wins over package.json workspaces, negations apply', async (t) => {
  const root = t.testdir({
    ...tree,
    'package.json': JSON.stringify({ private: true, workspaces: ['apps/*'] }),
    'pnpm-workspace.yaml': 'packages:\n  - "packages/**"\n  - "!packages/internal"\n  - "!**/tools/**"\n',
  })
  t.same(await names(root), ['@acme/a', 'b'])
})

t.test('pnpm-workspace.yaml without package.json at the root', async (t) => {
  const root = t.testdir({ ...tree, 'pnpm-workspace.yaml': 'packages: [apps/*]\n' })
  t.same(await names(root), ['@acme/site', '@acme/web'])
})

t.test('duplicate names are a typed error naming both paths', async (t) => {
  const root = t.testdir({
    one: pkg('@acme/same'),
    two: pkg('@acme/same'),
    'package.json': JSON.stringify({ workspaces: ['one', 'two'] }),
  })
  const err = await readWorkspaces(root).catch((e: unknown) => e)
  t.ok(isOidcError(err, 'ERR_OIDC_WORKSPACE_INVALID'))
  t.match((err as Error).message, '@acme/same')
  t.match((err as Error).message, join(root, 'one'))
  t.match((err as Error).message, join(root, 'two'))
})

t.test('invalid declarations', async (t) => {
  const none = t.testdir({})
  await t.rejects(readWorkspaces(none), { message: /No package\.json/ })
  const empty = t.testdir({ 'package.json': JSON.stringify({ name: 'x' }) })
  await t.rejects(readWorkspaces(empty), { message: /declares no workspaces/ })
  const emptyYaml = t.testdir({ 'pnpm-workspace.yaml': '' })
  await t.rejects(readWorkspaces(emptyYaml), { message: /pnpm-workspace\.yaml declares no workspaces/ })
  const notStrings = t.testdir({ 'package.json': JSON.stringify({ workspaces: ['a', 1] }) })
  await t.rejects(readWorkspaces(notStrings), { code: 'ERR_OIDC_WORKSPACE_INVALID', message: /must be strings/ })
  const badYaml = t.testdir({ 'pnpm-workspace.yaml': 'packages: [a\n' })
  await t.rejects(readWorkspaces(badYaml), { code: 'ERR_OIDC_WORKSPACE_INVALID', message: /not valid YAML/ })
  const badJson = t.testdir({ 'package.json': '{' })
  await t.rejects(readWorkspaces(badJson), SyntaxError)
  const dirAsFile = t.testdir({ 'package.json': { x: 'y' } })
  await t.rejects(readWorkspaces(dirAsFile), { code: 'EISDIR' })
  const brokenMember = t.testdir({ a: { 'package.json': '{' }, 'package.json': JSON.stringify({ workspaces: ['a'] }) })
  await t.rejects(readWorkspaces(brokenMember), { code: 'EJSONPARSE' })
})
