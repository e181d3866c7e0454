/**
 * The WorkSpaces account-links emulator, for your own tests: import it from
 * `cdk-workspaces-account-links/emulator`.
 */
export { AccountLinksEmulator, EmulatorOptions, InjectedFault, MAX_BODY_BYTES, RateLimit, RecordedRequest } from './emulator';
export { EmulatedAccountLink, readEmulatorFile, readLinksFile } from './links-file';
export { EmulatedOrganization, EmulatedOrganizationalUnit } from './organization';
