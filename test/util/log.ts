import t from 'tap'
import { silly, verbose, warn } from '../../lib/util/log.js'
import { captureLogs } from '../fixtures/logs.js'

t.test('one title, three levels', async (t) => {
  const logs = captureLogs(t)
  silly('a')
  verbose('b')
  warn('c')
  t.same(logs, [['silly', 'oidc', 'a'], ['verbose', 'oidc', 'b'], ['warn', 'oidc', 'c']])
})

t.test('a call\'s logger gets the lines logged inside it, and only those', async (t) => {
  const { withLogger } = await import('../../lib/util/log.js')
  const seen: Record<string, string[]> = { a: [], b: [] }
  const logs = captureLogs(t)
  const tick = () => new Promise((resolve) => setImmediate(resolve))
  await Promise.all(['a', 'b'].map((id) => withLogger((level: string, message: string) => {
    seen[id]?.push(`${level}:${message}`)
  }, async () => {
    verbose(`${id}1`)
    await tick()
    warn(`${id}2`)
  })))
  t.same(seen, { a: ['verbose:a1', 'warn:a2'], b: ['verbose:b1', 'warn:b2'] })
  t.equal(logs.length, 4, 'proc-log still gets every line')
  silly('outside')
  t.same(seen.a?.length, 2, 'nothing after the call')
  t.equal(await withLogger(undefined, async () => 'no logger'), 'no logger')
  t.throws(() => withLogger('loud', async () => 1), new TypeError('Expected `opts.logger` to be a function.'))
  await withLogger(() => { throw new Error('broken logger') }, async () => { warn('still fine') })
  t.same(logs.at(-1), ['warn', 'oidc', 'still fine'], 'a throwing logger changes nothing')
})
