// The style the code already has: standard (neostandard) with TypeScript, plus a line limit.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    filesTs: ['**/*.cts'],
    ignores: ['dist/**', 'node_modules/**', 'tap-snapshots/**', '.tap/**', 'coverage/**'],
  }),
  {
    rules: {
      '@stylistic/max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    // Test names and expected messages stay whole on their line, so a failure's text can be searched for.
    files: ['test/**', 'bench/**'],
    rules: {
      '@stylistic/max-len': ['error', {
        code: 120,
        ignoreUrls: true,
        ignoreStrings: true,
        ignoreTemplateLiterals: true,
        ignoreRegExpLiterals: true,
      }],
    },
  },
]
