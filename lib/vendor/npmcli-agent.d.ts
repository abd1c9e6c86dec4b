// @npmcli/agent ships no types; only what we call is declared. It is CommonJS, so it is imported as a default.
declare module '@npmcli/agent' {
  import type { Agent } from 'node:http'
  const npmAgent: { getAgent (url: string, options: Record<string, unknown>): Agent }
  export default npmAgent
}
