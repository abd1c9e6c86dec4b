// The README is also the package page on npmjs.com, where only the packed files exist: every relative link must
// name a file that ships, and every in-page anchor must exist.
import t from 'tap'
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const readme = await readFile(new URL('README.md', root), 'utf8')
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
  files: string[], repository: { url: string }
}

// npm always packs these, whatever `files` says.
const ALWAYS_PACKED = ['package.json', 'README.md', 'LICENSE']

function prose (markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`]+`/g, '')
}

function links (markdown: string): string[] {
  const text = prose(markdown)
  return [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((m) => m[1] as string)
}

// GitHub's heading slugs: lower case, punctuation dropped, spaces become hyphens.
function anchors (markdown: string): Set<string> {
  const ids = new Set([...markdown.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1] as string))
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const text = (heading as string).replace(/<a id="[^"]+"><\/a>/g, '').trim().toLowerCase()
    ids.add(text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'))
  }
  return ids
}

function ships (path: string): boolean {
  const clean = path.replace(/^\.\//, '').replace(/\/$/, '')
  return ALWAYS_PACKED.includes(clean) ||
    pkg.files.some((entry) => clean === entry || clean.startsWith(`${entry}/`))
}

t.test('the README has links to check', async (t) => {
  t.ok(links(readme).length > 0, 'at least one link was found')
  t.ok(anchors(readme).has('errors'), 'headings yield anchors')
  t.ok(anchors(readme).has('err_oidc_no_provider'), '<a id> tags yield anchors')
})

t.test('every relative link names a file that ships in the package', async (t) => {
  for (const link of links(readme)) {
    if (/^[a-z][a-z+.-]*:/i.test(link) || link.startsWith('#')) continue
    const path = decodeURI(link.split('#')[0] as string)
    t.ok(ships(path), `${link} is in the package (else link it as an absolute GitHub URL)`)
    t.ok(existsSync(new URL(path, root)), `${link} exists`)
  }
})

t.test('every in-page anchor exists', async (t) => {
  const ids = anchors(readme)
  for (const link of links(readme).filter((l) => l.startsWith('#'))) {
    t.ok(ids.has(link.slice(1)), `${link} is an anchor of the README`)
  }
})

t.test('links into the repository point at this package\'s repository', async (t) => {
  const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')
  const github = links(readme).filter((l) => l.startsWith('https://github.com/libnpmoidc/'))
  t.ok(github.length > 0, 'the README links into the repository (SECURITY.md is not packed)')
  for (const link of github) {
    t.ok(link.startsWith(`${repository}/`), `${link} is under ${repository}`)
    const file = /\/blob\/main\/(.+?)(#.*)?$/.exec(link)?.[1]
    if (file !== undefined) t.ok(existsSync(new URL(file, root)), `${file} exists in the repository`)
  }
})

t.test('the package ships no file the README would need by a relative link to .github', async (t) => {
  t.notOk(ships('.github/SECURITY.md'), '.github/ is not packed, so SECURITY.md must be linked by URL')
})
