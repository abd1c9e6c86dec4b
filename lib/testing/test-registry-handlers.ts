import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { TRUSTED_PUBLISHER_PERMISSIONS } from '../contract/trusted-publisher.js'
import type { TrustedPublisher } from '../registry/index.js'
import { sendJson } from '../util/send-json.js'
import { addVersion, packumentOf, type StoredPackage } from './package-store.js'
import { provenanceRefusal, type ProvenanceCheck } from './provenance-verification.js'
import { readPublishDocument } from './publish-document.js'
import {
  authorizeWrite, npmUserOf, OIDC_DENIED, readJsonBody, sendRegistryError, UNKNOWN_TOKEN, NEEDS_AUTH,
} from './registry-answers.js'
import type { Credential } from './registry-credentials.js'
import type { TestRegistryRoute } from './test-registry-route.js'

/** The state and settings the routes share. */
export interface RegistryContext {
  /** The registry URL, ending in `/`. */
  readonly url: string
  readonly packages: Map<string, StoredPackage>
  readonly trust: Map<string, TrustedPublisher[]>
  readonly oidcDistTags: boolean
  readonly verifyProvenance: ((check: ProvenanceCheck) => unknown) | undefined
}

type Handler = (ctx: RegistryContext, req: IncomingMessage, res: ServerResponse, route: TestRegistryRoute,
  credential: Credential) => void | Promise<void>

const NOT_FOUND = 'Not found'
const TRUST_TYPES = ['github', 'gitlab', 'circleci']

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function methodNotAllowed (res: ServerResponse): void {
  sendRegistryError(res, 405, 'method not allowed')
}

const packument: Handler = (ctx, req, res, route) => {
  if (req.method !== 'GET') return methodNotAllowed(res)
  const pkg = ctx.packages.get(route.pkgName as string)
  if (pkg === undefined) return sendRegistryError(res, 404, NOT_FOUND)
  sendJson(res, 200, packumentOf(pkg))
}

const tarball: Handler = (ctx, req, res, route) => {
  const data = ctx.packages.get(route.pkgName as string)?.tarballs.get(route.rest[0] as string)
  if (req.method !== 'GET') return methodNotAllowed(res)
  if (data === undefined) return sendRegistryError(res, 404, NOT_FOUND)
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(data.length) })
  res.end(data)
}

const attestations: Handler = (ctx, req, res, route) => {
  const found = ctx.packages.get(route.pkgName as string)?.attestations.get(route.rest[0] as string)
  if (req.method !== 'GET') return methodNotAllowed(res)
  if (found === undefined) return sendRegistryError(res, 404, NOT_FOUND)
  sendJson(res, 200, { attestations: [found] })
}

const visibility: Handler = (ctx, req, res, route) => {
  if (req.method !== 'GET') return methodNotAllowed(res)
  const pkg = ctx.packages.get(route.pkgName as string)
  if (pkg === undefined) return sendRegistryError(res, 404, NOT_FOUND)
  sendJson(res, 200, { public: pkg.access === 'public' })
}

// A staged publish (`POST /-/stage/package/<name>`, `npm stage publish`) is checked as a publish and answered with a
// `stageId`; npmjs then holds it for a maintainer's approval, which the test registry does not imitate.
const publish: Handler = async (ctx, req, res, route, credential) => {
  const pkgName = route.pkgName as string
  const action = route.kind === 'stage' ? 'stage' : 'publish'
  if (action === 'stage' && req.method !== 'POST') return methodNotAllowed(res)
  const body = await readJsonBody(req)
  const writer = authorizeWrite(res, credential, pkgName, action, ctx.oidcDistTags)
  if (writer === undefined) return
  const doc = readPublishDocument(pkgName, body)
  if ('problem' in doc) return sendRegistryError(res, 400, doc.problem)
  if (doc.bundle !== undefined && ctx.verifyProvenance !== undefined) {
    const claims = writer.kind === 'oidc' ? { claims: writer.claims } : {}
    try {
      await ctx.verifyProvenance({ bundle: doc.bundle, integrity: doc.integrity, manifest: doc.manifest, ...claims })
    } catch (err) {
      const { status, body } = provenanceRefusal(err)
      return sendRegistryError(res, status, body.error)
    }
  }
  // Checked after the provenance check, so two uploads of one version cannot both pass while it runs.
  const existing = ctx.packages.get(pkgName)
  if (existing?.versions[doc.version] !== undefined) {
    return sendRegistryError(res, 403, `You cannot publish over the previously published versions: ${doc.version}.`)
  }
  if (action === 'stage') return sendJson(res, 201, { stageId: randomUUID() })
  ctx.packages.set(pkgName, addVersion(ctx.url, existing, pkgName, doc, npmUserOf(writer), new Date()))
  sendJson(res, 200, { success: true })
}

