import t from 'tap'
import { parseNpmrc } from '../../lib/cli/npm-config.js'

t.test('${VAR} in .npmrc: expanded when set, literal when not (then it counts as no token)', async (t) => {
  const config = parseNpmrc('//r.example/:_authToken=${NODE_AUTH_TOKEN}\nregistry = ${REGISTRY_URL}\n', { REGISTRY_URL: 'https://r.example/' })
  t.equal(config.registry, 'https://r.example/')
  t.equal(config['//r.example/:_authToken'], '${NODE_AUTH_TOKEN}')
})
