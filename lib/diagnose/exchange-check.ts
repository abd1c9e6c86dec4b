import { isOidcError } from '../errors.js'
import { exchangeForPackage } from '../client/exchange-for-package.js'
import type { ObtainedIdToken } from '../client/obtain-id-token.js'
import type { OidcCall } from '../client/oidc-call.js'
import { TransientFailure } from '../client/retry.js'
import type { OidcToken } from '../client/token.js'
import { IMMUTABLE_SUBJECT_ISSUE, expectedPublisher, hasImmutableSubject } from '../client/publisher-hint.js'
import { decideProvenance } from '../publish/provenance.js'
import { assertProvenanceEnvIsProcessEnv } from '../publish/provenance-env.js'
import { packageVisibility } from '../publish/package-visibility.js'
import { check, failed, skipped } from './check.js'
import type { DiagnoseOptions, DiagnosisCheck } from './diagnosis.js'
import type { CallContext } from '../providers/provider.js'
import { NPMJS_AUDIENCE } from '../contract/npmjs.js'
import { MESSAGE_PREFIX } from '../util/send-json.js'

function publisherFields (token: ObtainedIdToken): string[] {
  const { claims } = token
  const fields = expectedPublisher(claims).map(({ field, value, claim }) =>
    `${field}: ${value === null ? '(none)' : JSON.stringify(value)} (from ${claim})`)
  if (typeof claims.job_workflow_ref === 'string' && claims.job_workflow_ref !== claims.workflow_ref) {
    fields.push(`(job_workflow_ref ${claims.job_workflow_ref} is not what the registry matches)`)
  }
  return fields
}

function notFoundHint (
  call: OidcCall, token: ObtainedIdToken, packageNotFound: boolean, registryMessage: string | undefined
): string {
  const parts = packageNotFound
    ? [`${call.pkgName} was not found publicly either: if it does not exist yet, ` +
      'publish the first version another way (with a token), then add the trusted publisher']
    : ['Add a trusted publisher to the package with exactly these values (case-sensitive), or correct the one it has']
  if (hasImmutableSubject(token.claims)) parts.push(IMMUTABLE_SUBJECT_ISSUE)
  // The probe is the 404 itself: an exchange route answers with npm's message prefix, a missing route does not.
  const exchangeAnswered = registryMessage?.startsWith(MESSAGE_PREFIX) === true
  if (call.target.audience !== NPMJS_AUDIENCE && !exchangeAnswered) {
    parts.push(`${call.target.href} may not implement trusted publishing at all (registry.npmjs.org does)`)
  }
  return parts.join('. ')
}

/** The exchange check's outcome; `oidc` holds the exchanged token only until provenance is decided. */
export interface ExchangeOutcome {
  readonly check: DiagnosisCheck
  readonly oidc?: OidcToken
}

/** Exchanges the ID token once (no retries: a diagnosis reports what the registry said) and reports the answer. */
export async function exchangeCheck (
  call: OidcCall,
  context: CallContext,
  idToken: DiagnosisCheck,
  token: ObtainedIdToken | undefined,
  packageNotFound: boolean
): Promise<ExchangeOutcome> {
  if (!token) return { check: skipped('exchange', idToken) }
  try {
    const oidc = await exchangeForPackage(call, context, token)
    return {
      oidc,
      check: check('exchange', 'pass', `the registry issued a publish token for ${call.pkgName} (discarded)`, {
        detail: ['a successful exchange does not prove the upload: ' +
          '403 (staged-only publisher), 409 and 422 (provenance) come later'],
      }),
    }
  } catch (thrown) {
    const err = thrown instanceof TransientFailure ? thrown.final : thrown
    if (isOidcError(err, 'ERR_OIDC_NO_TRUSTED_PUBLISHER')) {
      const hint = notFoundHint(call, token, packageNotFound, err.registryMessage)
      return { check: { ...failed('exchange', err, publisherFields(token)), hint } }
    }
    if (isOidcError(err, 'ERR_OIDC_EXCHANGE_FAILED')) {
      return { check: failed('exchange', err, ['a publish retries this within its deadline; the diagnosis asks once']) }
    }
    return { check: failed('exchange', err) }
  }
}

/** What a publish with these options would decide about provenance, and whether it would be refused. */
export async function provenanceCheck (
  call: OidcCall, exchange: ExchangeOutcome, opts: DiagnoseOptions
): Promise<DiagnosisCheck> {
  const oidc = exchange.oidc
  if (!oidc) return skipped('provenance', exchange.check)
  const manifest = opts.manifest
  try {
    const decision = await decideProvenance({
      setting: opts.provenance ?? 'auto',
      provenanceFile: opts.provenanceFile,
      oidc,
      env: call.env,
      manifest: manifest ?? {},
      isPublic: () => packageVisibility(call.target.href, call.escapedName, oidc, call.options.raw),
      detectedProvider: call.provider?.id,
    })
    // As publishing does: provenance signed from process.env must describe the job of `env`.
    if (decision.enabled && decision.source !== 'file') {
      assertProvenanceEnvIsProcessEnv(call.env, call.provider, process.env)
    }
    return check('provenance', 'pass', `${decision.enabled ? 'on' : 'off'} (${decision.source}): ${decision.reason}`)
  } catch (err) {
    // Without a manifest there is no repository.url to compare; everything before that comparison passed.
    if (isOidcError(err, 'ERR_OIDC_PROVENANCE_MISMATCH') && !manifest) {
      try {
        assertProvenanceEnvIsProcessEnv(call.env, call.provider, process.env)
      } catch (mismatch) {
        return failed('provenance', mismatch)
      }
      const source = opts.provenance === true ? 'explicit' : 'auto'
      return check('provenance', 'pass', `on (${source}): the job can sign provenance`, {
        detail: ['repository.url not compared: no manifest given'],
      })
    }
    return failed('provenance', err)
  }
}
