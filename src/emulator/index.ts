/**
 * The WorkSpaces account-links emulator, for your own tests: import it from
 * `cdk-workspaces-account-links/emulator`.
 */
export { AccountLinksEmulator, EmulatorOptions, InjectedFault, MAX_BODY_BYTES, MAX_EVENTS_BODY_BYTES, RateLimit, RecordedRequest } from './emulator';
export { CONTROL_PATHS, OrganizationChange, OrganizationChangeResult } from './control';
export { changeOrganization, receivedEvents } from './control-client';
export { EventsFault, PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize, ReceivedEvent } from './event-bus';
export { LedgerServer, LedgerServerOptions, TableDefinition } from './ledger';
export { EmulatedAccountLink, readEmulatorFile, readLinksFile } from './links-file';
export { EmulatedAccountState, EmulatedOrganization, EmulatedOrganizationalUnit } from './organization';
export type { OrganizationTree } from './organization';
