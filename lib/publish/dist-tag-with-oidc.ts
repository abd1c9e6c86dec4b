import { OidcError } from '../errors.js'
import { escapePackageName } from '../client/package-name.js'
import { parseRegistry } from '../client/registry-target.js'
import { withoutCredentialHeaders } from '../client/resolve-options.js'
import { pickPublishRegistry } from '../contract/publish-registry.js'
import { hasConfiguredCredentials } from '../util/npm-credentials.js'
import { scrubSecret } from '../util/scrub.js'
import { registryMessageOf } from '../util/response.js'
import { verbose, withLogger } from '../util/log.js'
import { OIDC_MODES, type OidcOptions } from '../options.js'
import { authenticatePublish, type PublishAuth } from './publish-auth.js'
import { validateHandoff } from './token-handoff.js'
import { capUploadError, redirectRefused } from './upload-errors.js'
import { refusingRedirects } from './refuse-redirects.js'
import { uploadConnection } from './upload-package.js'
import type { OidcToken } from '../client/token.js'
import type { Env } from '../util/env.js'

/** Options of {@link distTagWithOidc}: npm-style options plus the authentication settings. */
export interface DistTagOptions extends OidcOptions {
  /** As {@link PublishOptions.oidc}: `auto` (default), `required` or `off`. */
  oidc?: 'auto' | 'required' | 'off'
  /** The environment to detect the provider in; `process.env` by default. */
  env?: Env
  /** A registry that wins over `@scope:registry` and `registry`, as npm's `--registry` flag does. */
  forceRegistry?: string
  /**
   * A token exchanged for this package and this registry, used instead of a new exchange; checked as
   * {@link PublishOptions.oidcToken} is.
   */
  oidcToken?: OidcToken
}

/** What {@link distTagWithOidc} did. */
export interface DistTagResult {
  readonly package: string
  readonly version: string
  readonly tag: string
  readonly registry: string
  /** How the change was authenticated, as for a publish. */
  readonly auth: PublishAuth
}

async function validate (
  pkg: unknown, version: unknown, tag: unknown, opts: unknown
): Promise<{ escapedName: string, tag: string }> {
  const escapedName = await escapePackageName(pkg, 'pkg')
  const { default: npa } = await import('npm-package-arg')
  const typeOf = (spec: unknown): string | undefined => {
    if (typeof spec !== 'string' || spec.trim() === '') return undefined
    try {
      return npa(`${pkg as string}@${spec.trim()}`).type
    } catch {
      return undefined
    }
  }
  if (typeOf(version) !== 'version') {
    throw new TypeError(`Expected \`version\` to be a version, got ${JSON.stringify(version)}.`)
  }
  // As npm dist-tag: a tag that reads as a version or a range would be ambiguous in `npm install pkg@tag`.
  if (typeOf(tag) !== 'tag') throw new TypeError(`Expected \`tag\` to be a dist-tag name, got ${JSON.stringify(tag)}.`)
  if (typeof opts !== 'object' || opts === null) throw new TypeError('Expected `opts` to be an object.')
  const { oidc, env, forceRegistry, oidcToken } = opts as DistTagOptions
  if (oidc !== undefined && !OIDC_MODES.has(oidc)) {
    throw new TypeError(`Expected \`opts.oidc\` to be 'auto', 'required' or 'off', got ${JSON.stringify(oidc)}.`)
  }
  if (env !== undefined && (typeof env !== 'object' || env === null)) {
    throw new TypeError('Expected `opts.env` to be an object.')
  }
  if (forceRegistry !== undefined && typeof forceRegistry !== 'string') {
    throw new TypeError('Expected `opts.forceRegistry` to be a URL.')
  }
  validateHandoff(oidcToken)
  if (oidcToken !== undefined && oidc === 'off') {
    throw new TypeError('Expected no `opts.oidcToken` with `opts.oidc: \'off\'`, which never uses one.')
  }
  return { escapedName, tag: (tag as string).trim() }
}

function refused (err: unknown, oidc: OidcToken, tag: string): unknown {
  const { statusCode: status, body } = Object(err) as { statusCode?: unknown, body?: unknown }
  if (status !== 401 && status !== 403) return err
  const registryMessage = registryMessageOf(body)
  return new OidcError('ERR_OIDC_DIST_TAG_REFUSED', {
    provider: oidc.provider,
    what: `the registry refused to set the dist-tag "${tag}" with the trusted-publishing token`,
    facts: `status ${status}${registryMessage ? `: ${registryMessage}` : ''}`,
    hint: 'Registries such as npmjs accept trusted-publishing tokens for publishing only: publish with `tag` ' +
      'set instead, or change the dist-tag with a granular access token',
    status,
    claims: oidc.claims,
    cause: err,
    ...(registryMessage ? { registryMessage } : {}),
  })
}

