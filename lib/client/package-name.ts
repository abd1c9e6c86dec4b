/**
 * Checks a package name with npm-package-arg and returns its URL form (`@scope%2fname`). npm-package-arg is
 * loaded on first use: it and its dependencies are half of what importing libnpmoidc would otherwise cost.
 *
 * @throws TypeError naming the argument when it is not a valid npm package name
 */
export async function escapePackageName (name: unknown, argName = 'pkgName'): Promise<string> {
  let escaped: string | null = null
  if (typeof name === 'string') {
    const { default: npa } = await import('npm-package-arg')
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
