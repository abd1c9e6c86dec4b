// node bench/redact-urls.js: how long URL redaction takes on a hostile 128 KiB upload error
// body, with the pattern libnpmoidc used before (`\b` start) and with the one it ships. One run per cell; the
// old pattern takes seconds on the hostile rows, so the whole bench takes some 20 s.
import { redact } from '@npmcli/redact'
import { build } from 'esbuild'

// lib/util/redact-urls.ts is not an entry point of the build, so it is bundled here on its own (with
// @npmcli/redact, as in the build).
const { outputFiles: [bundled] } = await build({
  entryPoints: [new URL('../lib/util/redact-urls.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
})
const { redactUrls } = await import(`data:text/javascript;base64,${Buffer.from(bundled.text).toString('base64')}`)

const OLD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi
const FULL = 128 * 1024

const inputs = {
  'a.a.a… (no URL)': 'a.'.repeat(FULL / 2),
  'ab-ab-… (no URL)': 'ab-'.repeat(Math.floor(FULL / 3)),
  'URLs with passwords': 'http://u:p@h.example/x '.repeat(Math.floor(FULL / 23)),
}

const time = (fn) => {
  const start = performance.now()
  fn()
  return performance.now() - start
}

console.log('| input (128 KiB) | before (ms) | after (ms) |')
console.log('|---|---|---|')
for (const [name, text] of Object.entries(inputs)) {
  const before = time(() => text.replace(OLD, (url) => redact(url)))
  const after = time(() => redactUrls(text))
  console.log(`| ${name} | ${before.toFixed(0)} | ${after.toFixed(1)} |`)
}
