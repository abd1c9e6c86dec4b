import t from 'tap'
import { TransientFailure, parseRetryAfter, remaining, startClock, withRetries } from '../../lib/client/retry.js'
import { resolveOptions } from '../../lib/client/resolve-options.js'
import { OidcError } from '../../lib/errors.js'

const final = new OidcError('ERR_OIDC_EXCHANGE_FAILED', { what: 'x', hint: 'y' })

t.test('Retry-After in seconds or as a date', async (t) => {
  t.equal(parseRetryAfter(null), undefined)
  t.equal(parseRetryAfter(''), undefined)
  t.equal(parseRetryAfter('2'), 2000)
  t.equal(parseRetryAfter('-1'), 0)
  t.equal(parseRetryAfter('soon'), undefined)
  t.equal(parseRetryAfter(new Date(Date.now() - 5000).toUTCString()), 0)
  const later = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString()) as number
  t.ok(later > 50_000 && later <= 60_000)
})

t.test('retries transient failures only, up to the count', async (t) => {
  const options = resolveOptions({ retry: { retries: 2, minTimeout: 1, maxTimeout: 2 } })
  let calls = 0
  const failing = async (): Promise<never> => { calls++; throw new TransientFailure(final) }
  await t.rejects(withRetries(failing, options, startClock(options)), final)
  t.equal(calls, 3)
  calls = 0
  await t.rejects(withRetries(async () => { calls++; throw new Error('fatal') }, options, startClock(options)), { message: 'fatal' })
  t.equal(calls, 1)
  t.equal(await withRetries(async (n) => { if (n < 1) throw new TransientFailure(final, 0); return 'ok' }, options, startClock(options)), 'ok')
})

t.test('never sleeps past the deadline', async (t) => {
  const options = resolveOptions({ deadline: 1000, retry: { retries: 5, minTimeout: 5000 } })
  const clock = startClock(options)
  t.ok(remaining(clock) <= 1000)
  let calls = 0
  await t.rejects(withRetries(async () => { calls++; throw new TransientFailure(final) }, options, clock), final)
  t.equal(calls, 1)
  t.equal(remaining({ deadlineAt: Date.now() - 10, signal: undefined }), 0)
})
