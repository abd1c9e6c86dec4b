// CommonJS in both builds (a .cts file), so that require() reads ci-info's vendor table: an ES module would
// need a JSON import, which Node 20.17 and 20.18 report with an ExperimentalWarning. ci-info's own exports
// are computed from `process.env` when it loads, not from an environment we pass.
const vendors: unknown = require('ci-info/vendors.json')
export = vendors
