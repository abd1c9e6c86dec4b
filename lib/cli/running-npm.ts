import { existsSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import type { Env } from '../util/env.js'

/**
 * The `npm-cli.js` of the npm running this command (`npm_execpath` under `npm exec` / `npx`), else of the npm
 * installed beside the running Node. Never a lookup on `PATH`, where a dependency's `node_modules/.bin/npm` wins
 * under `npx` and, on Windows, the current directory is searched first.
 *
 * @returns the absolute path, or `undefined` when neither exists
 */
export function runningNpmCli (env: Env, execPath = process.execPath, platform = process.platform): string | undefined {
  const execpath = env.npm_execpath
  const candidates = [
    ...(typeof execpath === 'string' && isAbsolute(execpath) && basename(execpath) === 'npm-cli.js' ? [execpath] : []),
    platform === 'win32'
      ? join(dirname(execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js')
      : join(dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ]
  return candidates.find((file) => existsSync(file))
}
