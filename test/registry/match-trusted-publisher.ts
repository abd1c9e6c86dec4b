import t from 'tap'
import { matchTrustedPublisher } from '../../lib/registry/match-trusted-publisher.js'

const github = {
  iss: 'https://token.actions.githubusercontent.com',
  repository: 'acme/pkg',
  workflow_ref: 'acme/pkg/.github/workflows/release.yml@refs/heads/main',
  job_workflow_ref: 'acme/shared/.github/workflows/publish.yml@refs/heads/main',
}
const gitlab = {
  iss: 'https://gitlab.com',
  project_path: 'group/sub/project',
  ci_config_ref_uri: 'gitlab.com/group/sub/project//.gitlab-ci.yml@refs/heads/main',
}
const circle = {
  iss: 'https://oidc.circleci.com/org/o-1',
  'oidc.circleci.com/org-id': 'o-1',
  'oidc.circleci.com/project-id': 'p-1',
  'oidc.circleci.com/pipeline-definition-id': 'd-1',
  'oidc.circleci.com/vcs-origin': 'github.com/acme/pkg',
  'oidc.circleci.com/context-ids': ['c-1', 'c-2'],
}
const ghPub = { type: 'github', claims: { repository: 'acme/pkg', workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }
const glPub = { type: 'gitlab', claims: { project_path: 'group/sub/project', ci_config_ref_uri: { file: '.gitlab-ci.yml' } }, permissions: ['createStagedPackage'] }
const ccPub = {
  type: 'circleci',
  id: 'cfg-1',
  claims: {
    'oidc.circleci.com/org-id': 'o-1',
    'oidc.circleci.com/project-id': 'p-1',
    'oidc.circleci.com/pipeline-definition-id': 'd-1',
    'oidc.circleci.com/vcs-origin': 'github.com/acme/pkg',
  },
  permissions: ['createPackage'],
}

t.test('README example', async t => {
  const result = matchTrustedPublisher(github, [{
    type: 'github',
    claims: { repository: 'acme/pkg', workflow_ref: { file: 'release.yml' } },
    permissions: ['createPackage'],
  }], { permission: 'createPackage' })
  t.match(result, { matched: true, index: 0, publisher: { type: 'github' } })
})

t.test('matches per provider, first match wins', async t => {
  t.match(matchTrustedPublisher(gitlab, [ghPub, glPub]), { matched: true, index: 1, publisher: glPub })
  t.match(matchTrustedPublisher(circle, [ccPub, ccPub]), { matched: true, index: 0 })
  const withContexts = { ...ccPub, claims: { ...ccPub.claims, 'oidc.circleci.com/context-ids': ['c-2'] } }
  t.match(matchTrustedPublisher(circle, [withContexts]), { matched: true })
  const withEnv = { ...ghPub, claims: { ...ghPub.claims, environment: 'prod' } }
  t.match(matchTrustedPublisher({ ...github, environment: 'prod' }, [withEnv]), { matched: true })
  t.match(matchTrustedPublisher({ ...gitlab, environment: 'prod' }, [{ ...glPub, claims: { ...glPub.claims, environment: 'prod' } }]), { matched: true })
})

t.test('mismatches list field, expected and actual', async t => {
  const cases: Array<{ name: string, claims: Record<string, unknown>, publisher: unknown, fields: unknown[], permission?: 'createPackage' }> = [
    { name: 'repository case', claims: { ...github, repository: 'Acme/pkg' }, publisher: ghPub, fields: [{ field: 'repository', expected: 'acme/pkg', actual: 'Acme/pkg' }] },
    { name: 'workflow file extension', claims: { ...github, workflow_ref: 'acme/pkg/.github/workflows/release.yaml@refs/heads/main' }, publisher: ghPub, fields: [{ field: 'workflow_ref.file', expected: 'release.yml', actual: 'release.yaml' }] },
    { name: 'job_workflow_ref is not used', claims: github, publisher: { ...ghPub, claims: { ...ghPub.claims, workflow_ref: { file: 'publish.yml' } } }, fields: [{ field: 'workflow_ref.file', expected: 'publish.yml', actual: 'release.yml' }] },
    { name: 'environment required, absent', claims: github, publisher: { ...ghPub, claims: { ...ghPub.claims, environment: 'prod' } }, fields: [{ field: 'environment', expected: 'prod', actual: null }] },
    { name: 'environment present, not configured', claims: { ...github, environment: 'prod' }, publisher: ghPub, fields: [{ field: 'environment', expected: null, actual: 'prod' }] },
    { name: 'environment case', claims: { ...github, environment: 'Prod' }, publisher: { ...ghPub, claims: { ...ghPub.claims, environment: 'prod' } }, fields: [{ field: 'environment', expected: 'prod', actual: 'Prod' }] },
    { name: 'gitlab project path and file', claims: { ...gitlab, project_path: 'group/project', ci_config_ref_uri: 'gitlab.com/group/project//ci.yml@refs/heads/main' }, publisher: glPub, fields: [{ field: 'project_path' }, { field: 'ci_config_ref_uri.project', expected: 'group/sub/project', actual: 'group/project' }, { field: 'ci_config_ref_uri.file', expected: '.gitlab-ci.yml', actual: 'ci.yml' }] },
    { name: 'gitlab CI file of another project', claims: { ...gitlab, ci_config_ref_uri: 'gitlab.com/evil/x//.gitlab-ci.yml@refs/heads/main' }, publisher: glPub, fields: [{ field: 'ci_config_ref_uri.project', expected: 'group/sub/project', actual: 'evil/x' }] },
    { name: 'workflow file with @ before the ref', claims: { ...github, workflow_ref: 'acme/pkg/.github/workflows/release.yml@x.yml@refs/heads/main' }, publisher: ghPub, fields: [{ field: 'workflow_ref.file', expected: 'release.yml', actual: 'release.yml@x.yml' }] },
    { name: 'gitlab token vs github publisher', claims: gitlab, publisher: ghPub, fields: [{ field: 'iss', expected: ['https://token.actions.githubusercontent.com'], actual: 'https://gitlab.com' }, { field: 'repository', actual: null }, { field: 'workflow_ref.file', actual: null }] },
    { name: 'circleci ids', claims: { ...circle, 'oidc.circleci.com/project-id': 'P-1' }, publisher: ccPub, fields: [{ field: 'oidc.circleci.com/project-id', expected: 'p-1', actual: 'P-1' }] },
    { name: 'circleci context missing', claims: circle, publisher: { ...ccPub, claims: { ...ccPub.claims, 'oidc.circleci.com/context-ids': ['c-1', 'c-3'] } }, fields: [{ field: 'oidc.circleci.com/context-ids', expected: ['c-1', 'c-3'], actual: ['c-1', 'c-2'] }] },
    { name: 'circleci token without contexts', claims: { ...circle, 'oidc.circleci.com/context-ids': undefined }, publisher: { ...ccPub, claims: { ...ccPub.claims, 'oidc.circleci.com/context-ids': ['c-1'] } }, fields: [{ field: 'oidc.circleci.com/context-ids', actual: null }] },
    { name: 'circleci contexts not an array', claims: circle, publisher: { ...ccPub, claims: { ...ccPub.claims, 'oidc.circleci.com/context-ids': 'c-1' } }, fields: [{ field: 'oidc.circleci.com/context-ids' }] },
    { name: 'permission required', claims: gitlab, publisher: glPub, permission: 'createPackage', fields: [{ field: 'permissions', expected: ['createPackage'], actual: ['createStagedPackage'] }] },
    { name: 'permissions missing', claims: gitlab, publisher: { ...glPub, permissions: undefined }, permission: 'createPackage', fields: [{ field: 'permissions', actual: null }] },
    { name: 'empty configured value never matches', claims: { iss: 'x' }, publisher: { type: 'github', claims: { repository: '', workflow_ref: {} }, permissions: ['createPackage'] }, fields: [{ field: 'iss' }, { field: 'repository', expected: '', actual: null }, { field: 'workflow_ref.file', expected: null, actual: null }] },
    { name: 'no claims configured', claims: github, publisher: { type: 'gitlab', permissions: [] }, fields: [{ field: 'iss' }, { field: 'project_path', expected: null }, { field: 'ci_config_ref_uri.project', expected: null }, { field: 'ci_config_ref_uri.file', expected: null }, { field: 'permissions', expected: ['createPackage', 'createStagedPackage'], actual: [] }] },
    { name: 'no permission granted', claims: github, publisher: { ...ghPub, permissions: ['createEverything'] }, fields: [{ field: 'permissions', actual: ['createEverything'] }] },
    { name: 'pinned repository id', claims: { ...github, repository_id: '2' }, publisher: { ...ghPub, claims: { ...ghPub.claims, repository_id: 1 } }, fields: [{ field: 'repository_id', expected: 1, actual: '2' }] },
    { name: 'a claim the token lacks', claims: github, publisher: { ...ghPub, claims: { ...ghPub.claims, event_name: 'push' } }, fields: [{ field: 'event_name', expected: 'push', actual: null }] },
    { name: 'an empty claim', claims: { ...github, ref: '' }, publisher: { ...ghPub, claims: { ...ghPub.claims, ref: '' } }, fields: [{ field: 'ref', expected: '', actual: '' }] },
    { name: 'a claim that cannot be compared', claims: { ...github, ref: 'x' }, publisher: { ...ghPub, claims: { ...ghPub.claims, ref: ['x'] } }, fields: [{ field: 'ref' }] },
    { name: 'a fractional id', claims: { ...github, repository_id: '1.5' }, publisher: { ...ghPub, claims: { ...ghPub.claims, repository_id: 1.5 } }, fields: [{ field: 'repository_id' }] },
    { name: 'gitlab ids', claims: { ...gitlab, project_id: '7' }, publisher: { ...glPub, claims: { ...glPub.claims, project_id: '8' } }, fields: [{ field: 'project_id', expected: '8', actual: '7' }] },
    { name: 'circleci ssh rerun', claims: { ...circle, 'oidc.circleci.com/ssh-rerun': true }, publisher: ccPub, fields: [{ field: 'oidc.circleci.com/ssh-rerun', expected: false, actual: true }] },
    { name: 'circleci ssh rerun as a string', claims: { ...circle, 'oidc.circleci.com/ssh-rerun': 'true' }, publisher: ccPub, fields: [{ field: 'oidc.circleci.com/ssh-rerun', actual: 'true' }] },
    { name: 'circleci default issuer names the org', claims: { ...circle, iss: 'https://oidc.circleci.com/org/o-2' }, publisher: ccPub, fields: [{ field: 'iss', expected: ['https://oidc.circleci.com/org/o-1'] }] },
    { name: 'circleci without an org id binds no issuer', claims: circle, publisher: { ...ccPub, claims: { ...ccPub.claims, 'oidc.circleci.com/org-id': undefined } }, fields: [{ field: 'iss', expected: [] }, { field: 'oidc.circleci.com/org-id' }] },
    { name: 'unknown type', claims: github, publisher: { type: 'buildkite' }, fields: [{ field: 'type', actual: 'buildkite' }] },
    { name: 'inherited type name', claims: github, publisher: { type: 'toString' }, fields: [{ field: 'type' }] },
    { name: 'not an object', claims: github, publisher: null, fields: [{ field: 'type', actual: null }] },
  ]
  for (const c of cases) {
    const options = c.permission ? { permission: c.permission } : undefined
    const result = matchTrustedPublisher(c.claims, [c.publisher], options)
    t.match(result, { matched: false, mismatches: [{ index: 0, publisher: c.publisher, fields: c.fields }] }, c.name)
    if (!result.matched) t.equal(result.mismatches[0]?.fields.length, c.fields.length, `${c.name}: field count`)
  }
  t.match(matchTrustedPublisher(github, []), { matched: false, mismatches: [] }, 'no publishers')
})

t.test('publisherIssuers binds a type to its issuers', async t => {
  const publisherIssuers = { github: ['https://token.actions.githubusercontent.com'] }
  t.match(matchTrustedPublisher(github, [ghPub], { publisherIssuers }), { matched: true })
  t.match(matchTrustedPublisher({ ...github, iss: 'https://evil.example' }, [ghPub], { publisherIssuers }), {
    matched: false,
    mismatches: [{ fields: [{ field: 'iss', expected: publisherIssuers.github, actual: 'https://evil.example' }] }],
  })
  t.match(matchTrustedPublisher({ ...github, iss: undefined }, [ghPub], { publisherIssuers }), { mismatches: [{ fields: [{ field: 'iss', actual: null }] }] })
  t.match(matchTrustedPublisher(gitlab, [glPub], { publisherIssuers }), { matched: true }, 'unlisted types keep their default')
  t.match(matchTrustedPublisher({ ...gitlab, iss: 'https://gitlab.example' }, [glPub], { publisherIssuers }), { matched: false },
    'the default binding refuses a self-managed GitLab')
  t.match(matchTrustedPublisher({ ...gitlab, iss: 'https://gitlab.example' }, [glPub],
    { publisherIssuers: { gitlab: ['https://gitlab.example'] } }), { matched: true }, 'unless it is bound explicitly')
})

t.test('what a match grants, and opt-ins', async t => {
  t.match(matchTrustedPublisher(gitlab, [{ ...glPub, permissions: ['createStagedPackage', 'x'] }]),
    { matched: true, permissions: ['createStagedPackage'] })
  t.match(matchTrustedPublisher(github, [{ ...ghPub, permissions: ['createStagedPackage', 'createPackage'] }]),
    { matched: true, permissions: ['createPackage', 'createStagedPackage'] })
  t.match(matchTrustedPublisher({ ...circle, 'oidc.circleci.com/ssh-rerun': true }, [ccPub], { allowSshRerun: true }),
    { matched: true }, 'SSH reruns when allowed')
  const pinned = { ...ghPub, claims: { ...ghPub.claims, repository_id: 12, repository_owner_id: '34', ref_protected: true, ref: undefined } }
  t.match(matchTrustedPublisher({ ...github, repository_id: '12', repository_owner_id: '34', ref_protected: true }, [pinned]),
    { matched: true }, 'ids as numbers or strings, booleans, unset keys skipped')
})

t.test('TypeErrors', async t => {
  t.throws(() => matchTrustedPublisher(null as never, []), { name: 'TypeError', message: /`claims`/ })
  t.throws(() => matchTrustedPublisher({}, {} as never), { name: 'TypeError', message: /`publishers`/ })
})
