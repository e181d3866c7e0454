import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { link, TARGET_ACCOUNT } from './support/links';
import { AccountLinksEmulator } from '../src/emulator/emulator';

// The command as it ships: the bundled file `bin` points at.
const CLI = path.join(__dirname, '..', 'assets', 'cli', 'index', 'index.js');
const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';

let emulator: AccountLinksEmulator;

beforeEach(async () => {
  emulator = await AccountLinksEmulator.start({
    links: [
      link(1, 'LINKED', TARGET_ACCOUNT),
      link(2, 'REJECTED'),
      { ...link(3, PENDING), StatusSequence: [PENDING, PENDING, 'LINKED'] },
      link(4, PENDING),
    ],
  });
});
afterEach(async () => {
  await emulator.close();
});

function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDTESTCLI',
        AWS_SECRET_ACCESS_KEY: 'test-secret',
        AWS_ENDPOINT_URL_WORKSPACES: emulator.endpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr, ms: Date.now() - started }));
  });
}

test('linked: exit 0 with a PASS line', async () => {
  const { code, stdout } = await check('check', '--link-id', 'link-00000001');

  expect(code).toBe(0);
  expect(stdout).toBe(`PASS link link-00000001 is LINKED (source 111122223333, target ${TARGET_ACCOUNT}; 1 reads, 0 s)\n`);
});

test('by linked account id, as JSON', async () => {
  const { code, stdout } = await check('check', '--linked-account-id', TARGET_ACCOUNT, '--json');

  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toMatchObject({
    exitCode: 0,
    ok: true,
    lookup: `linked account ${TARGET_ACCOUNT}`,
    required: 'LINKED',
    reads: 1,
    AccountLinkId: 'link-00000001',
    AccountLinkStatus: 'LINKED',
    SourceAccountId: '111122223333',
    TargetAccountId: TARGET_ACCOUNT,
  });
});

test('rejected: exit 1 at once, after one read', async () => {
  const { code, stdout } = await check('check', '--link-id', 'link-00000002', '--wait', '10m', '--poll', '1s');

  expect(code).toBe(1);
  expect(stdout).toBe('FAIL link link-00000002 is REJECTED, not LINKED: account 100000000002 rejected the invitation: invite it again from account 111122223333\n');
  expect(emulator.callsTo('GetAccountLink')).toHaveLength(1);
});

test('pending, then linked within --wait: exit 0 after 3 reads', async () => {
  const { code, stdout } = await check('check', '--link-id', 'link-00000003', '--wait', '30s', '--poll', '1s');

  expect(code).toBe(0);
  expect(stdout).toMatch(/^PASS link link-00000003 is LINKED \(.*; 3 reads, 2 s\)$/m);
});

test('pending past --wait: exit 1 saying how long it waited', async () => {
  const { code, stdout } = await check('check', '--link-id', 'link-00000004', '--wait', '2s', '--poll', '1s');

  expect(code).toBe(1);
  expect(stdout).toBe(`FAIL link link-00000004 is still ${PENDING} after waiting 2 s (3 reads), not LINKED: accept the invitation in account 100000000004\n`);
});

test('a missing link: exit 1', async () => {
  const { code, stdout } = await check('check', '--link-id', 'link-99999999');

  expect(code).toBe(1);
  expect(stdout).toMatch(/^FAIL GetAccountLink for link link-99999999 failed: ResourceNotFoundException/);
});

test.each([
  [['check', '--link-id', 'lnk-1'], /--link-id "lnk-1" does not match/],
  [['check'], /give exactly one of --link-id and --linked-account-id/],
  [['check', '--link-id', 'link-00000001', '--require', 'ACTIVE'], /--require "ACTIVE" is not one of/],
  [['check', '--link-id', 'link-00000001', '--wait', 'soon'], /--wait "soon" is not a duration/],
  [['verify', '--link-id', 'link-00000001'], /unknown command verify; expected check/],
  [['check', '--link-id', 'link-00000001', '--colour'], /Unknown option '--colour'/],
])('usage error %j: exit 2 without calling the API', async (args, message) => {
  const { code, stderr } = await check(...args);

  expect(code).toBe(2);
  expect(stderr).toMatch(message);
  expect(emulator.requests).toHaveLength(0);
});

test('access denied: exit 2 with the API error', async () => {
  emulator.injectFaults({ type: 'AccessDeniedException', message: 'User is not authorized to perform workspaces:GetAccountLink' });
  const { code, stdout } = await check('check', '--link-id', 'link-00000001');

  expect(code).toBe(2);
  expect(stdout).toBe('ERROR GetAccountLink for link link-00000001 failed: AccessDeniedException: User is not authorized to perform workspaces:GetAccountLink\n');
});

test('--help documents every option', async () => {
  const { code, stdout } = await check('--help');

  expect(code).toBe(0);
  for (const option of ['--link-id', '--linked-account-id', '--require', '--wait', '--poll', '--region', '--json', 'Exit status']) {
    expect(stdout).toContain(option);
  }
});
