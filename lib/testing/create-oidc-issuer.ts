import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { closer, listenOnLoopback } from './http.js'
import { sendJson } from '../util/send-json.js'
import { idTokenPayload } from './id-token-payload.js'
import type { MintOptions } from './id-token-payload.js'
import { buildJobEnv } from './job-env.js'
import type { JobEnvOptions } from './job-env.js'
import { providerClaims, testkitProviders } from './provider-claims.js'
import type { ClaimOverrides, TestkitProvider } from './provider-claims.js'
import { createSigningKey, encodeUnsigned, signJwt } from './signing-key.js'
import type { Jwks, SigningKey } from './signing-key.js'
import { handleTokenRequest } from './token-endpoint.js'
import type { TokenRequest } from './token-endpoint.js'

/** Options of {@link createOidcIssuer}. */
export interface OidcIssuerOptions {
  /** Which CI provider to imitate. */
  readonly provider: TestkitProvider
  /** Claims to replace or add in every token; a key set to `undefined` removes the claim. */
  readonly claims?: ClaimOverrides
  /** GitHub only: the request token the job must present; random per issuer by default. */
  readonly requestToken?: string
}

/** A running OIDC issuer on 127.0.0.1 that signs real RS256 ID tokens. */
export interface OidcIssuer {
  /** The provider it imitates. */
  readonly provider: TestkitProvider
  /** The issuer URL and `iss` claim, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string
  /** The port it listens on. */
  readonly port: number
  /** Where the JWKS is served, as named in the discovery document. */
  readonly jwksUri: string
  /** The published public keys, for a verifier's inline key configuration. */
  readonly jwks: Jwks
  /** The identity claims every token carries (without `aud`, `jti` and time claims). */
  readonly claims: Readonly<Record<string, unknown>>
  /** The hits on the GitHub token endpoint so far, oldest first (a snapshot). */
  readonly requests: readonly TokenRequest[]
  /** Mints an ID token signed with the published key. */
  mint: (options: MintOptions) => Promise<string>
  /** Mints an ID token signed with a key the issuer does not publish, under the published key's `kid`. */
  mintWithForeignKey: (options: MintOptions) => Promise<string>
  /** Mints an unsecured ID token (`alg: none`, no signature). */
  mintUnsigned: (options: MintOptions) => Promise<string>
  /** Builds the environment of a simulated CI job for this provider. */
  jobEnv: (options?: JobEnvOptions) => Promise<Record<string, string>>
  /** Stops the server and drops every open connection; safe to call twice. */
  close: () => Promise<void>
}

function nowSeconds (): number {
  return Math.floor(Date.now() / 1000)
}

/**
 * Starts a local OIDC issuer that imitates a CI provider: OpenID discovery, a JWKS with a freshly
 * generated RS256 key, realistic claims, and for GitHub Actions the ID-token request endpoint.
 * Nothing it does prints or logs a token.
 *
 * @param options - Provider, claim overrides and (GitHub) the request token.
 * @returns The running issuer; call `close()` when done.
 * @throws {TypeError} When `provider` is unknown or `requestToken` is empty.
 * @example
 * ```ts
 * import { createOidcIssuer } from 'libnpmoidc/testing'
 *
 * const issuer = await createOidcIssuer({ provider: 'github-actions' })
 * const env = await issuer.jobEnv()
 * const idToken = await issuer.mint({ audience: 'npm:127.0.0.1' })
 * await issuer.close()
 * ```
 */
export async function createOidcIssuer (options: OidcIssuerOptions): Promise<OidcIssuer> {
  const { provider } = options
  if (!testkitProviders.includes(provider)) {
    throw new TypeError(`Expected \`provider\` to be one of ${testkitProviders.join(', ')}, ` +
      `got ${JSON.stringify(provider)}.`)
  }
  if (options.requestToken !== undefined && (typeof options.requestToken !== 'string' || options.requestToken === '')) {
    throw new TypeError('Expected `requestToken` to be a non-empty string.')
  }
  const requestToken = options.requestToken ?? randomBytes(24).toString('base64url')
  const key = await createSigningKey()
  let foreignKey: Promise<SigningKey> | undefined
  const log: TokenRequest[] = []

  const server = createServer()
  const port = await listenOnLoopback(server)
  const url = `http://127.0.0.1:${port}`
  const jwksUri = `${url}/.well-known/jwks`
  const claims = Object.freeze(providerClaims(provider, url, options.claims))
  const jwks: Jwks = Object.freeze({ keys: Object.freeze([key.publicJwk]) })

  const mint = async (mintOptions: MintOptions): Promise<string> =>
    signJwt(key, idTokenPayload(claims, mintOptions, nowSeconds()))
  const mintFor = async (audience: string): Promise<string> => mint({ audience })

  const discovery = Object.freeze({
    issuer: url,
    jwks_uri: jwksUri,
    subject_types_supported: ['public', 'pairwise'],
    response_types_supported: ['id_token'],
    claims_supported: [
      'sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf',
      ...Object.keys(claims).filter((k) => !['iss', 'sub'].includes(k)),
    ],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid'],
  })

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(String(req.url), url)
    if (pathname === '/.well-known/openid-configuration') {
      sendJson(res, 200, discovery)
    } else if (pathname === '/.well-known/jwks') {
      sendJson(res, 200, jwks)
    } else if (pathname === '/token' && provider === 'github-actions') {
      const owner = String(claims.repository_owner)
      await handleTokenRequest(req, res, {
        requestToken,
        // GitHub's default audience is the URL of the repository owner.
        defaultAudience: `https://github.com/${owner}`,
        mint: mintFor,
        record: (entry) => { log.push(entry) },
      })
    } else {
      sendJson(res, 404, { message: 'Not Found' })
    }
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch(
      /* c8 ignore start */
      // Signing with an in-memory key we generated ourselves has no failure mode to provoke.
      () => { if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' }) }
      /* c8 ignore stop */
    )
  })

  return {
    provider,
    url,
    port,
    jwksUri,
    jwks,
    claims,
    get requests () { return Object.freeze([...log]) },
    mint,
    mintWithForeignKey: async (mintOptions) => {
      foreignKey ??= createSigningKey(key.kid)
      return signJwt(await foreignKey, idTokenPayload(claims, mintOptions, nowSeconds()))
    },
    mintUnsigned: async (mintOptions) => encodeUnsigned(idTokenPayload(claims, mintOptions, nowSeconds())),
    jobEnv: async (jobOptions) => buildJobEnv({
      provider,
      claims,
      issuerUrl: url,
      requestToken,
      mint: mintFor,
    }, jobOptions),
    close: closer(server),
  }
}
