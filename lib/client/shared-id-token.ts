import type { ObtainedIdToken } from './obtain-id-token.js'

/**
 * A shared ID token is handed out only while it has more than this left. An exchange takes well under a second;
 * the margin leaves room for its retries and for clock skew, and it is double `checkClaims`' refusal margin, so a
 * reused token never fails that check.
 */
const REUSE_MARGIN_SECONDS = 60

/** One ID token (or the attempt to get one) and how many exchanges it was handed to. */
export interface HeldIdToken {
  /** Increases with every fetch, so a retry can ask for a token newer than the one that failed. */
  readonly generation: number
  readonly promise: Promise<ObtainedIdToken>
  uses: number
  exp?: number
}

/**
 * The ID token of one batch call. The token is audience-bound, not package-bound, so one can serve many exchanges;
 * a fetch in progress is shared too, so N workers starting together make one request, not N.
 */
export class SharedIdToken {
  readonly #fetch: () => Promise<ObtainedIdToken>
  #held: HeldIdToken | undefined
  #generation = 0
  #reuse: boolean

  constructor (fetch: () => Promise<ObtainedIdToken>, reuse: boolean) {
    this.#fetch = fetch
    this.#reuse = reuse
  }

  /**
   * A token for one exchange: the held one while it is newer than `newerThan` and not close to `exp`, else a fresh
   * one. A failed fetch stays held: an ID token that cannot be had is a fact about the job, not about a package, so
   * the rest of the batch gets the same error without asking the provider again.
   */
  take (newerThan = 0, now = Date.now()): HeldIdToken {
    const held = this.#held
    if (this.#reuse && held && held.generation > newerThan &&
      (held.exp === undefined || held.exp * 1000 - now > REUSE_MARGIN_SECONDS * 1000)) {
      held.uses++
      return held
    }
    const promise = this.#fetch()
    const fresh: HeldIdToken = { generation: ++this.#generation, promise, uses: 1 }
    // `checkClaims` only lets tokens with a numeric exp through.
    promise.then((id) => { fresh.exp = id.claims.exp as number }, () => {})
    this.#held = fresh
    return fresh
  }

  /** Every later {@link take} fetches its own token. Returns whether this call was the one that turned reuse off. */
  stopReuse (): boolean {
    const was = this.#reuse
    this.#reuse = false
    return was
  }
}
