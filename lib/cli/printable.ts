const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * `text` with every control character written out as a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\u2028`), so
 * that text from a server can neither start a line (a workflow command, a Markdown block) nor drive a terminal.
 */
export function printable (text: string): string {
  // C0 controls, DEL, C1 controls (0x9b is a one-byte CSI) and the Unicode line and paragraph separators.
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16)
    return ESCAPES[c] ?? (c.charCodeAt(0) > 0xff ? `\\u${hex}` : `\\x${hex.padStart(2, '0')}`)
  })
}
