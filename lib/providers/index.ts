import { githubActions } from './github-actions.js'
import { gitlab } from './gitlab.js'
import { circleci } from './circleci.js'

export { githubActions } from './github-actions.js'
export { gitlab } from './gitlab.js'
export { circleci } from './circleci.js'
export { buildkite } from './buildkite.js'

/** The providers tried, in order, when `opts.providers` is not given. Buildkite is opt-in. */
export const defaultProviders = Object.freeze([githubActions, gitlab, circleci])
