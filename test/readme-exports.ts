// Every public export — functions, constants and types of the three entry points — is named in the README.
import t from 'tap'
import { readFile } from 'node:fs/promises'
import * as main from '../lib/index.js'
import * as registry from '../lib/registry/index.js'
import * as testing from '../lib/testing/index.js'

const root = new URL('../', import.meta.url)
const readme = await readFile(new URL('README.md', root), 'utf8')

// Identifiers inside code: fenced blocks and inline code spans.
const codeWords = new Set<string>()
const fences = [...readme.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1] as string)
const spans = [...readme.replace(/^```[\s\S]*?^```/gm, '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)
for (const code of [...fences, ...spans]) {
  for (const [word] of code.matchAll(/[A-Za-z_$][\w$]*/g)) codeWords.add(word)
}

async function typeNames (file: string): Promise<string[]> {
  const source = await readFile(new URL(file, root), 'utf8')
  const names: string[] = []
  for (const [, list] of source.matchAll(/export type \{([^}]*)\}/g)) {
    for (const entry of (list as string).split(',')) {
      const name = entry.trim().split(/\s+as\s+/).pop()
      if (name) names.push(name)
    }
  }
  return names
}

const entryPoints = [
  { name: 'libnpmoidc', file: 'lib/index.ts', runtime: main },
  { name: 'libnpmoidc/registry', file: 'lib/registry/index.ts', runtime: registry },
  { name: 'libnpmoidc/testing', file: 'lib/testing/index.ts', runtime: testing },
]

for (const entry of entryPoints) {
  t.test(`${entry.name}: every export is documented in the README`, async (t) => {
    const runtime = Object.keys(entry.runtime)
    const types = await typeNames(entry.file)
    t.ok(runtime.length > 0 && types.length > 0, 'exports were found')
    for (const name of [...runtime, ...types]) {
      t.ok(codeWords.has(name), `\`${name}\` appears in the README's code`)
    }
  })
}

t.test('a name only in prose does not count', async (t) => {
  t.notOk(codeWords.has('newcomer'), 'prose words are not code')
})
