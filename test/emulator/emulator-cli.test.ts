import { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import * as path from 'node:path';
import { ConditionalCheckFailedException, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { changeOrganization, receivedEvents } from '../../src/emulator/control-client';
import { DYNALITE_MISSING } from '../../src/emulator/ledger';
import { startEmulatorBinWith } from '../support/emulator-bin';

const children: ChildProcess[] = [];

function emulatorCli(...args: string[]) {
  return emulatorCliWith({}, ...args);
}

function emulatorCliWith(options: { nodeArgs?: string[] }, ...args: string[]) {
  const bin = startEmulatorBinWith(options, ...args);
  children.push(bin.child);
  return bin;
}

/** Waits until `done()` holds (a line the bin prints after another), for up to 10 s. */
async function until(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() - started > 10_000) throw new Error('waited 10 s in vain');
  }
}

/** The line `export NAME=value` the bin printed. */
function exported(stdout: string, name: string): string | undefined {
  return new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(stdout)?.[1];
}

afterAll(() => children.forEach((c) => c.kill()));

test('serves a links file on loopback until stopped', async () => {
  const cli = emulatorCli('--links', 'examples/links.json', '--port', '0');
  const endpoint = await cli.endpoint;
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(cli.output().stdout).toContain('4 links on');

  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'WorkspacesService.ListAccountLinks' },
    body: JSON.stringify({ LinkStatusFilter: ['REJECTED'] }),
  });
  expect((await res.json() as any).AccountLinks.map((l: any) => l.AccountLinkId)).toEqual(['link-9a8b7c6d']);

  children[children.length - 1].kill('SIGTERM');
  expect(await cli.exited).toBe(0);
}, 60_000);

test.each([
  [[], /--links is required/],
  [['--links', 'no-such-file.json'], /cannot read links file no-such-file.json/],
  [['--links', 'examples/links.json', '--port', 'eighty'], /--port "eighty" is not a port number/],
  [['--links', 'examples/links.json', '--port', '0x1F90'], /--port "0x1F90" is not a port number/],
  [['--links', 'examples/links.json', '--port', ''], /--port "" is not a port number/],
  [['--links', 'examples/links.json', '--port', '65536'], /--port "65536" is not a port number/],
  [['--links', 'examples/links.json', '--account', 'AKIDSOURCE'], /--account "AKIDSOURCE" is not ACCESS_KEY_ID=ACCOUNT_ID/],
  [['--links', 'examples/links.json', '--rate', 'fast'], /--rate "fast" is not N\/s,burst=B/],
  [['--links', 'examples/links.json', '--rate', '0/s'], /--rate "0\/s" is not N\/s,burst=B/],
  [['--links', 'examples/links.json', '--client-token-lifetime', '8h'], /--client-token-lifetime "8h" is not a number of seconds/],
  [['--links', 'examples/links.json', '--ledger-table', 'a b'], /--ledger-table "a b" is not a DynamoDB table name/],
])('%j: exit status 2 with a message', async (args, message) => {
  const cli = emulatorCli(...args);
  cli.endpoint.catch(() => undefined);
  expect(await cli.exited).toBe(2);
  expect(cli.output().stderr).toMatch(message);
}, 60_000);

