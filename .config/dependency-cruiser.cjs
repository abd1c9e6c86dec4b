// The architecture rules of lib/ (README, "Architecture"): a file's folder says what it may import.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'No import cycle anywhere, type-only imports included.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { circular: true },
    },
    {
      name: 'util-knows-no-oidc',
      comment: 'util/ holds helpers that know nothing of OIDC: Node, npm packages and errors.ts only.',
      severity: 'error',
      from: { path: '^lib/util/' },
      to: { path: '^lib/', pathNot: ['^lib/util/', '^lib/errors\\.ts$', '^lib/vendor/'] },
    },
    {
      name: 'contract-is-shared-ground',
      comment: 'contract/ is what client, registry side and trust share: it builds on util/ only.',
      severity: 'error',
      from: { path: '^lib/contract/' },
      to: { path: '^lib/', pathNot: ['^lib/contract/', '^lib/util/', '^lib/errors\\.ts$', '^lib/vendor/'] },
    },
    {
      name: 'server-side-never-imports-client',
      comment: 'libnpmoidc/registry and libnpmoidc/testing stand on contract/ and util/ only, never on the client. ' +
        'testing/ may also use the public entry of libnpmoidc/registry (see registry-side-stands-alone).',
      severity: 'error',
      from: { path: '^lib/(registry|testing)/' },
      to: {
        path: '^lib/',
        pathNot: [
          '^lib/$1/',
          '^lib/contract/',
          '^lib/util/',
          '^lib/errors\\.ts$',
          '^lib/vendor/',
          '^lib/registry/index\\.ts$',
        ],
      },
    },
    {
      name: 'registry-side-stands-alone',
      comment: 'Only libnpmoidc/registry itself imports registry/ (and the test kit its public entry, see the next ' +
        'rule); trust and the client share types through contract/.',
      severity: 'error',
      from: { path: '^lib/', pathNot: ['^lib/registry/', '^lib/testing/'] },
      to: { path: '^lib/registry/' },
    },
    {
      name: 'testing-uses-the-public-registry-entry',
      comment: 'The test registry serves the exchange as any registry would: through libnpmoidc/registry\'s public ' +
        'entry (lib/registry/index.ts) only, so it tests what users get and the registry side keeps its internals.',
      severity: 'error',
      from: { path: '^lib/testing/' },
      to: { path: '^lib/registry/', pathNot: '^lib/registry/index\\.ts$' },
    },
    {
      name: 'verify-reads-what-anyone-sees',
      comment: 'verify/ checks a published version from public data: it never publishes, exchanges or manages trust.',
      severity: 'error',
      from: { path: '^lib/verify/' },
      to: {
        path: '^lib/',
        pathNot: [
          '^lib/verify/',
          '^lib/client/(package-name|resolve-options)\\.ts$',
          '^lib/(errors|options)\\.ts$',
          '^lib/contract/',
          '^lib/util/',
          '^lib/vendor/',
        ],
      },
    },
    {
      name: 'cli-uses-the-public-api',
      comment: 'The CLI is a consumer: the public surface (index, errors, options, version), contract/ and util/.',
      severity: 'error',
      from: { path: '^lib/cli/' },
      to: {
        path: '^lib/',
        pathNot: [
          '^lib/cli/',
          '^lib/(index|errors|options|version)\\.ts$',
          '^lib/contract/',
          '^lib/util/',
          '^lib/vendor/',
        ],
      },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
}
