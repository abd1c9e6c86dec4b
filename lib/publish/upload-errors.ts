import { OidcError } from '../errors.js'
import { capMessage, registryMessageOf } from '../util/response.js'
import type { OidcToken } from '../client/token.js'

interface RegistryHttpError {
  statusCode?: unknown
  body?: unknown
  method?: unknown
}

/**
 * Cuts the message of a failed upload, which npm-registry-fetch builds from the registry's `error` field, to the
 * length a registry message may have, so that no hostile body reaches the caller's formatting whole. Changes
 * `err` in place and returns it.
 */
export function capUploadError<T> (err: T): T {
  const message = (err as { message?: unknown } | null | undefined)?.message
  // Reflect.set: a frozen error keeps its message instead of turning the failure into a TypeError.
  if (typeof message === 'string') Reflect.set(err as object, 'message', capMessage(message))
  return err
}

/**
 * Names the registry's answers to an upload that followed a successful exchange, keeping the original as
 * `cause`. Anything else is returned unchanged.
 */
export function mapUploadError (err: unknown, oidc: OidcToken, stage: boolean): unknown {
  const { statusCode: status, body } = (err ?? {}) as RegistryHttpError
  if (typeof status !== 'number') return err
  const registryMessage = registryMessageOf(body)
  const facts = `status ${status}${registryMessage ? `: ${registryMessage}` : ''}`
  const common = {
    provider: oidc.provider,
    status,
    claims: oidc.claims,
    cause: err,
    facts,
    ...(registryMessage ? { registryMessage } : {}),
  }
  const route = stage ? 'staged publish' : 'publish'
  if (status === 403 && /oidc permission denied/i.test(registryMessage ?? '')) {
    return new OidcError('ERR_OIDC_PUBLISH_FORBIDDEN', {
      ...common,
      what: `the trusted publisher does not allow this ${route}`,
      hint: stage
        ? 'The trusted publisher does not allow staged publishing; ' +
          're-create it with "createStagedPackage" (connections cannot be edited)'
        : 'The trusted publisher may allow staged publishing only: publish with `stage: true`, ' +
          'or re-create it with publishing allowed (connections cannot be edited)',
    })
  }
  if (status === 404) {
    return new OidcError('ERR_OIDC_PUBLISH_MASKED_404', {
      ...common,
      what: `the registry answered the ${route} with 404 although the exchange succeeded`,
      hint: 'The registry hides authorisation failures as 404: ' +
        'the exchanged token was not accepted for this package. ' +
        'Check that the name in package.json is the package the trusted publisher is configured for',
    })
  }
  if (status === 422) {
    return new OidcError('ERR_OIDC_PROVENANCE_REJECTED', {
      ...common,
      what: 'the registry rejected the provenance statement',
      hint: 'Provenance needs a public repository, a GitHub-hosted runner ' +
        'and a repository.url matching the repository; fix those or publish with provenance off',
    })
  }
  if (status === 400 && /invalid token/i.test(registryMessage ?? '')) {
    return new OidcError('ERR_OIDC_PUBLISH_TOKEN_INVALID', {
      ...common,
      what: 'the registry did not accept the exchanged token for this publish',
      hint: 'The token is scoped to one package and expires within about an hour; ' +
        'exchange again right before publishing this package',
    })
  }
  return err
}

/**
 * The refusal of a redirect in answer to a request that carried the exchanged token (`request`: "the upload"),
 * which was never sent to the redirect's target; `undone` says what did not happen.
 */
export function redirectRefused (
  oidc: OidcToken, registry: string, status: number, request: string, undone: string
): OidcError {
  return new OidcError('ERR_OIDC_REDIRECT_REFUSED', {
    provider: oidc.provider,
    what: `the registry answered ${request} with a redirect`,
    facts: `status ${status} from ${registry}`,
    hint: `The exchanged token is never sent to a redirect target, and ${undone}; configure the ` +
      'registry URL the redirect points to',
    status,
    claims: oidc.claims,
  })
}
