import type { Env } from '../util/env.js'

/**
 * Everything a CLI command touches of the outside world, so tests can run commands in-process and the
 * binary can pass the real streams. Only `lib/cli/` writes to these.
 */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean }
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  /** The environment to read (npm config `npm_config_*`, CI variables, `NO_COLOR`). */
  readonly env: Env
  /** The directory to read `package.json` and `.npmrc` from. */
  readonly cwd: string
}

/** A command's exit code: 0 success, 1 not ready / failed, 2 usage error. */
export type ExitCode = 0 | 1 | 2
