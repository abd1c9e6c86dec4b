// Node 22's styleText drops colour itself when process.stdout is not a TTY; the caller has already decided.
type StyleText = (format: string, text: string, options?: { validateStream?: boolean }) => string

/** `text` in an ANSI colour or style (`green`, `bold`, `dim` …), whatever the stream: colour was asked for. */
export function paint (format: string, text: string): string {
  // Taken when first used, not imported: a bundle's copy of node:util's exports reads each property, which on
  // Node 22 loads parseArgs, worker_threads and more with libnpmoidc.
  const styleAlways = process.getBuiltinModule('node:util').styleText as unknown as StyleText
  return styleAlways(format, text, { validateStream: false })
}
