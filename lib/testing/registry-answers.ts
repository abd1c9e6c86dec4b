import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../util/send-json.js'
import type { TrustedPublisher, TrustedPublisherType } from '../registry/index.js'
import type { Credential, OidcGrant, UserGrant } from './registry-credentials.js'

// The bodies npmjs answers with, as npm-registry-fetch shows them (it reads `error`).
/** No credential at all. */
export const NEEDS_AUTH = 'This request requires auth credentials. Run `npm login` and repeat the request.'
/** A bearer the registry does not know. */
export const UNKNOWN_TOKEN = 'Unable to authenticate, your authentication token seems to be invalid.'
/** An exchanged token used for another package, or after it expired. */
const INVALID_OIDC_TOKEN = 'OIDC publish authorize: Invalid token'
/** An exchanged token used for something its trusted publisher does not grant. */
export const OIDC_DENIED = 'OIDC permission denied for this action'

/** Who npmjs records as the publisher of a version published through trusted publishing, per provider. */
const TRUSTED_PUBLISHER_USERS: Readonly<Record<TrustedPublisherType, { name: string, email: string }>> = {
  github: { name: 'GitHub Actions', email: 'npm-oidc-no-reply@github.com' },
  gitlab: { name: 'GitLab CI/CD', email: 'npm-oidc-no-reply@gitlab.com' },
  circleci: { name: 'CircleCI', email: 'npm-oidc-no-reply@circleci.com' },
}

/** Ends `res` with npmjs's error shape, `{ error }`. */
export function sendRegistryError (res: ServerResponse, status: number, error: string): void {
  sendJson(res, status, { error })
}

/** Who writes: an exchanged token or a classic token's user. */
export type Writer = OidcGrant | UserGrant

/**
 * What a write is: a publish needs `createPackage`, a staged publish `createStagedPackage`; exchanged tokens change
 * dist-tags only when allowed.
 */
export type WriteAction = 'publish' | 'stage' | 'dist-tags'

const NEEDED = { publish: 'createPackage', stage: 'createStagedPackage' } as const

/**
 * Decides whether `credential` may write to `pkgName`, answering the request when not.
 *
 * @returns the credential when allowed, else `undefined` (the refusal has been sent)
 */
export function authorizeWrite (res: ServerResponse, credential: Credential, pkgName: string, action: WriteAction,
  oidcDistTags: boolean): Writer | undefined {
  const refuse = (status: number, error: string): undefined => { sendRegistryError(res, status, error) }
  if (credential.kind === 'none') return refuse(401, NEEDS_AUTH)
  if (credential.kind === 'unknown') return refuse(401, UNKNOWN_TOKEN)
  if (credential.kind === 'token') return credential
  if (credential.kind === 'expired' || credential.pkgName !== pkgName) return refuse(400, INVALID_OIDC_TOKEN)
  const allowed = action === 'dist-tags' ? oidcDistTags : credential.permissions.includes(NEEDED[action])
  return allowed ? credential : refuse(403, OIDC_DENIED)
}

/** `versions[v]._npmUser` as npmjs records it: the user, or the trusted publisher that minted the token. */
export function npmUserOf (writer: Writer): Record<string, unknown> {
  if (writer.kind === 'token') return { name: writer.user }
  const publisher: TrustedPublisher = writer.publisher
  return {
    ...TRUSTED_PUBLISHER_USERS[publisher.type],
    trustedPublisher: { id: publisher.type, oidcConfigId: publisher.id },
  }
}

/**
 * Reads a request's body as JSON.
 *
 * @returns the value, or `undefined` when the body is empty or not JSON
 */
export async function readJsonBody (req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return undefined
  }
}
