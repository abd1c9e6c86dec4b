// libnpmpublish ships no types; only publish() is declared, as libnpmpublish 11 behaves.
declare module 'libnpmpublish' {
  export function publish (
    manifest: Record<string, unknown>, tarball: Buffer, opts?: Record<string, unknown>
  ): Promise<Response & { stageId?: string, transparencyLogUrl?: string }>
}
