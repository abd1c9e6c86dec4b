import t from 'tap'
import { runCli, project } from '../fixtures/cli.js'
import { version } from '../../lib/version.js'

t.test('help, version, unknown commands and usage errors', async (t) => {
  const cwd = await project(t, {})
  const none = await runCli([], { cwd })
  t.equal(none.code, 2)
  t.match(none.stderr, /^Usage: npm-oidc <command>/)
  t.equal(none.stdout, '')
  const help = await runCli(['--help'], { cwd })
  t.equal(help.code, 0)
  t.match(help.stdout, /Exit codes: 0 success/)
  t.equal((await runCli(['help'], { cwd })).code, 0)
  t.equal((await runCli(['-h'], { cwd })).code, 0)
  const v = await runCli(['--version'], { cwd })
  t.same([v.code, v.stdout], [0, `${version}\n`])
  t.equal((await runCli(['-v'], { cwd })).stdout, `${version}\n`)
  const unknown = await runCli(['frobnicate'], { cwd })
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /unknown command "frobnicate"/)
  t.equal((await runCli(['toString'], { cwd })).code, 2, 'no prototype keys as commands')
})

t.test('an unexpected throw inside a command is reported and gives exit code 1', async (t) => {
  const cwd = await project(t, {})
  const { memoryIo } = await import('../fixtures/io.js')
  const { main } = await import('../../lib/cli/main.js')
  const { Writable } = await import('node:stream')
  for (const thrown of [new Error('stdout closed at https://u:pw@example.com/'), 'a string']) {
    const io = memoryIo(cwd)
    const broken = Object.assign(new Writable(), { write: () => { throw thrown } })
    t.equal(await main(['doctor', '--help'], { ...io, stdout: broken }), 1)
    t.match(io.err(), /^npm-oidc doctor: (stdout closed at https:\/\/u:\*\*\*@example\.com\/|a string)\n$/)
  }
})

t.test('unknown flags and commands: "did you mean", then the command\'s own usage, never parseArgs\' advice', async (t) => {
  const cwd = await project(t, {})
  const { memoryIo } = await import('../fixtures/io.js')
  const { main } = await import('../../lib/cli/main.js')
  const cases = [
    ['publish', '--regstry', 'https://r.example/'],
    ['publish', '--dryrun'],
    ['doctor', '--jsn=1'],
    ['preflight', '--zzzzzz'],
    ['token', '--registry'],
    ['publish', '--json=yes'],
    ['docter'],
    ['trust', 'githb'],
    ['trust', 'revoke', '--idd', 'x'],
  ]
  for (const args of cases) {
    const io = memoryIo(cwd, {})
    t.equal(await main(args, io), 2, args.join(' '))
    t.notMatch(io.err(), /To specify a positional argument|Unknown option|argument missing/)
    t.matchSnapshot(io.err(), args.join(' '))
  }
})

t.test('each trust command has its own help', async (t) => {
  const cwd = await project(t, {})
  const { memoryIo } = await import('../fixtures/io.js')
  const { main } = await import('../../lib/cli/main.js')
  for (const command of ['list', 'github', 'gitlab', 'circleci', 'revoke']) {
    const io = memoryIo(cwd, {})
    t.equal(await main(['trust', command, '--help'], io), 0)
    t.match(io.out(), new RegExp(`^Usage: npm-oidc trust ${command} `))
    t.matchSnapshot(io.out(), `trust ${command} --help`)
  }
})

t.test('messages name what the user typed (package name, registry URL), not the library\'s arguments', async (t) => {
  const cwd = await project(t, { 'package.json': {} })
  const { memoryIo } = await import('../fixtures/io.js')
  const { main } = await import('../../lib/cli/main.js')
  const env = { npm_config_registry: 'http://127.0.0.1:1/' }
  for (const args of [['token', 'bad name'], ['trust', 'list', 'bad name'], ['doctor', 'ok', '--registry', 'ftp://x']]) {
    const io = memoryIo(cwd, env)
    t.equal(await main(args, io), 2, args.join(' '))
    t.notMatch(io.err(), /`\w+`/)
    t.matchSnapshot(io.err().split('\n').filter((l) => !/^npm-oidc: warning/.test(l))[0], args.join(' '))
  }
})
