// Not p-limit or p-map: their current majors are ESM-only, which the CommonJS build cannot require() on Node 20.17.
/**
 * Runs `run(0)` … `run(count - 1)` with at most `limit` at once, in index order, while `go()` allows starting
 * another. `run` must not reject.
 */
export async function runBounded (
  count: number, limit: number, go: () => boolean, run: (index: number) => Promise<void>
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count && go()) await run(next++)
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
}
