// @npmcli/redact ships no types; only what we call is declared.
declare module '@npmcli/redact' {
  /** Replaces URL passwords, npm tokens and UUIDs in a string with `***`. */
  export function redact (value: string): string
}
