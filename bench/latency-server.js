// A loopback server that plays GitHub's ID-token endpoint (`/token`) and a registry's exchange route, answering
// every request after a fixed latency. Tokens are made up at run time and never printed.
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')

function idToken (audience) {
  const now = Math.floor(Date.now() / 1000)
  const claims = { iss: 'https://token.actions.githubusercontent.com', sub: 'repo:acme/widgets:ref:refs/heads/main', repository: 'acme/widgets', aud: audience, iat: now, nbf: now, exp: now + 300, jti: randomBytes(8).toString('hex') }
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.${randomBytes(32).toString('base64url')}`
}

/** Starts the server; `counts` tallies requests by kind; `inFlight.max` is the most exchanges seen at once. */
export async function startLatencyServer (latencyMs) {
  const counts = { token: 0, exchange: 0, other: 0 }
  const inFlight = { now: 0, max: 0 }
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1')
      const isToken = url.pathname === '/token'
      const isExchange = req.method === 'POST' && url.pathname.includes('/-/npm/v1/oidc/token/exchange/package/')
      counts[isToken ? 'token' : isExchange ? 'exchange' : 'other']++
      if (isExchange) inFlight.max = Math.max(inFlight.max, ++inFlight.now)
      setTimeout(() => {
        if (isExchange) inFlight.now--
        const body = isToken
          ? { value: idToken(url.searchParams.get('audience')) }
          : isExchange ? { token: `npm_${randomBytes(12).toString('hex')}`, expires: new Date(Date.now() + 3_600_000).toISOString() } : { error: 'not found' }
        res.writeHead(isToken || isExchange ? (isToken ? 200 : 201) : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      }, latencyMs)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${server.address().port}`
  return {
    origin,
    registry: `${origin}/`,
    githubEnv: { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: `${origin}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: `request-${randomBytes(8).toString('hex')}` },
    counts,
    inFlight,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve) }),
  }
}
