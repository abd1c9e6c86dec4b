import t from 'tap'
import { delimiter, join } from 'node:path'
import { findExecutable } from '../../lib/providers/cli-mint.js'
import { fakeCli } from '../fixtures/fake-cli.js'

t.test('findExecutable looks only in the directories the given PATH names, in order', async (t) => {
  const first = await fakeCli(t, 'circleci', 'exit 0')
  const second = await fakeCli(t, 'circleci', 'exit 0')
  const plain = t.testdir({ circleci: 'not executable' })
  const PATH = ['', plain, second.dir, first.dir].join(delimiter)
  t.equal(await findExecutable('circleci', { PATH }), join(second.dir, 'circleci'), 'the first executable match')
  t.equal(await findExecutable('buildkite-agent', { PATH }), undefined, 'not on PATH')
  t.equal(await findExecutable('circleci', {}), undefined, 'no PATH at all')
  t.equal(await findExecutable('circleci', { PATH: `"${first.dir}"` }), join(first.dir, 'circleci'), 'a quoted entry')
  t.equal(await findExecutable('circleci', { PATH: plain }), undefined, 'a file that is not executable is skipped')
})

t.test('a relative PATH entry finds the file it names, not a namesake elsewhere on the way', async (t) => {
  const cli = await fakeCli(t, 'circleci', 'exit 0')
  const cwd = process.cwd()
  process.chdir(cli.dir)
  t.teardown(() => process.chdir(cwd))
  t.equal(await findExecutable('circleci', { PATH: '.' }), './circleci', 'named as a path, so running it cannot search PATH')
  t.equal(await findExecutable('circleci', { PATH: '' }), undefined, 'an empty PATH does not mean the current directory')
})
