export { OidcError, isOidcError, oidcErrorCodes } from './errors.js'
export type { OidcErrorCode, OidcErrorDetails } from './errors.js'
