/** A read-only view of the environment a call was given (`process.env` by default). */
export type Env = Readonly<Record<string, string | undefined>>

/** A variable's value when it is set and not empty (ci-info's rule: any non-empty value counts). */
export function envValue (env: Env, key: string): string | undefined {
  const value = env[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}
