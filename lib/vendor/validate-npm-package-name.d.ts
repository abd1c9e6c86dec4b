// validate-npm-package-name ships no types; only what we read is declared. CommonJS, so imported as a default.
declare module 'validate-npm-package-name' {
  function validate (name: string): { validForOldPackages: boolean }
  export default validate
}
