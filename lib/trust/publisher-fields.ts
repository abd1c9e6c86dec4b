import { TRUSTED_PUBLISHER_PERMISSIONS, type TrustedPublisherPermission } from '../contract/trusted-publisher.js'

// npm 11.19.1's rules (lib/commands/trust/*.js, lib/utils/validate-uuid.js), as TypeErrors naming the field.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function fail (field: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'nothing' : JSON.stringify(value)
  throw new TypeError(`Expected \`${field}\` to be ${expected}, got ${got}.`)
}

function nonEmpty (value: unknown, field: string, expected: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, expected, value)
  return value
}

/** `owner/repo`: exactly two non-empty segments. */
export function githubRepository (value: unknown, field: string): string {
  const repo = nonEmpty(value, field, 'a GitHub repository as `owner/repo`')
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) fail(field, 'a GitHub repository as `owner/repo`', value)
  return repo
}

/** `group/project` or `group/sub/project`: at least two non-empty segments. */
export function gitlabProject (value: unknown, field: string): string {
  const project = nonEmpty(value, field, 'a GitLab project path as `group/project` or `group/sub/project`')
  if (!/^[^/\s]+(?:\/[^/\s]+)+$/.test(project)) fail(field, 'a GitLab project path as `group/project` or `group/sub/project`', value)
  return project
}

/** A bare file name (the registry matches the file only, not its folder) ending in `.yml` or `.yaml`. */
export function ciFile (value: unknown, field: string): string {
  const file = nonEmpty(value, field, 'a file name ending in .yml or .yaml')
  if (!file.endsWith('.yml') && !file.endsWith('.yaml')) fail(field, 'a file name ending in .yml or .yaml', value)
  if (/[/\\]/.test(file)) fail(field, 'a bare file name without a path (such as `release.yml`)', value)
  return file
}

/** An optional environment name; `undefined` when unset. */
export function environment (value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : nonEmpty(value, field, 'a non-empty environment name')
}

/** A UUID, as CircleCI shows its ids. */
export function uuid (value: unknown, field: string): string {
  const id = nonEmpty(value, field, 'a UUID')
  if (!UUID.test(id)) fail(field, 'a UUID', value)
  return id
}

/** `provider/owner/repo` without a scheme, such as `github.com/acme/widgets`. */
export function vcsOrigin (value: unknown, field: string): string {
  const origin = nonEmpty(value, field, '`provider/owner/repo` (such as `github.com/acme/widgets`)')
  if (origin.includes('://')) fail(field, '`provider/owner/repo` without a scheme (such as `github.com/acme/widgets`)', value)
  if (!/^[^/\s]+(?:\/[^/\s]+){2,}$/.test(origin)) fail(field, '`provider/owner/repo` (such as `github.com/acme/widgets`)', value)
  return origin
}

/** Optional context UUIDs; `undefined` when unset or empty, as npm omits them. */
export function contextIds (value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) fail(field, 'an array of UUIDs', value)
  const ids = value.map((id, i) => uuid(id, `${field}[${i}]`))
  return ids.length > 0 ? ids : undefined
}

/** At least one of `createPackage` and `createStagedPackage`, each once, in the order given. */
export function permissions (value: unknown, field: string): TrustedPublisherPermission[] {
  const expected = 'a non-empty array of \'createPackage\' and/or \'createStagedPackage\''
  if (!Array.isArray(value) || value.length === 0) fail(field, expected, value)
  for (const p of value) if (!TRUSTED_PUBLISHER_PERMISSIONS.includes(p)) fail(field, expected, value)
  return [...new Set(value as TrustedPublisherPermission[])]
}
