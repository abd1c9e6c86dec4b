import { styleText } from 'node:util'

// Node 22's styleText drops colour itself when process.stdout is not a TTY; the caller has already decided.
const styleAlways = styleText as unknown as (format: string, text: string, options?: { validateStream?: boolean }) => string

/** `text` in an ANSI colour or style (`green`, `bold`, `dim` …), whatever the stream: colour was asked for. */
export function paint (format: string, text: string): string {
  return styleAlways(format, text, { validateStream: false })
}
