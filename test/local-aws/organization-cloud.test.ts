import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeOrganizationCommand, ListAccountsForParentCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { OrganizationCloud, otherTarget, SOURCE, target } from '../../local-aws/organization-cloud';
import { LEDGER_TABLE_ENV } from '../../src/contract';

// The local organization cloud the targets tests run the handler in: what it sets up, and
// what it leaves behind.

let cloud: OrganizationCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

const organizations = (c: OrganizationCloud) => new OrganizationsClient({
  region: 'us-east-1', endpoint: c.emulator.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, maxAttempts: 1,
});

test('the ledger: its table on a local DynamoDB, named to the handler\'s processes with its endpoint; both gone after close()', async () => {
  const before = { endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, table: process.env[LEDGER_TABLE_ENV] };
  cloud = await OrganizationCloud.start({ targets: [target(1)] });
  const ledger = cloud.ledger!;

  expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(ledger.endpoint);
  expect(process.env[LEDGER_TABLE_ENV]).toBe(ledger.tableName);
  expect((await ledger.client.send(new DescribeTableCommand({ TableName: ledger.tableName }))).Table!.TableStatus).toBe('ACTIVE');
  expect(await ledger.items()).toEqual([]);

  await cloud.close();
  cloud = undefined;
  expect({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, table: process.env[LEDGER_TABLE_ENV] }).toEqual(before);
});

test('ledger: false runs without a table: neither variable is set', async () => {
  process.env[LEDGER_TABLE_ENV] = 'left-over';
  try {
    cloud = await OrganizationCloud.start({ targets: [target(1)], ledger: false });
    expect(cloud.ledger).toBeUndefined();
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBeUndefined();
    expect(process.env[LEDGER_TABLE_ENV]).toBeUndefined();
  } finally {
    await cloud?.close();
    cloud = undefined;
    expect(process.env[LEDGER_TABLE_ENV]).toBe('left-over');
    delete process.env[LEDGER_TABLE_ENV];
  }
});

test('sourceLinks: the source has that many LINKED links to other accounts before the test', async () => {
  cloud = await OrganizationCloud.start({ targets: [target(1)], sourceLinks: 2300 });
  const links = await cloud.linksFromSource();

  expect(links).toHaveLength(2300);
  expect(links.every((l) => l.AccountLinkStatus === 'LINKED')).toBe(true);
  expect(links[0].TargetAccountId).toBe(otherTarget(1));
  expect(links[2299].TargetAccountId).toBe(otherTarget(2300));
  expect(links.map((l) => l.TargetAccountId)).not.toContain(target(1));
});

test('an organization by default, and cloud.organization changes it while the handler runs', async () => {
  cloud = await OrganizationCloud.start({ targets: [target(1), target(2)] });
  const client = organizations(cloud);
  const { Organization } = await client.send(new DescribeOrganizationCommand({}));
  expect(Organization!.MasterAccountId).toMatch(/^\d{12}$/);

  cloud.organization.addUnit('ou-root-engineer');
  cloud.organization.addAccount(target(1), 'ou-root-engineer');
  cloud.organization.addAccount(SOURCE, 'ou-root-engineer');
  const listed = await client.send(new ListAccountsForParentCommand({ ParentId: 'ou-root-engineer' }));
  expect(listed.Accounts!.map((a) => a.Id)).toEqual([target(1), SOURCE]);
  expect(cloud.organization.rootId).toBe('r-root');
});
