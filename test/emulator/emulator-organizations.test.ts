import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DescribeOrganizationCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, OrganizationsClient,
  paginateListAccountsForParent, paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { accountsOfUnits, organizationsClient } from '../../core/organization-accounts';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { readEmulatorFile } from '../../src/emulator/links-file';
import { EmulatedOrganization, OrganizationTree } from '../../src/emulator/organization';

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

/** The SDK's own client, pointed at the emulator. */
const sdkClient = () => new OrganizationsClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: CREDENTIALS, maxAttempts: 1 });

/** Every account of a parent (id:state), every page. */
async function accountsIn(client: OrganizationsClient, parentId: string): Promise<string[]> {
  const listed: string[] = [];
  for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId })) listed.push(...(page.Accounts ?? []).map((a) => `${a.Id}:${a.State}`));
  return listed;
}

async function unitsIn(client: OrganizationsClient, parentId: string): Promise<string[]> {
  const listed: string[] = [];
  for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId })) {
    listed.push(...(page.OrganizationalUnits ?? []).map((u) => u.Id!));
  }
  return listed;
}

test('DescribeOrganization answers the organization as the model has it: o-… id, its ARN, ALL features, the management account', async () => {
  emulator = await start({ organization: { ...ORGANIZATION, Id: 'o-a1b2c3d4e5', ManagementAccountId: '123456789012' } });
  const { Organization } = await sdkClient().send(new DescribeOrganizationCommand({}));

  expect(Organization).toEqual({
    Id: 'o-a1b2c3d4e5',
    Arn: 'arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5',
    FeatureSet: 'ALL',
    MasterAccountArn: 'arn:aws:organizations::123456789012:account/o-a1b2c3d4e5/123456789012',
    MasterAccountId: '123456789012',
  });
  // The model's patterns: OrganizationId ^o-[a-z0-9]{10,32}$, OrganizationArn, AccountArn.
  const defaults = (await AccountLinksEmulator.start({ links: [], organization: ORGANIZATION }));
  try {
    const client = new OrganizationsClient({ region: 'us-east-1', endpoint: defaults.endpoint, credentials: CREDENTIALS });
    const { Organization: described } = await client.send(new DescribeOrganizationCommand({}));
    expect(described!.Id).toMatch(/^o-[a-z0-9]{10,32}$/);
    expect(described!.Arn).toMatch(/^arn:aws:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/);
    expect(described!.MasterAccountId).toMatch(/^\d{12}$/);
  } finally {
    await defaults.close();
  }
});

