import { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { startEmulatorBin } from '../support/emulator-bin';

const children: ChildProcess[] = [];

function emulatorCli(...args: string[]) {
  const bin = startEmulatorBin(...args);
  children.push(bin.child);
  return bin;
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
