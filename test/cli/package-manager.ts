import t from 'tap'
import { join } from 'node:path'
import { detectPackageManager } from '../../lib/cli/package-manager.js'
import { project } from '../fixtures/cli.js'

t.test('the packageManager field, then the lockfile, folder by folder up to the workspace root', async (t) => {
  const dir = t.testdir({
    field: { 'package.json': JSON.stringify({ packageManager: 'yarn@4.1.0' }), 'pnpm-lock.yaml': '' },
    pnpm: { 'pnpm-lock.yaml': '', pkg: { 'package.json': '{}' } },
    shrinkwrap: { 'npm-shrinkwrap.json': '{}', 'yarn.lock': '' },
    ws: { 'package.json': JSON.stringify({ workspaces: ['*'] }), pkg: { 'package.json': '{not json' } },
    pnpmWs: { 'pnpm-workspace.yaml': '', pkg: {} },
    other: { 'package.json': JSON.stringify({ packageManager: 'bun@1.0.0' }), 'yarn.lock': '' },
    npmField: { 'package.json': JSON.stringify({ packageManager: 'npm@10.0.0' }), 'yarn.lock': '' },
  })
  t.equal(await detectPackageManager(join(dir, 'field')), 'yarn')
  t.equal(await detectPackageManager(join(dir, 'pnpm', 'pkg')), 'pnpm')
  t.equal(await detectPackageManager(join(dir, 'shrinkwrap')), 'yarn', 'yarn.lock is asked before npm-shrinkwrap.json')
  t.equal(await detectPackageManager(join(dir, 'ws', 'pkg')), 'npm', 'a workspace root ends the search')
  t.equal(await detectPackageManager(join(dir, 'pnpmWs', 'pkg')), 'npm')
  t.equal(await detectPackageManager(join(dir, 'other')), 'yarn', 'an unknown manager falls back to the lockfile')
  t.equal(await detectPackageManager(join(dir, 'npmField')), 'npm')
  t.equal(await detectPackageManager(await project(t, {})), 'npm', 'nothing up to the file system root')
})
