// The public npm registry: npm's default, and the registry whose trusted-publishing rules this package knows.

/** The registry npm uses when nothing else is configured. */
export const NPMJS_REGISTRY = 'https://registry.npmjs.org/'

/** The audience of an ID token for {@link NPMJS_REGISTRY}: `npm:` + its hostname, as npm computes it. */
export const NPMJS_AUDIENCE = 'npm:registry.npmjs.org'
