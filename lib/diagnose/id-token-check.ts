import { checkClaims, audiences, type IdTokenClaims } from '../client/claims.js'
import { assertSecureRegistry } from '../client/registry-target.js'
import { obtainIdToken, type ObtainedIdToken } from '../client/obtain-id-token.js'
import type { OidcCall } from '../client/oidc-call.js'
import { check, failed, skipped } from './check.js'
import { githubWorkflowFile } from '../contract/workflow-file.js'
import { hasImmutableSubject } from '../client/publisher-hint.js'
import { NPMJS_AUDIENCE } from '../contract/npmjs.js'
import type { DiagnosisCheck } from './diagnosis.js'
import type { CallContext } from '../providers/provider.js'

/** Where a diagnosis gets its ID token: fetched for this package, or shared by a preflight of many. */
export type IdTokenSupplier = (call: OidcCall, context: CallContext) => Promise<ObtainedIdToken>

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
const GITLAB_ISSUER = 'https://gitlab.com'
const CIRCLECI_ISSUER = /^https:\/\/oidc\.circleci\.com\/org\/[^/]+$/
// A single report (ckeditor5-dev 61.3.0 release notes) says npmjs accepts a CircleCI token only ~5 minutes after
// issue.
const CIRCLECI_MAX_AGE_SECONDS = 240

/** One warning about the claims: a line for the summary list and what to do. */
interface Note {
  readonly text: string
  readonly hint: string
}

function issuerNote (claims: IdTokenClaims, provider: string): Note | undefined {
  const iss = typeof claims.iss === 'string' ? claims.iss : ''
  if (iss === GITHUB_ISSUER || iss === GITLAB_ISSUER || CIRCLECI_ISSUER.test(iss)) return undefined
  const refused = 'registry.npmjs.org refuses its tokens with 401'
  if (iss.startsWith(`${GITHUB_ISSUER}/`)) {
    return {
      text: `issuer ${iss} is an enterprise-slug issuer; ${refused}`,
      hint: `Turn off the enterprise's custom issuer for this repository so tokens carry iss ${GITHUB_ISSUER}`,
    }
  }
  const shown = iss === '' ? '(none)' : JSON.stringify(iss)
  const kind = provider === 'github-actions'
    ? 'a GitHub Enterprise Server issuer'
    : provider === 'gitlab' ? 'a self-managed GitLab issuer' : 'not an issuer npmjs trusts'
  return {
    text: `issuer ${shown} is ${kind}; ${refused}`,
    hint: `npmjs trusts only ${GITHUB_ISSUER}, ${GITLAB_ISSUER} and CircleCI's organisation issuers; ` +
      'publish from github.com, gitlab.com or CircleCI',
  }
}

function claimNotes (claims: IdTokenClaims, provider: string, npmjs: boolean, now: number): Note[] {
  const notes: Note[] = []
  const issuer = npmjs ? issuerNote(claims, provider) : undefined
  if (issuer) notes.push(issuer)
  const runner = claims.runner_environment
  if (typeof runner === 'string' && runner !== 'github-hosted') {
    notes.push({
      text: `runner_environment is ${runner}: npmjs supports GitHub-hosted runners only`,
      hint: 'Automatic provenance stays off, and explicit provenance is rejected with 422; ' +
        'publish from a GitHub-hosted runner',
    })
  }
  const { workflow_ref: workflowRef, job_workflow_ref: jobWorkflowRef } = claims
  if (typeof workflowRef === 'string' && typeof jobWorkflowRef === 'string' && workflowRef !== jobWorkflowRef) {
    notes.push({
      text: `reusable workflow: the job runs ${jobWorkflowRef}, called from ${workflowRef}`,
      hint: 'The registry matches the calling workflow: the trusted publisher must name ' +
        `${String(githubWorkflowFile(workflowRef))}, and the caller must grant \`id-token: write\``,
    })
  }
  if (provider === 'github-actions' && hasImmutableSubject(claims)) {
    notes.push({
      text: `sub ${claims.sub} uses GitHub's immutable subject format`,
      hint: 'registry.npmjs.org currently fails to match such repositories and answers 404 ' +
        '(known registry issue npm/cli#9969)',
    })
  }
  if (provider === 'circleci' && typeof claims.iat === 'number' && now / 1000 - claims.iat > CIRCLECI_MAX_AGE_SECONDS) {
    notes.push({
      text: `the token was issued ${Math.floor(now / 1000 - claims.iat)} s ago`,
      hint: 'The registry reportedly accepts CircleCI tokens only for about 5 minutes; ' +
        'mint NPM_ID_TOKEN right before publishing',
    })
  }
  return notes
}

/** The ID token check's outcome; `token` only when the token can be exchanged. */
export interface IdTokenOutcome {
  readonly check: DiagnosisCheck
  readonly token?: ObtainedIdToken
  readonly claims?: IdTokenClaims
}

/**
 * Obtains the ID token and checks it: decodable, audience, expiry, SSH rerun (as `getOidcToken` refuses them),
 * then warns about what registry.npmjs.org is known to refuse.
 */
export async function idTokenCheck (
  call: OidcCall,
  context: CallContext,
  tokenSource: DiagnosisCheck,
  obtain: IdTokenSupplier = obtainIdToken,
  now = Date.now()
): Promise<IdTokenOutcome> {
  if (tokenSource.status !== 'pass') return { check: skipped('id-token', tokenSource) }
  let token: ObtainedIdToken
  try {
    assertSecureRegistry(call.target)
    token = await obtain(call, context)
  } catch (err) {
    return { check: failed('id-token', err) }
  }
  const { claims, source } = token
  try {
    checkClaims(claims, call.target.audience, token.claimContext, now)
  } catch (err) {
    return { check: failed('id-token', err), claims }
  }
  const npmjs = call.target.audience === NPMJS_AUDIENCE
  const notes = claimNotes(claims, call.who.id, npmjs, now)
  const expires = new Date((claims.exp as number) * 1000).toISOString()
  const summary = `obtained from ${source}: audience ${audiences(claims).join(', ')}, expires ${expires}`
  const detail = [
    ...npmjs ? [] : [`issuer ${String(claims.iss)} (not checked: only registry.npmjs.org's trusted issuers are known)`],
    ...notes.map((note) => note.text),
  ]
  const hint = notes.length > 0 ? notes.map((note) => note.hint).join('. ') : undefined
  return { check: check('id-token', notes.length > 0 ? 'warn' : 'pass', summary, { detail, hint }), token, claims }
}
