import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { GetAccountLinkCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';

// The emulator's public import path (`cdk-workspaces-account-links/emulator`, the package's
// emulator.js) as a user's jest test uses it: the README's example, run against lib/.

const ROOT = path.join(__dirname, '..', '..');

// What `require('cdk-workspaces-account-links/emulator')` loads: emulator.js at the package's root.
function publicEmulator() {
  if (!existsSync(path.join(ROOT, 'lib', 'emulator', 'index.js'))) {
    throw new Error('lib/ is missing: compile first (`npx projen compile`; `npx projen build` does)');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(ROOT, 'emulator.js'));
}

let emulator: any;
const endpointBefore = process.env.AWS_ENDPOINT_URL_WORKSPACES;

beforeAll(async () => {
  const { AccountLinksEmulator } = publicEmulator();
  emulator = await AccountLinksEmulator.start({
    links: [{ AccountLinkId: 'link-1a2b3c4d', AccountLinkStatus: 'LINKED', SourceAccountId: '111122223333', TargetAccountId: '444455556666' }],
  });
  process.env.AWS_ENDPOINT_URL_WORKSPACES = emulator.endpoint;
});

afterAll(async () => {
  await emulator.close();
  process.env.AWS_ENDPOINT_URL_WORKSPACES = endpointBefore;
});

test('the public path exports the emulator and the links-file reader, and nothing of the test stand-ins', () => {
  expect(Object.keys(publicEmulator()).sort()).toEqual([
    'AccountLinksEmulator', 'CONTROL_PATHS', 'LedgerServer', 'MAX_BODY_BYTES', 'MAX_EVENTS_BODY_BYTES', 'PUT_EVENTS_MAX_BYTES', 'PUT_EVENTS_MAX_ENTRIES',
    'changeOrganization', 'putEventsEntrySize', 'readEmulatorFile', 'readLinksFile', 'receivedEvents',
  ]);
});

test('the README\'s example: the SDK, pointed at the emulator by AWS_ENDPOINT_URL_WORKSPACES, reads the link', async () => {
  const client = new WorkSpacesClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
  const { AccountLink } = await client.send(new GetAccountLinkCommand({ LinkId: 'link-1a2b3c4d' }));
  expect(AccountLink?.AccountLinkStatus).toBe('LINKED');
  expect(emulator.callsTo('GetAccountLink').map((r: any) => r.accessKeyId)).toEqual(['AKIDTEST']);
});