test('the root is a parent: its units and its accounts (the management account among them unless a unit holds it) are listed', async () => {
  const topUnits = Array.from({ length: 23 }, (_, i) => ({ Id: `ou-ab12-top${String(i).padStart(5, '0')}` }));
  emulator = await start({
    organization: { ...ORGANIZATION, OrganizationalUnits: [...ORGANIZATION.OrganizationalUnits, ...topUnits], ManagementAccountId: '123456789012', RootAccounts: accounts(500, 2) },
  });
  const client = sdkClient();

  // Units under no ParentId are in the root, r- and the root part of their ids (ou-ab12-… are in r-ab12), as Organizations names them.
  expect(await unitsIn(client, 'r-ab12')).toEqual([ROOT_UNIT, ...topUnits.map((u) => u.Id)]);
  expect(emulator.callsTo('ListOrganizationalUnitsForParent')).toHaveLength(2);
  expect(await accountsIn(client, 'r-ab12')).toEqual(['123456789012:ACTIVE', ...accounts(500, 2).map((id) => `${id}:ACTIVE`)]);
  // Another root is no parent of this organization; an id of neither pattern is invalid input.
  await expect(client.send(new ListAccountsForParentCommand({ ParentId: 'r-zz99' }))).rejects.toMatchObject({ name: 'ParentNotFoundException' });
  await expect(client.send(new ListAccountsForParentCommand({ ParentId: 'engineering' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  await expect(client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-zz99' }))).rejects.toMatchObject({ name: 'ParentNotFoundException' });
});

test('a management account in a unit is listed there, not in the root; RootId names the root when the units do not', async () => {
  const management = accounts(100, 1)[0];
  emulator = await start({ organization: { ...ORGANIZATION, RootId: 'r-named1', ManagementAccountId: management } });
  const client = sdkClient();

  expect(await accountsIn(client, CHILD)).toEqual(accounts(100, 3).map((id) => `${id}:ACTIVE`));
  expect(await accountsIn(client, 'r-named1')).toEqual([]);
  expect(await unitsIn(client, 'r-named1')).toEqual([ROOT_UNIT]);
  await expect(client.send(new ListAccountsForParentCommand({ ParentId: 'r-ab12' }))).rejects.toMatchObject({ name: 'ParentNotFoundException' });
  expect((await client.send(new DescribeOrganizationCommand({}))).Organization!.MasterAccountId).toBe(management);
});

test('the organization changes while the emulator runs: accounts join, move and leave, units come and go', async () => {
  emulator = await start({ organization: ORGANIZATION });
  const client = sdkClient();
  const organization = emulator.organization!;
  const [joiner] = accounts(700, 1);
  const [mover] = accounts(100, 1);

  organization.addAccount(joiner, GRANDCHILD);
  expect(await accountsIn(client, GRANDCHILD)).toEqual([...accounts(200, 2), joiner].map((id) => `${id}:ACTIVE`));

  organization.moveAccount(mover, ROOT_UNIT);
  expect(organization.parentOf(mover)).toBe(ROOT_UNIT);
  expect(await accountsIn(client, CHILD)).toEqual(accounts(101, 2).map((id) => `${id}:ACTIVE`));
  expect((await accountsIn(client, ROOT_UNIT)).slice(-1)).toEqual([`${mover}:ACTIVE`]);

  organization.setAccountState(joiner, 'SUSPENDED');
  organization.removeAccount(accounts(200, 1)[0]);
  expect(await accountsIn(client, GRANDCHILD)).toEqual([`${accounts(201, 1)[0]}:ACTIVE`, `${joiner}:SUSPENDED`]);
  expect(organization.parentOf(accounts(200, 1)[0])).toBeUndefined();

  // Organizations deletes an empty unit only; once deleted, its listings answer as an unknown unit's.
  expect(() => organization.deleteUnit(CHILD)).toThrow(`unit ${CHILD} holds 2 accounts and 1 units: Organizations deletes only an empty unit (move them out first)`);
  organization.moveAccount(accounts(201, 1)[0], 'r-ab12');
  organization.moveAccount(joiner, 'r-ab12');
  organization.deleteUnit(GRANDCHILD);
  await expect(client.send(new ListAccountsForParentCommand({ ParentId: GRANDCHILD }))).rejects.toMatchObject({ name: 'ParentNotFoundException' });
  await expect(client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: GRANDCHILD }))).rejects.toMatchObject({ name: 'ParentNotFoundException' });
  expect(await unitsIn(client, CHILD)).toEqual([]);

  organization.addUnit('ou-ab12-newunit1', CHILD);
  organization.addAccount(accounts(800, 1)[0], 'ou-ab12-newunit1');
  expect(await unitsIn(client, CHILD)).toEqual(['ou-ab12-newunit1']);
  // The handler's own reading sees the tree as it is now.
  const { accounts: found } = await accountsOfUnits(organizationsClient('eu-west-1', async () => CREDENTIALS), [CHILD], true);
  expect(found).toEqual([...accounts(101, 2), accounts(800, 1)[0]]);
});

test('changes that an organization does not allow are refused, saying why', () => {
  const tree = new OrganizationTree({ ...ORGANIZATION, ManagementAccountId: '123456789012' });
  expect(() => tree.addAccount(accounts(0, 1)[0], CHILD)).toThrow(`account ${accounts(0, 1)[0]} is in the organization already (in ${ROOT_UNIT})`);
  expect(() => tree.addAccount('1234', CHILD)).toThrow('account "1234" does not match');
  expect(() => tree.moveAccount(accounts(0, 1)[0], 'ou-ab12-missing1')).toThrow('no parent ou-ab12-missing1: the root is r-ab12');
  expect(() => tree.removeAccount('123456789012')).toThrow('account 123456789012 is the management account, which cannot leave the organization');
  expect(() => tree.removeAccount('999999999999')).toThrow('account 999999999999 is not in the organization');
  expect(() => tree.setAccountState('123456789012', 'SUSPENDED')).toThrow('is the management account, which stays ACTIVE');
  expect(() => tree.addUnit(CHILD)).toThrow(`unit ${CHILD} exists already`);
  expect(() => tree.deleteUnit('ou-ab12-missing1')).toThrow('no unit ou-ab12-missing1');
});

test('a links file may name the organization\'s id, root, management account and root accounts; an incoherent one is refused', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'organization-'));
  const file = path.join(dir, 'links.json');
  const write = (organization: object) => writeFileSync(file, JSON.stringify({ AccountLinks: [], Organization: organization }));
  const full = { ...ORGANIZATION, Id: 'o-a1b2c3d4e5', RootId: 'r-ab12', ManagementAccountId: '123456789012', RootAccounts: accounts(500, 1) };
  write(full);
  expect(readEmulatorFile(file).organization).toEqual(full);

  write({ ...ORGANIZATION, Id: 'o-short' });
  expect(() => readEmulatorFile(file)).toThrow(`${file}: Organization: Id "o-short" does not match`);
  write({ ...ORGANIZATION, RootId: 'root' });
  expect(() => readEmulatorFile(file)).toThrow(`${file}: Organization: RootId "root" does not match`);
  write({ ...ORGANIZATION, ManagementAccountId: '12' });
  expect(() => readEmulatorFile(file)).toThrow(`${file}: Organization: ManagementAccountId "12" does not match`);
  write({ ...ORGANIZATION, RootAccounts: accounts(0, 1) });
  expect(() => readEmulatorFile(file)).toThrow(`account ${accounts(0, 1)[0]} is also in ${file}: Organization.RootAccounts: an account is in one parent`);
  write({ OrganizationalUnits: [{ Id: ROOT_UNIT, ParentId: 'r-ab12' }, { Id: CHILD, ParentId: 'r-cd34' }] });
  expect(() => readEmulatorFile(file)).toThrow(`${file}: Organization: the units name 2 roots (r-ab12, r-cd34): an organization has one`);
  write({ ...ORGANIZATION, ManagementAccountId: accounts(900, 1)[0] });
  expect(() => readEmulatorFile(file)).toThrow(`the management account ${accounts(900, 1)[0]} cannot be SUSPENDED`);
});
