/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/cli/trust.ts > TAP > a registry without trusted-publisher management says so itself (405), with no guessing beforehand > stderr 1`] = `
npm-oidc: Adding a trusted publisher to @acme/widgets failed (POST http://127.0.0.1:<port>/-/package/@acme%2fwidgets/trust answered 405). http://127.0.0.1:<port>/ does not implement trusted-publisher management (405 Method Not Allowed): it does not support trusted publishing.

`

exports[`test/cli/trust.ts > TAP > github: package.json defaults, the warning, the exact body, --yes > stderr of an add to a non-npmjs registry that supports it 1`] = `

`
