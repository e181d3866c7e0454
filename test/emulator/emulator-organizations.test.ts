import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, OrganizationsClient, paginateListAccountsForParent,
} from '@aws-sdk/client-organizations';
import { accountsOfUnits, organizationsClient } from '../../core/organization-accounts';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { readEmulatorFile } from '../../src/emulator/links-file';
import type { EmulatedOrganization } from '../../src/emulator/organization';

const ROOT_UNIT = 'ou-ab12-engineer';
const CHILD = 'ou-ab12-platform';
const GRANDCHILD = 'ou-ab12-database';
const accounts = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(300000000000 + from + i));
const ORGANIZATION: EmulatedOrganization = {
  OrganizationalUnits: [
    { Id: ROOT_UNIT, Accounts: accounts(0, 25), SuspendedAccounts: accounts(900, 1) },
    { Id: CHILD, ParentId: ROOT_UNIT, Accounts: accounts(100, 3) },
    { Id: GRANDCHILD, ParentId: CHILD, Accounts: accounts(200, 2) },
  ],
};
const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

let emulator: AccountLinksEmulator;
const endpointBefore = process.env.AWS_ENDPOINT_URL_ORGANIZATIONS;
afterEach(async () => {
  await emulator?.close();
  if (endpointBefore === undefined) delete process.env.AWS_ENDPOINT_URL_ORGANIZATIONS;
  else process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = endpointBefore;
});

/** The emulator, and the handler's clients pointed at it as the SDK's are: AWS_ENDPOINT_URL_ORGANIZATIONS. */
async function start(options: Omit<Parameters<typeof AccountLinksEmulator.start>[0], 'links'>): Promise<AccountLinksEmulator> {
  const started = await AccountLinksEmulator.start({ links: [], ...options });
  process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = started.endpoint;
  return started;
}

test('the SDK\'s own Organizations client lists a unit\'s accounts page by page, and its child units', async () => {
  emulator = await start({ organization: ORGANIZATION });
  const client = new OrganizationsClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: CREDENTIALS });

  const listed: string[] = [];
  for await (const page of paginateListAccountsForParent({ client }, { ParentId: ROOT_UNIT })) {
    listed.push(...(page.Accounts ?? []).map((a) => `${a.Id}:${a.State}`));
  }
  expect(listed).toEqual([...accounts(0, 25).map((id) => `${id}:ACTIVE`), `${accounts(900, 1)[0]}:SUSPENDED`]);
  expect(emulator.callsTo('ListAccountsForParent')).toHaveLength(2);
  const units = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: ROOT_UNIT }));
  expect(units.OrganizationalUnits!.map((u) => u.Id)).toEqual([CHILD]);
  await expect(client.send(new ListAccountsForParentCommand({ ParentId: 'ou-ab12-missing1' }))).rejects.toMatchObject({ name: 'ParentNotFoundException' });
});

test('the handler\'s reading: the ACTIVE accounts of the units, and of their descendants when asked', async () => {
  emulator = await start({ organization: ORGANIZATION });
  const client = organizationsClient('eu-west-1', async () => CREDENTIALS);

  expect((await accountsOfUnits(client, [ROOT_UNIT], false)).accounts).toEqual(accounts(0, 25));
  expect((await accountsOfUnits(client, [ROOT_UNIT], true)).accounts).toEqual([...accounts(0, 25), ...accounts(100, 3), ...accounts(200, 2)]);
  await expect(accountsOfUnits(client, ['ou-ab12-missing1'], false)).rejects.toThrow(
    'ListAccountsForParent for ou-ab12-missing1 failed: ParentNotFoundException: We can\'t find a root or OU with the ParentId "ou-ab12-missing1" that you specified.');
});

test('under its rate limit, Organizations answers TooManyRequestsException, which the handler\'s client waits out', async () => {
  emulator = await start({ organization: ORGANIZATION, rateLimit: { perSecond: 5, burst: 1 } });
  const client = organizationsClient('eu-west-1', async () => CREDENTIALS);

  const { accounts: found } = await accountsOfUnits(client, [ROOT_UNIT, CHILD, GRANDCHILD], true);
  expect(found).toHaveLength(30);
  expect(emulator.throttled).toBeGreaterThan(0);
});

test('a links file carries the organization; a unit under a parent it does not hold is refused', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'organization-'));
  const file = path.join(dir, 'links.json');
  writeFileSync(file, JSON.stringify({ AccountLinks: [], Organization: ORGANIZATION }));
  expect(readEmulatorFile(file).organization).toEqual(ORGANIZATION);

  writeFileSync(file, JSON.stringify({ AccountLinks: [], Organization: { OrganizationalUnits: [{ Id: CHILD, ParentId: ROOT_UNIT }] } }));
  expect(() => readEmulatorFile(file)).toThrow(`${file}: Organization.OrganizationalUnits[0]: ParentId ${ROOT_UNIT} is neither a root (r-…) nor a unit of the file`);
});
