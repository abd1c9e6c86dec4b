// npm-package-arg's reading of a bare name, which is all a registry spec here may be: a name it accepts only when
// validate-npm-package-name finds no error; an unscoped name ending in .tgz, .tar.gz or .tar is a file to it.
const TARBALL = /[.](?:tgz|tar\.gz|tar)$/i

/**
 * Checks a package name as npm-package-arg would, with validate-npm-package-name (what npm-package-arg itself
 * calls, and a fraction of its load time), and returns its URL form (`@scope%2fname`). The validator is loaded
 * on first use, so that importing libnpmoidc stays cheap.
 *
 * @throws TypeError naming the argument when it is not a valid npm package name
 */
export async function escapePackageName (name: unknown, argName = 'pkgName'): Promise<string> {
  if (typeof name === 'string') {
    const { default: validate } = await import('validate-npm-package-name')
    // Legacy names (capitals, more than 214 characters, a core module's name) stay valid, as in npm-package-arg.
    if (validate(name).validForOldPackages && (name.startsWith('@') || !TARBALL.test(name))) {
      return name.replace('/', '%2f')
    }
  }
  throw new TypeError(`Expected \`${argName}\` to be a valid npm package name, got ${JSON.stringify(name)}.`)
}
