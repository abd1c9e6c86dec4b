import t from 'tap'
import { mapUploadError } from '../../lib/publish/upload-errors.js'
import { ExchangedToken } from '../../lib/client/token.js'

const oidc = new ExchangedToken('npm_x', { authKey: 'k', registry: 'https://r/', package: 'p', provider: 'github-actions', claims: { repository: 'acme/widgets' } })

t.test('maps by status and message; keeps everything else as it is', async (t) => {
  const forbidden = mapUploadError({ statusCode: 403, body: 'OIDC permission denied for this action' }, oidc, false)
  t.match(forbidden, { code: 'ERR_OIDC_PUBLISH_FORBIDDEN', registryMessage: 'OIDC permission denied for this action', claims: { repository: 'acme/widgets' } })
  const masked = mapUploadError({ statusCode: 404, body: '' }, oidc, false) as { message: string, registryMessage?: string }
  t.match(masked, { code: 'ERR_OIDC_PUBLISH_MASKED_404', message: /\(status 404\)/ })
  t.notOk('registryMessage' in masked)
  t.match(mapUploadError({ statusCode: 404, body: { message: 42 } }, oidc, true), { code: 'ERR_OIDC_PUBLISH_MASKED_404', message: /staged publish/ })
  for (const err of [{ statusCode: 403, body: { error: 'user is not allowed to publish' } }, { statusCode: 403 }, { statusCode: 400, body: {} }, { statusCode: 400 }, { code: 'ECONNRESET' }, null, undefined]) {
    t.equal(mapUploadError(err, oidc, false), err, JSON.stringify(err))
  }
})