/**
 * Points a dist-tag at a published version — `npm dist-tag add <pkg>@<version> <tag>` — authenticated by trusted
 * publishing: it exchanges for the package (or uses `opts.oidcToken`) at the registry npm picks for it, and sends
 * `PUT <registry>-/package/<name>/dist-tags/<tag>` with the version, as npm does. For a release tool's "add a
 * channel" step.
 *
 * Whether a registry accepts a trusted-publishing token for dist-tags is the registry's choice; npmjs documents
 * them as publish-only, and a refusal (401 or 403) is `ERR_OIDC_DIST_TAG_REFUSED`. Authentication follows
 * `opts.oidc` as for {@link publishWithOidc}, including the `auto` fallback to a configured token.
 *
 * @param pkg - the package, such as `@scope/name`
 * @param version - the published version the tag points to
 * @param tag - the dist-tag, such as `next`; not a version or a range
 * @param opts - npm-style options plus {@link DistTagOptions}
 * @returns what was done, and how it was authenticated
 * @throws TypeError for arguments of the wrong shape (before any request)
 * @throws {OidcError} any code of {@link getOidcToken}, and `ERR_OIDC_NO_PROVIDER`, `ERR_OIDC_DIST_TAG_REFUSED`,
 *   `ERR_OIDC_REDIRECT_REFUSED`, `ERR_OIDC_TOKEN_MISMATCH`; the registry's error (scrubbed) otherwise
 * @example
 * ```ts
 * const { auth } = await distTagWithOidc('@acme/widgets', '2.0.0', 'next', { oidc: 'required' })
 * ```
 */
export async function distTagWithOidc (
  pkg: string, version: string, tag: string, opts: DistTagOptions = {}
): Promise<DistTagResult> {
  return withLogger((opts as DistTagOptions | null)?.logger, () => setDistTag(pkg, version, tag, opts))
}

async function setDistTag (
  pkg: string, version: string, rawTag: string, opts: DistTagOptions
): Promise<DistTagResult> {
  const { escapedName, tag } = await validate(pkg, version, rawTag, opts)
  const { oidcToken, logger: _logger, ...rest } = opts
  const flat = rest as Readonly<Record<string, unknown>>
  const { registry: picked } = await pickPublishRegistry({ name: pkg }, flat, opts.forceRegistry)
  const target = parseRegistry(picked, 'registry')
  const { oidc, auth } = await authenticatePublish({
    mode: opts.oidc ?? 'auto',
    pkgName: pkg,
    registry: target.href,
    configured: hasConfiguredCredentials(flat, target.href),
    env: opts.env ?? process.env,
    opts: rest,
    ...(oidcToken === undefined ? {} : { exchanged: oidcToken }),
  })
  const url = `${target.href}-/package/${escapedName}/dist-tags/${encodeURIComponent(tag)}`
  const request: Record<string, unknown> = {
    ...rest, registry: target.href, method: 'PUT', body: JSON.stringify(version),
  }
  if (oidc) {
    Object.assign(request, uploadConnection(target.href, rest), {
      [oidc.authKey]: oidc.token, forceAuth: { token: oidc.token },
    })
  }
  request.headers = { ...withoutCredentialHeaders(rest.headers), 'content-type': 'application/json' }
  const { default: npmFetch } = await import('npm-registry-fetch')
  try {
    const send = async () => { await npmFetch(url, request) }
    const refusal = (token: OidcToken) => (status: number) =>
      redirectRefused(token, target.href, status, 'the dist-tag change', 'no tag was changed')
    await (oidc ? refusingRedirects(oidc.token, send, refusal(oidc)) : send())
  } catch (err) {
    const bounded = capUploadError(oidc ? scrubSecret(err, oidc.token) : err)
    throw oidc ? refused(bounded, oidc, tag) : bounded
  }
  verbose(`Set ${pkg}@${tag} to ${version} at ${target.href} (${auth.method})`)
  return Object.freeze({ package: pkg, version, tag, registry: target.href, auth })
}
