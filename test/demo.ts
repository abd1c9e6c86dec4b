// The README's main command runs test/fixtures/demo.js; this runs it as a user would (a separate Node process,
// asynchronously) and checks what it prints, that it cleans up, and that it prints no token.
import t from 'tap'
import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JWT_PATTERN } from './fixtures/e2e.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DEMO = resolve(root, 'test/fixtures/demo.js')

interface Run { code: number | null, stdout: string, stderr: string }

function runDemo (tmp: string): Promise<Run> {
  return new Promise((resolve) => {
    // TMPDIR points the demo's temp folders at a directory this test can inspect afterwards.
    const options = { cwd: root, env: { ...process.env, TMPDIR: tmp }, timeout: 60_000 }
    execFile(process.execPath, [DEMO], options, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr })
    })
  })
}

t.test('npm run demo: publishes through trusted publishing, shows a misconfigured job, signs provenance, prints no token', { timeout: 90_000 }, async (t) => {
  const tmp = t.testdir()
  const { code, stdout, stderr } = await runDemo(tmp)
  t.equal(code, 0, 'exits 0 on its own')
  // Not `stderr === ''`: a newer Node may print a dependency's deprecation warning there.
  t.notMatch(stderr, /demo failed/, 'no failure reported')

  const expected = [
    /^1\. CI provider$/m,
    /^ {3}provider: +github-actions \(local OIDC issuer/m,
    /^ {3}registry: +http:\/\/127\.0\.0\.1:\d+\/ \(Verdaccio 6\.8\.0 \+ libnpmoidc\/registry exchange handler\)$/m,
    /^ {3}request token: +set \(not shown\)$/m,
    /^ {3}http {2}GET \/token\?api-version=2\.0&audience=npm%3A127\.0\.0\.1 → 200$/m,
    /^ {3}http {2}POST \/-\/npm\/v1\/oidc\/token\/exchange\/package\/@demo%2fhello → 201$/m,
    /^ {3}audience: +npm:127\.0\.0\.1$/m,
    /^ {5}repository +acme\/widgets$/m,
    /^ {5}workflow_ref +acme\/widgets\/\.github\/workflows\/release\.yml@refs\/heads\/main$/m,
    /^ {3}exchange: +201, a token for @demo\/hello only, expires \d{4}-\d\d-\d\dT/m,
    /^ {3}publish: +201 Created$/m,
    /^ {3}oidc\.auth: +method oidc, provider github-actions$/m,
    /^ {3}provenance: +off \(auto\): the registry's visibility check failed \(status 404\)$/m,
    /^ {3}name: +@demo\/hello$/m,
    /^ {3}dist-tags: +\{"latest":"1\.0\.0"\}$/m,
    /^ {3}integrity: +sha512-\S+ \(matches the local tarball\)$/m,
    /^ {3}tarball: +http:\/\/127\.0\.0\.1:\d+\/@demo\/hello\/-\/hello-1\.0\.0\.tgz$/m,
    /^ {3}error code: +ERR_OIDC_NO_TRUSTED_PUBLISHER$/m,
    /^ {3}message: +GitHub Actions: the registry has no trusted publisher for @demo\/hello .*workflow filename "deploy\.yml"/m,
    /^ {3}hint: +No trusted publisher of @demo\/hello matches this job/m,
    /"field":"workflow_ref\.file","expected":"release\.yml","actual":"deploy\.yml"/,
    /^ {3}versions now: +1\.0\.0 \(nothing was published\)$/m,
    /^ {3}sigstore: +Fulcio http:\/\/127\.0\.0\.1:\d+, Rekor http:\/\/127\.0\.0\.1:\d+ /m,
    /^ {3}_npmUser: +\{"name":"GitHub Actions","email":"npm-oidc-no-reply@github\.com","trustedPublisher":\{"id":"github","oidcConfigId":"oidc:\w+"\}\}$/m,
    /^ {3}attestations: +null \(published without provenance\)$/m,
    /^7\. With provenance: release\.yml publishes 1\.1\.0, signed by the local Sigstore services$/m,
    /^ {3}http {2}GET \/token\?api-version=2\.0&audience=sigstore → 200$/m,
    /^ {3}provenance: +on \(explicit\): requested by the caller$/m,
    /^ {3}fulcio: +POST \/api\/v2\/signingCert → 201, certificate for https:\/\/github\.com\/acme\/widgets\/\.github\/workflows\/release\.yml@refs\/heads\/main$/m,
    /^ {3}rekor: +POST \/api\/v1\/log\/entries → 201$/m,
    /^ {3}publish: +201 Created \(the registry verified the bundle\)$/m,
    /^ {3}attestations: +\{"url":"http:\/\/127\.0\.0\.1:\d+\/-\/npm\/v1\/attestations\/@demo\/hello@1\.1\.0","provenance":\{"predicateType":"https:\/\/slsa\.dev\/provenance\/v1"\}\}$/m,
    /^ {3}subject: +pkg:npm\/%40demo\/hello@1\.1\.0 \(sha512 matches dist\.integrity\)$/m,
    /^ {3}source: +git\+https:\/\/github\.com\/acme\/widgets@refs\/heads\/main at [0-9a-f]{40}$/m,
    /^9\. Verifying the release, as a release tool does right after publishing$/m,
    /^ {3}verified: +verifyPublished passed, expect \{"provider":"github","repository":"acme\/widgets","workflow":"release\.yml","provenance":true\}$/m,
    /^ {3}signed by: +https:\/\/github\.com\/acme\/widgets\/\.github\/workflows\/release\.yml@refs\/heads\/main$/m,
    /^ {3}signed source: +acme\/widgets, \.github\/workflows\/release\.yml @ refs\/heads\/main$/m,
    /^ {3}\$ npm-oidc: +verify @demo\/hello@1\.1\.0 --registry http:\/\/127\.0\.0\.1:\d+\/ --provenance --provider github --repository acme\/widgets --workflow release\.yml → exit 0$/m,
    /^ {5}✓ @demo\/hello@1\.1\.0 was published through trusted publishing: github \(oidc:\w+\)$/m,
    /^ {3}other workflow: +--workflow deploy\.yml → exit 1: npm-oidc: the provenance of @demo\/hello@1\.1\.0 names another workflow/m,
    /^Done: servers stopped, temporary files removed\.$/m,
  ]
  for (const line of expected) t.match(stdout, line)
  t.ok(stdout.indexOf('6. A misconfigured job') > stdout.indexOf('5. Packument afterwards'), 'steps in order')
  t.ok(stdout.indexOf('8. Evidence in the packument') > stdout.indexOf('7. With provenance'), 'provenance, then evidence')
  t.ok(stdout.indexOf('9. Verifying the release') > stdout.indexOf('8. Evidence in the packument'), 'verification last')

  // The demo handled a request token, two ID tokens and one Verdaccio token (a JWT in JWT mode).
  const output = stdout + stderr
  t.notMatch(output, JWT_PATTERN, 'no JWT (ID token or Verdaccio token)')
  t.notMatch(output, /bearer|_authToken|"token"\s*:/i, 'no credential header, npmrc key or token field')
  t.same(await readdir(tmp), [], 'its temp folders are gone')
})
