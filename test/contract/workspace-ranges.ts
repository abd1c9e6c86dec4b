import t from 'tap'
import { assertNoWorkspaceRanges, workspaceRanges } from '../../lib/contract/workspace-ranges.js'

t.test('the published dependency fields are read; devDependencies and real ranges are not flagged', async (t) => {
  t.same(workspaceRanges({
    dependencies: { a: 'workspace:^', b: '^1.0.0', c: 'catalog:', d: 1 },
    optionalDependencies: { e: 'workspace:~1.0.0' },
    peerDependencies: { f: 'catalog:react18' },
    devDependencies: { g: 'workspace:*' },
    bundleDependencies: ['a'],
  }), ['dependencies a@workspace:^', 'dependencies c@catalog:', 'optionalDependencies e@workspace:~1.0.0',
    'peerDependencies f@catalog:react18'])
  t.same(workspaceRanges({ dependencies: null, peerDependencies: 'x' }), [])
  t.doesNotThrow(() => assertNoWorkspaceRanges({ name: 'x', dependencies: { a: 'npm:b@1' } }))
  t.throws(() => assertNoWorkspaceRanges({ dependencies: { a: 'workspace:*' } }),
    { code: 'ERR_OIDC_WORKSPACE_PROTOCOL', facts: 'dependencies a@workspace:*', message: /yarn pack/ })
})
