import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createExchangeHandler, type ExchangeHandler, type ExchangeHandlerOptions, type JsonWebKeySet, type TrustedPublisher,
  type VerifyProvenanceOptions,
} from '../registry/index.js'
import { sendJson } from '../util/send-json.js'
import { closer, listenOnLoopback } from './http.js'
import type { StoredPackage } from './package-store.js'
import { provenanceVerifier, type ProvenanceCheck } from './provenance-verification.js'
import { authOf, bearerOf, credentialBook, withId, type TestRegistryAuth } from './registry-credentials.js'
import { handlers, type RegistryContext } from './test-registry-handlers.js'
import { routeOf, type TestRegistryRequestKind } from './test-registry-route.js'

/** An issuer the test registry trusts: a {@link createOidcIssuer} instance (its keys are used inline) or a URL. */
export type TestRegistryIssuer = string | { readonly url: string, readonly jwks?: JsonWebKeySet }

/** Options of {@link createTestRegistry}. */
export interface TestRegistryOptions extends Pick<ExchangeHandlerOptions,
  'maxTokenAge' | 'clockTolerance' | 'seenJti' | 'allowSshRerun' | 'publisherIssuers'> {
  /**
   * The issuers whose ID tokens the exchange accepts. A URL alone is resolved through OpenID discovery. Every
   * publisher type is bound to all of them unless `publisherIssuers` says otherwise.
   */
  readonly issuers: readonly TestRegistryIssuer[]
  /** Trusted publishers per package name; one without an `id` gets `oidc:<uuid>`. The trust routes change them. */
  readonly trustedPublishers?: Readonly<Record<string, readonly TrustedPublisher[]>>
  /** Classic tokens and the user each stands for; they may publish, set dist-tags and manage trust for any package. */
  readonly tokens?: Readonly<Record<string, { readonly user: string }>>
  /** The `aud` the exchange accepts; default `npm:127.0.0.1` and `npm:127.0.0.1:<port>` (what Yarn asks for). */
  readonly audience?: string | readonly string[]
  /**
   * Where the registry is mounted, as behind Artifactory or a reverse proxy: `/api/npm/npm/` makes `url`
   * `http://127.0.0.1:<port>/api/npm/npm/`, and requests outside it are answered 404. Default `/`.
   */
  readonly pathPrefix?: string
  /** Lifetime of an exchanged token, in seconds; default 3600. */
  readonly tokenLifetime?: number
  /** Let an exchanged token set and remove its package's dist-tags; default `false`, as npmjs documents. */
  readonly oidcDistTags?: boolean
  /**
   * Verify every provenance bundle as a registry that accepts provenance does, with `verifyProvenance` of
   * `libnpmoidc/registry` against this trust root (`trustMaterial` or `trustedRoot`: your Sigstore instance's;
   * neither: Sigstore's public-good root through TUF) and the claims of the exchanged ID token. A bundle that does
   * not verify is refused with npmjs's 422 answer (`provenanceRejection`), and so is provenance with a classic
   * token (there is no exchanged job to compare the signer with). Not with `verifyProvenance`.
   */
  readonly provenance?: VerifyProvenanceOptions
  /**
   * Called before a publish that carries a provenance bundle is accepted; a throw refuses the publish with
   * `422 Error verifying sigstore provenance bundle: <message>`, as npmjs answers (npmjs's exact answer when it
   * throws an error of `verifyProvenance`). Without it or `provenance`, bundles are stored unchecked.
   */
  readonly verifyProvenance?: (check: ProvenanceCheck) => void | Promise<void>
}

/** One request the test registry answered. Never holds a token. */
export interface TestRegistryRequest {
  /** The HTTP method. */
  readonly method: string
  /** The path as sent, still percent-encoded, without the query. */
  readonly path: string
  /** What it asked for, from its route. */
  readonly kind: TestRegistryRequestKind
  /** The package the path names, decoded. */
  readonly pkgName?: string
  /** The status answered; 0 while no answer was written. */
  readonly status: number
  /**
   * What authenticated it: an exchanged token (`oidc`, also when expired or for another package), a classic token
   * (`token`), an ID token at the exchange (`id-token`), an unknown bearer (`unknown`), or nothing (`none`).
   */
  readonly auth: TestRegistryAuth
}