const distTags: Handler = async (ctx, req, res, route, credential) => {
  const pkgName = route.pkgName as string
  const [tag, ...extra] = route.rest
  const body = req.method === 'PUT' ? await readJsonBody(req) : undefined
  const pkg = ctx.packages.get(pkgName)
  if (extra.length > 0) return sendRegistryError(res, 404, NOT_FOUND)
  if (tag === undefined) {
    if (req.method !== 'GET') return methodNotAllowed(res)
    if (pkg === undefined) return sendRegistryError(res, 404, NOT_FOUND)
    return sendJson(res, 200, { ...pkg.distTags })
  }
  if (req.method !== 'PUT' && req.method !== 'DELETE') return methodNotAllowed(res)
  if (authorizeWrite(res, credential, pkgName, 'dist-tags', ctx.oidcDistTags) === undefined) return
  if (pkg === undefined) return sendRegistryError(res, 404, NOT_FOUND)
  if (req.method === 'DELETE') {
    if (pkg.distTags[tag] === undefined) return sendRegistryError(res, 404, `dist-tag ${tag} not found`)
    delete pkg.distTags[tag]
  } else {
    if (typeof body !== 'string') return sendRegistryError(res, 400, 'the body must be a version as a JSON string')
    if (pkg.versions[body] === undefined) return sendRegistryError(res, 404, `version not found: ${body}`)
    pkg.distTags[tag] = body
  }
  pkg.time.modified = new Date().toISOString()
  sendJson(res, 200, { ok: true, 'dist-tags': { ...pkg.distTags } })
}

// The shape `npm trust github|gitlab|circleci` sends; npmjs's own checks are not known in detail.
function trustProblem (body: unknown): string | undefined {
  if (!Array.isArray(body) || body.length === 0) return 'the body must be a non-empty array of trust configurations'
  for (const config of body as unknown[]) {
    if (!isRecord(config) || !TRUST_TYPES.includes(config.type as string) || !isRecord(config.claims)) {
      return 'each trust configuration needs a type (github, gitlab or circleci) and claims'
    }
    const { permissions } = config
    if (!Array.isArray(permissions) || permissions.length === 0 ||
      !permissions.every((p) => (TRUSTED_PUBLISHER_PERMISSIONS as readonly unknown[]).includes(p))) {
      return 'permissions must list createPackage and/or createStagedPackage'
    }
  }
  return undefined
}

// Trust is managed by a person with a classic token, for a package that exists (here: published, or given
// trusted publishers in the options); an exchanged token is refused.
const trust: Handler = async (ctx, req, res, route, credential) => {
  const pkgName = route.pkgName as string
  const body = req.method === 'POST' ? await readJsonBody(req) : undefined
  if (credential.kind === 'none') return sendRegistryError(res, 401, NEEDS_AUTH)
  if (credential.kind === 'unknown') return sendRegistryError(res, 401, UNKNOWN_TOKEN)
  if (credential.kind !== 'token') return sendRegistryError(res, 403, OIDC_DENIED)
  const list = ctx.trust.get(pkgName)
  if (!ctx.packages.has(pkgName) && list === undefined) return sendRegistryError(res, 404, NOT_FOUND)
  const publishers = list ?? []
  const [id, ...extra] = route.rest
  if (req.method === 'GET' && id === undefined) return sendJson(res, 200, publishers)
  if (req.method === 'POST' && id === undefined) {
    const problem = trustProblem(body)
    if (problem !== undefined) return sendRegistryError(res, 400, problem)
    const created = (body as TrustedPublisher[]).map(({ type, claims, permissions }) =>
      ({ id: `oidc:${randomUUID()}`, type, claims, permissions }) as TrustedPublisher)
    ctx.trust.set(pkgName, [...publishers, ...created])
    return sendJson(res, 201, created)
  }
  if (req.method === 'DELETE' && id !== undefined && extra.length === 0) {
    const kept = publishers.filter((p) => p.id !== id)
    if (kept.length === publishers.length) return sendRegistryError(res, 404, `no trusted publisher ${id}`)
    ctx.trust.set(pkgName, kept)
    res.writeHead(204).end()
    return
  }
  methodNotAllowed(res)
}

/** The handler of each route kind except the exchange, which `createExchangeHandler` serves. */
export const handlers: Readonly<Record<Exclude<TestRegistryRoute['kind'], 'exchange' | 'other'>, Handler>> = {
  packument,
  tarball,
  attestations,
  visibility,
  publish,
  stage: publish,
  'dist-tags': distTags,
  trust,
}
