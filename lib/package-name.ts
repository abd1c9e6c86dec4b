import npa from 'npm-package-arg'

/**
 * Checks a package name with npm-package-arg and returns its URL form (`@scope%2fname`).
 *
 * @throws TypeError naming the argument when it is not a valid npm package name
 */
export function escapePackageName (name: unknown, argName = 'pkgName'): string {
  let escaped: string | null = null
  if (typeof name === 'string') {
    try {
      const spec = npa(name)
      if (spec.registry && spec.name === name) escaped = spec.escapedName
    } catch {}
  }
  if (escaped === null) {
    throw new TypeError(`Expected \`${argName}\` to be a valid npm package name, got ${JSON.stringify(name)}.`)
  }
  return escaped
}