/** A running in-memory npm registry on 127.0.0.1. */
export interface TestRegistry {
  /** The registry URL, `http://127.0.0.1:<port>/` (plus `pathPrefix`), to pass as `registry`. */
  readonly url: string
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string
  /** The port it listens on. */
  readonly port: number
  /** The audiences the exchange accepts. */
  readonly audience: readonly string[]
  /** The npmrc-style key of a classic token for this registry: `//127.0.0.1:<port>/:_authToken` (path included). */
  readonly authKey: string
  /** Every request so far, oldest first (a snapshot). */
  readonly requests: readonly TestRegistryRequest[]
  /** How many exchange requests arrived, whatever the answer; for one package or all. */
  exchanges: (pkgName?: string) => number
  /** How many publish requests (`PUT /<name>`) arrived, whatever the answer; for one package or all. */
  publishes: (pkgName?: string) => number
  /** A package's trusted publishers now (a copy). */
  trustedPublishers: (pkgName: string) => TrustedPublisher[]
  /** Stops the server and drops every open connection; safe to call twice. */
  close: () => Promise<void>
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function issuerUrls (issuers: unknown): { urls: string[], jwks: Record<string, JsonWebKeySet> } {
  const urls: string[] = []
  const jwks: Record<string, JsonWebKeySet> = {}
  const valid = Array.isArray(issuers) && issuers.length > 0 && issuers.every((issuer: unknown) => {
    const url = typeof issuer === 'string' ? issuer : isRecord(issuer) ? issuer.url : undefined
    if (typeof url !== 'string' || url === '') return false
    urls.push(url)
    if (isRecord(issuer) && issuer.jwks !== undefined) jwks[url] = issuer.jwks as JsonWebKeySet
    return true
  })
  if (!valid) {
    throw new TypeError('Expected `options.issuers` to be a non-empty array of issuers (createOidcIssuer results) ' +
      'or issuer URLs.')
  }
  return { urls, jwks }
}

function checkOptions (options: TestRegistryOptions): void {
  const { trustedPublishers, tokens, tokenLifetime, verifyProvenance, provenance, pathPrefix } = options
  if (pathPrefix !== undefined && !(typeof pathPrefix === 'string' && /^\/(?:[\w.~-]+\/)*$/.test(pathPrefix))) {
    throw new TypeError('Expected `options.pathPrefix` to be a path that starts and ends with `/`, such as `/npm/`.')
  }
  if (trustedPublishers !== undefined &&
    !(isRecord(trustedPublishers) && Object.values(trustedPublishers).every(Array.isArray))) {
    throw new TypeError('Expected `options.trustedPublishers` to map package names to arrays of trusted publishers.')
  }
  if (tokens !== undefined &&
    !(isRecord(tokens) && Object.values(tokens).every((t) => isRecord(t) && typeof t.user === 'string'))) {
    throw new TypeError('Expected `options.tokens` to map tokens to `{ user }`.')
  }
  if (tokenLifetime !== undefined && !(typeof tokenLifetime === 'number' && tokenLifetime > 0)) {
    throw new TypeError('Expected `options.tokenLifetime` to be a positive number of seconds.')
  }
  if (verifyProvenance !== undefined && typeof verifyProvenance !== 'function') {
    throw new TypeError('Expected `options.verifyProvenance` to be a function.')
  }
  if (provenance !== undefined && (!isRecord(provenance) || verifyProvenance !== undefined)) {
    throw new TypeError(
      'Expected `options.provenance` to be verifyProvenance\'s options, without `options.verifyProvenance`.')
  }
}

/**
 * Starts an in-memory npm registry on 127.0.0.1 that speaks trusted publishing as npmjs does: the exchange
 * (served by `createExchangeHandler` from `libnpmoidc/registry`, minting tokens scoped to one package), packuments,
 * tarballs, `PUT` publish (an exchanged token only for its own package; no republishing a version), dist-tags, the
 * visibility route, the attestations route, and the trust routes. It records, like npmjs, how each version was
 * published (`_npmUser.trustedPublisher`, `dist.attestations`), and logs every request without its token, so a
 * release tool can test its whole pipeline offline.
 *
 * @param options - issuers, trusted publishers, classic tokens and exchange settings
 * @returns the running registry; call `close()` when done
 * @throws {TypeError} When an option has the wrong type.
 * @example
 * ```ts
 * import { createOidcIssuer, createTestRegistry } from 'libnpmoidc/testing'
 *
 * const issuer = await createOidcIssuer({ provider: 'github-actions' })
 * const registry = await createTestRegistry({
 *   issuers: [issuer],
 *   trustedPublishers: {
 *     '@acme/widgets': [{
 *       type: 'github',
 *       claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } },
 *       permissions: ['createPackage'],
 *     }],
 *   },
 * })
 * // publishWithOidc(manifest, tarball, { registry: registry.url, env: await issuer.jobEnv() })
 * await registry.close()
 * ```
 */
export async function createTestRegistry (options: TestRegistryOptions): Promise<TestRegistry> {
  if (!isRecord(options)) throw new TypeError('Expected `options` to be an object.')
  const { urls, jwks } = issuerUrls(options.issuers)
  checkOptions(options)
  const trust = new Map<string, TrustedPublisher[]>()
  for (const [name, list] of Object.entries(options.trustedPublishers ?? {})) trust.set(name, list.map(withId))
  const book = credentialBook(options.tokens ?? {})
  const lifetime = (options.tokenLifetime ?? 3600) * 1000
  const log: { -readonly [K in keyof TestRegistryRequest]: TestRegistryRequest[K] }[] = []

  const server = createServer()
  const port = await listenOnLoopback(server)
  const origin = `http://127.0.0.1:${port}`
  const prefix = options.pathPrefix ?? '/'
  const url = `${origin}${prefix}`
  const audience = typeof options.audience === 'string'
    ? [options.audience]
    : [...(options.audience ?? ['npm:127.0.0.1', `npm:127.0.0.1:${port}`])]
  let exchange: ExchangeHandler
  try {
    exchange = createExchangeHandler({
      audience,
      issuers: urls,
      jwks,
      maxTokenAge: options.maxTokenAge,
      clockTolerance: options.clockTolerance,
      seenJti: options.seenJti,
      allowSshRerun: options.allowSshRerun,
      // Test issuers are loopback URLs, not the providers' public issuers each type is bound to by default.
      publisherIssuers: options.publisherIssuers ?? { github: urls, gitlab: urls, circleci: urls },
      getTrustedPublishers: (pkgName) => trust.get(pkgName),
      mintToken: (pkgName, claims, publisher, permissions) => {
        const expires = Date.now() + lifetime
        const token = book.mint({ kind: 'oidc', pkgName, permissions, publisher, claims, expires })
        return { token, expires: new Date(expires) }
      },
    })
  } catch (err) {
    server.close()
    throw err
  }
  const ctx: RegistryContext = {
    url,
    packages: new Map<string, StoredPackage>(),
    trust,
    oidcDistTags: options.oidcDistTags === true,
    verifyProvenance: options.provenance === undefined
      ? options.verifyProvenance
      : provenanceVerifier(options.provenance),
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = String(req.url).split('?')[0] as string
    const route = path.startsWith(prefix)
      ? routeOf(String(req.method), path.slice(prefix.length - 1))
      : { kind: 'other' as const, rest: [] }
    const credential = book.lookUp(req.headers.authorization, Date.now())
    const auth = route.kind !== 'exchange'
      ? authOf(credential)
      : bearerOf(req.headers.authorization) === undefined ? 'none' : 'id-token'
    const entry = {
      method: String(req.method),
      path,
      kind: route.kind,
      ...(route.pkgName === undefined ? {} : { pkgName: route.pkgName }),
      status: 0,
      auth,
    }
    log.push(entry)
    // The status is known once the head is written, before the client can read the answer.
    const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      entry.status = status
      return writeHead(status, ...rest)
    }) as typeof res.writeHead
    if (route.kind === 'exchange') return exchange(req, res)
    if (route.kind === 'other') {
      req.resume()
      return sendJson(res, 404, { error: 'Not found' })
    }
    Promise.resolve(handlers[route.kind](ctx, req, res, route, credential)).catch(
      /* c8 ignore start */
      // Handlers answer every refusal themselves; they reject only when the request stream fails (a client gone
      // mid-body), which no test can provoke deterministically. This keeps that from crashing the test process.
      () => { if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' }) }
      /* c8 ignore stop */
    )
  })

  const count = (kind: TestRegistryRequestKind, pkgName?: string): number =>
    log.filter((r) => r.kind === kind && (pkgName === undefined || r.pkgName === pkgName)).length
  return {
    url,
    origin,
    port,
    audience: Object.freeze([...audience]),
    authKey: `//127.0.0.1:${port}${prefix}:_authToken`,
    get requests () { return Object.freeze(log.map((r) => Object.freeze({ ...r }))) },
    exchanges: (pkgName) => count('exchange', pkgName),
    publishes: (pkgName) => count('publish', pkgName),
    trustedPublishers: (pkgName) => [...(trust.get(pkgName) ?? [])],
    close: closer(server),
  }
}
