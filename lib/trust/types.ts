import type { NpmFetchOptions } from '../options.js'
import type { TrustedPublisher, TrustedPublisherPermission } from '../contract/trusted-publisher.js'

export type { TrustedPublisher, TrustedPublisherPermission }

/** Fields every publisher input shares. */
interface PublisherInputBase {
  /** At least one of `createPackage` (`npm publish`) and `createStagedPackage` (`npm stage publish`). */
  readonly permissions: readonly TrustedPublisherPermission[]
}

/** A GitHub Actions trusted publisher, as {@link addTrustedPublisher} accepts it. */
export interface GithubPublisherInput extends PublisherInputBase {
  readonly type: 'github'
  /** `owner/repo`; defaults to the GitHub repository named by the manifest's `repository`. */
  readonly repository?: string
  /** The calling workflow's bare file name, such as `release.yml` (no path; `.yml` or `.yaml`). */
  readonly file: string
  /** A GitHub environment the job must run in; omitted when unset. */
  readonly environment?: string
}

/** A GitLab CI/CD trusted publisher, as {@link addTrustedPublisher} accepts it. */
export interface GitlabPublisherInput extends PublisherInputBase {
  readonly type: 'gitlab'
  /** `group/project` or `group/sub/project`; defaults to the GitLab project named by the manifest's `repository`. */
  readonly project?: string
  /** The top-level CI file's bare name, such as `.gitlab-ci.yml`. */
  readonly file: string
  /** A GitLab environment the job must run in; omitted when unset. */
  readonly environment?: string
}

/** A CircleCI trusted publisher, as {@link addTrustedPublisher} accepts it. */
export interface CircleciPublisherInput extends PublisherInputBase {
  readonly type: 'circleci'
  /** Organization UUID. */
  readonly orgId: string
  /** Project UUID. */
  readonly projectId: string
  /** Pipeline definition UUID. */
  readonly pipelineDefinitionId: string
  /** `provider/owner/repo` without a scheme, such as `github.com/acme/widgets`. */
  readonly vcsOrigin: string
  /** Context UUIDs the job must run with; omitted when empty. */
  readonly contextIds?: readonly string[]
}

/**
 * A trusted publisher to add: the friendly shape for one provider, or the registry's own shape
 * (`{ type, claims, permissions }`, as {@link listTrustedPublishers} returns it; an `id` is ignored).
 */
export type TrustedPublisherInput =
  | GithubPublisherInput
  | GitlabPublisherInput
  | CircleciPublisherInput
  | TrustedPublisher

/** A package's manifest (its `package.json`), of which `name` and `repository` are read. */
export interface TrustManifest {
  readonly name: string
  readonly repository?: string | { readonly url?: string, readonly [key: string]: unknown }
  readonly [key: string]: unknown
}

/** A package: its name, or its manifest (which also supplies defaults for {@link addTrustedPublisher}). */
export type TrustPackage = string | TrustManifest

/**
 * Options of the trust functions: npm-registry-fetch's flat options bag, passed on (a CLI can pass its
 * `flatOptions` unchanged). The registry comes from `@scope:registry` or `registry`; the user's token from
 * the registry's nerf-darted credential key (`//host/path/:_authToken`), as npm does.
 */
export interface TrustOptions extends Readonly<NpmFetchOptions> {
  /** The default registry; `https://registry.npmjs.org/` when unset. */
  readonly registry?: string
  /** A one-time password, sent as `npm-otp`. */
  readonly otp?: string
  /**
   * Asked for a one-time password when the registry demands one (npm-registry-fetch's own option); the request
   * is then repeated with it. Without it an OTP challenge rejects with `code: 'EOTP'`.
   */
  readonly otpPrompt?: () => Promise<string | undefined>
  /** Time limit of one request, in ms. */
  readonly timeout?: number
  /** Extra request headers. */
  readonly headers?: Record<string, string>
  /** Prepended to the `User-Agent`. */
  readonly userAgent?: string
}

/** What a trust request will send, without credentials: the result of {@link planTrustRequest}. */
export interface TrustRequest {
  /** The package name. */
  readonly package: string
  /** The registry the request goes to, ending in `/`, path prefix kept. */
  readonly registry: string
  readonly method: 'GET' | 'POST' | 'DELETE'
  /** The full URL, with the package escaped as `@scope%2fname`. */
  readonly url: string
  /** The headers libnpmoidc sets (npm-registry-fetch adds `authorization`, `user-agent` and `npm-otp`). */
  readonly headers: Readonly<Record<string, string>>
  /** The JSON body of a create request: always an array. */
  readonly body?: readonly TrustedPublisher[]
  /** Where the manifest's defaults and the given values disagree (also logged at `warn`). */
  readonly warnings: readonly string[]
}

/** One trust operation for {@link planTrustRequest}. */
export type TrustOperation =
  | { readonly action: 'list', readonly package: TrustPackage }
  | {
    readonly action: 'add',
    readonly package: TrustPackage,
    readonly publishers: TrustedPublisherInput | readonly TrustedPublisherInput[],
  }
  | { readonly action: 'revoke', readonly package: TrustPackage, readonly id: string }
