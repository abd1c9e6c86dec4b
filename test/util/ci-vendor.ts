import t from 'tap'
import { detectCiVendor } from '../../lib/util/ci-vendor.js'

t.test('ci-info\'s vendor table and rules, applied to the given environment only', async (t) => {
  t.same(await detectCiVendor({ TRAVIS: 'true' }), { id: 'TRAVIS', name: 'Travis CI' }, 'a variable that is set')
  t.equal(await detectCiVendor({ TRAVIS: '' }), undefined, 'an empty value is not set')
  t.same(await detectCiVendor({ JENKINS_URL: 'https://ci', BUILD_ID: '1' }), { id: 'JENKINS', name: 'Jenkins' },
    'every variable of a list')
  t.equal(await detectCiVendor({ JENKINS_URL: 'https://ci' }), undefined, 'one of a list is not enough')
  t.same(await detectCiVendor({ NODE: '/app/.heroku/node/bin/node' }), { id: 'HEROKU', name: 'Heroku' },
    'a value that includes a text')
  t.equal(await detectCiVendor({ NODE: '/usr/bin/node' }), undefined)
  t.same(await detectCiVendor({ CI_NAME: 'codeship' }), { id: 'CODESHIP', name: 'Codeship' }, 'an exact value')
  t.equal(await detectCiVendor({ CI_NAME: 'other' }), undefined)
  t.same(await detectCiVendor({ VERCEL: '1' }), { id: 'VERCEL', name: 'Vercel' }, 'any of several variables')
  t.equal(await detectCiVendor({ TRAVIS: 'true', CI: 'false' }), undefined, 'CI=false: none')
  t.equal(await detectCiVendor({}), undefined)
})
