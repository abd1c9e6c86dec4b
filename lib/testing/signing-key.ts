// jose is ESM-only: without resolution-mode the CommonJS build's .d.ts fails to compile for a node16 consumer.
import type { CryptoKey } from 'jose' with { 'resolution-mode': 'import' }
import { loadJose } from '../util/jose.js'

/** The public half of a signing key, as it appears in a JWKS. */
export interface PublicJwk {
  readonly kty: string
  readonly n: string
  readonly e: string
  readonly kid: string
  readonly alg: 'RS256'
  readonly use: 'sig'
}

/** A JSON Web Key Set holding public keys only. */
export interface Jwks {
  readonly keys: readonly PublicJwk[]
}

/** An RS256 key pair made for one test issuer; the private key never leaves the process. */
export interface SigningKey {
  readonly kid: string
  readonly privateKey: CryptoKey
  readonly publicJwk: PublicJwk
}

/**
 * Generates a fresh RS256 key pair; its `kid` is the RFC 7638 thumbprint of the public key.
 *
 * @param kid - Use this key id instead of the thumbprint (to forge a token that names a published key).
 * @returns The key pair, with the public key as a JWK.
 * @example
 * ```ts
 * const key = await createSigningKey()
 * const jwks = { keys: [key.publicJwk] }
 * ```
 */
export async function createSigningKey (kid?: string): Promise<SigningKey> {
  const jose = await loadJose()
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256', { extractable: true })
  const jwk = await jose.exportJWK(publicKey)
  const publicJwk: PublicJwk = Object.freeze({
    kty: jwk.kty as string,
    n: jwk.n as string,
    e: jwk.e as string,
    kid: kid ?? await jose.calculateJwkThumbprint(jwk),
    alg: 'RS256',
    use: 'sig',
  })
  return Object.freeze({ kid: publicJwk.kid, privateKey, publicJwk })
}

/**
 * Signs a payload as a compact RS256 JWT with the key's `kid` in the header.
 *
 * @param key - From {@link createSigningKey}.
 * @param payload - The claims, used as given.
 * @returns The compact JWT.
 * @example
 * ```ts
 * const jwt = await signJwt(key, { iss: 'http://127.0.0.1:4000', aud: 'npm:127.0.0.1' })
 * ```
 */
export async function signJwt (key: SigningKey, payload: Readonly<Record<string, unknown>>): Promise<string> {
  const jose = await loadJose()
  return new jose.SignJWT({ ...payload })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .sign(key.privateKey)
}

/**
 * Encodes a payload as an unsecured JWT (`alg: none`, empty signature), which every verifier must refuse.
 *
 * @param payload - The claims, used as given.
 * @returns The compact JWT, ending in `.`.
 * @example
 * ```ts
 * const jwt = await encodeUnsigned({ aud: 'npm:127.0.0.1' })
 * ```
 */
export async function encodeUnsigned (payload: Readonly<Record<string, unknown>>): Promise<string> {
  const jose = await loadJose()
  return new jose.UnsecuredJWT({ ...payload }).encode()
}
