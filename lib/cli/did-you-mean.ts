// Hand-written rather than a dependency: the whole job is a dozen lines of edit distance over a handful of
// option names, and every published suggester pulls in more code than it would replace.

/** The number of single-character insertions, deletions and substitutions that turn `a` into `b`. */
function editDistance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * The known word closest to what was typed, when it is close enough to be a typo (at most a third of its
 * letters differ, and at least one), else `undefined`.
 */
function closest (typed: string, known: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(1, Math.floor(typed.length / 3)) + 1
  for (const word of known) {
    const distance = editDistance(typed, word)
    if (distance < bestDistance) [best, bestDistance] = [word, distance]
  }
  return best
}

/** ` (did you mean X?)` for the closest known word, or nothing. */
export function didYouMean (typed: string, known: Iterable<string>): string {
  const match = closest(typed, known)
  return match === undefined ? '' : ` (did you mean ${match}?)`
}