/** A WorkSpaces JSON 1.1 request, signed (as far as the emulator looks) with `accessKeyId`. */
function call(endpoint: string, operation: string, input: object, accessKeyId = 'AKIDANY') {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `WorkspacesService.${operation}`,
      'authorization': `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261201/eu-west-1/workspaces/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
}

test('--rate 2/s,burst=5: five requests at once pass, the sixth is throttled', async () => {
  const cli = emulatorCli('--links', 'examples/links.json', '--rate', '2/s,burst=5');
  const endpoint = await cli.endpoint;
  expect(cli.output().stdout).toContain('throttling past 2/s (burst 5)');
  const list = () => fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'WorkspacesService.ListAccountLinks' },
    body: '{}',
  }).then(async (res) => ({ status: res.status, type: ((await res.json()) as any).__type }));

  const answers = await Promise.all(Array.from({ length: 6 }, list));
  expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
  expect(answers.filter((a) => a.type === 'ThrottlingException' && a.status === 400)).toHaveLength(1);
}, 60_000);

test('--links=FILE and --account: invitations work from the bin alone, as each caller\'s account', async () => {
  const cli = emulatorCli('--links=examples/links.json', '--account', 'AKIDSOURCE=111122223333', '--account=AKIDTARGET=999988887777');
  const endpoint = await cli.endpoint;
  expect(cli.output().stdout).toContain('answering as 2 accounts');

  const created = await call(endpoint, 'CreateAccountLinkInvitation', { TargetAccountId: '999988887777' }, 'AKIDSOURCE');
  expect(created.status).toBe(200);
  const { AccountLink: link } = await created.json() as any;
  expect(link).toMatchObject({ AccountLinkStatus: 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', SourceAccountId: '111122223333', TargetAccountId: '999988887777' });

  const accepted = await call(endpoint, 'AcceptAccountLinkInvitation', { LinkId: link.AccountLinkId }, 'AKIDTARGET');
  expect((await accepted.json() as any).AccountLink.AccountLinkStatus).toBe('LINKED');
}, 60_000);

test('bad clients end their own request only: an abort mid-body and an oversized body leave the server up', async () => {
  const cli = emulatorCli('--links', 'examples/links.json');
  const endpoint = new URL(await cli.endpoint);

  // Promises 1000 bytes, sends 10, and goes away.
  await new Promise<void>((resolve) => {
    const req = request({ host: endpoint.hostname, port: endpoint.port, method: 'POST', path: '/', headers: { 'content-length': 1000 } });
    req.on('error', () => resolve());
    req.write('{"LinkId":', () => setTimeout(() => {
      req.destroy();
      resolve();
    }, 100));
  });
  // A body past the cap: 413, then the connection is closed instead of reading the rest; a
  // client still sending may see only the close.
  const oversized = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'WorkspacesService.ListAccountLinks' },
    body: 'x'.repeat(2 * 1024 * 1024),
  }).then((res) => res.status, () => 'connection closed');
  expect([413, 'connection closed']).toContain(oversized);

  const listed = await call(endpoint.origin, 'ListAccountLinks', {});
  expect(listed.status).toBe(200);
  expect((await listed.json() as any).AccountLinks).toHaveLength(4);
  expect(cli.output().stderr).toBe('');
}, 60_000);

test('the ledger: a local DynamoDB with the ledger table, printed with the other endpoints; the SDK\'s own client writes to it', async () => {
  const cli = emulatorCli('--links', 'examples/links.json', '--ledger-table', 'my-ledger');
  await cli.endpoint;
  await until(() => cli.output().stdout.includes('ACCOUNT_LINKS_LEDGER_TABLE'));
  const { stdout, stderr } = cli.output();
  const endpoint = exported(stdout, 'AWS_ENDPOINT_URL_DYNAMODB');
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(exported(stdout, 'ACCOUNT_LINKS_LEDGER_TABLE')).toBe('my-ledger');
  expect(exported(stdout, 'AWS_ENDPOINT_URL_ORGANIZATIONS')).toBe(exported(stdout, 'AWS_ENDPOINT_URL_WORKSPACES'));
  expect(stderr).toBe('');

  const client = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'test' } });
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'my-ledger' }));
    expect(Table).toMatchObject({ TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] });
    const put = () => client.send(new PutItemCommand({
      TableName: 'my-ledger', Item: { pk: { S: 'a' }, sk: { S: 'b' } }, ConditionExpression: 'attribute_not_exists(pk)',
    }));
    await put();
    await expect(put()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  } finally {
    client.destroy();
  }
  children[children.length - 1].kill('SIGTERM');
  expect(await cli.exited).toBe(0);
}, 60_000);

test('without dynalite installed: one line says the ledger needs it, and WorkSpaces and Organizations are served all the same', async () => {
  const withoutDynalite = path.join(__dirname, '..', 'support', 'fixtures', 'without-dynalite.js');
  const cli = emulatorCliWith({ nodeArgs: ['--require', withoutDynalite] }, '--links', 'examples/links.json');
  const endpoint = await cli.endpoint;
  await until(() => cli.output().stderr.includes('\n'));
  const { stdout, stderr } = cli.output();

  expect(stderr).toBe(`${DYNALITE_MISSING}\n`);
  expect(DYNALITE_MISSING).toMatch(/npm install dynalite/);
  expect(exported(stdout, 'AWS_ENDPOINT_URL_DYNAMODB')).toBeUndefined();
  expect(exported(stdout, 'ACCOUNT_LINKS_LEDGER_TABLE')).toBeUndefined();
  const listed = await call(endpoint, 'ListAccountLinks', {});
  expect((await listed.json() as any).AccountLinks).toHaveLength(4);
}, 60_000);

test('--client-token-lifetime 0: a token is forgotten at once, so a second Create with it is a new request', async () => {
  const cli = emulatorCli('--links', 'examples/links.json', '--account', 'AKIDSOURCE=111122223333', '--client-token-lifetime', '0');
  const endpoint = await cli.endpoint;
  const create = () => call(endpoint, 'CreateAccountLinkInvitation', { TargetAccountId: '999988887777', ClientToken: 'token-1' }, 'AKIDSOURCE');

  expect((await create()).status).toBe(200);
  expect(await (await create()).json()).toMatchObject({ __type: 'ConflictException', message: expect.stringMatching(/^Account 999988887777 is already linked or invited/) });
}, 60_000);

test('another process changes the bin\'s organization and reads the events it received, through its control calls', async () => {
  const cli = emulatorCli('--links', 'examples/links.json', '--account', 'AKIDSOURCE=111122223333');
  const endpoint = await cli.endpoint;
  await until(() => cli.output().stdout.includes('AWS_ENDPOINT_URL_EVENTBRIDGE'));
  expect(exported(cli.output().stdout, 'AWS_ENDPOINT_URL_EVENTBRIDGE')).toBe(endpoint);

  expect(await changeOrganization(endpoint, { action: 'addAccount', accountId: '310000000050', parentId: 'ou-ab12-business' }))
    .toEqual({ action: 'addAccount', accountId: '310000000050', parentId: 'ou-ab12-business' });
  const listed = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.ListAccountsForParent' },
    body: JSON.stringify({ ParentId: 'ou-ab12-business' }),
  });
  const { Accounts, NextToken } = await listed.json() as any;
  expect(NextToken).toBeDefined();
  const second = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.ListAccountsForParent' },
    body: JSON.stringify({ ParentId: 'ou-ab12-business', NextToken }),
  });
  const ids = [...Accounts, ...(await second.json() as any).Accounts].map((a: any) => a.Id);
  expect(ids[ids.length - 1]).toBe('310000000050');

  const put = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSEvents.PutEvents',
      'authorization': 'AWS4-HMAC-SHA256 Credential=AKIDSOURCE/20261201/eu-west-1/events/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({ Entries: [{ Source: 'test', DetailType: 'Joined', Detail: '{"accountId":"310000000050"}' }] }),
  });
  expect(await put.json()).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
  expect(await receivedEvents(endpoint)).toEqual([expect.objectContaining({
    'source': 'test', 'detail-type': 'Joined', 'detail': { accountId: '310000000050' }, 'account': '111122223333', 'region': 'eu-west-1',
  })]);
}, 60_000);
