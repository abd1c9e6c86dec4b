import { styleText } from 'node:util'

// Node 22's styleText drops colour itself when process.stdout is not a TTY; the caller has already decided.
type StyleText = (format: string, text: string, options?: { validateStream?: boolean }) => string
const styleAlways = styleText as unknown as StyleText

/** `text` in an ANSI colour or style (`green`, `bold`, `dim` …), whatever the stream: colour was asked for. */
export function paint (format: string, text: string): string {
  return styleAlways(format, text, { validateStream: false })
}
