/**
 * The WorkSpaces account-links emulator, for your own tests: import it from
 * `cdk-workspaces-account-links/emulator`.
 */
export { AccountLinksEmulator, EmulatorOptions, InjectedFault, MAX_BODY_BYTES, RateLimit, RecordedRequest } from './emulator';
export { EmulatedAccountLink, readLinksFile } from './links-file';
