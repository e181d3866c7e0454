import { execFile } from 'node:child_process';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { StsEndpoint } from '../../local-aws/sts-endpoint';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { startEmulatorBin } from '../support/emulator-bin';
import { link, TARGET_ACCOUNT } from '../support/links';

// The command as it ships: the bundled file `bin` points at.
// Set ACCOUNT_LINKS_CLI_FILE to run these tests against another build (an earlier commit's, say).
const CLI = process.env.ACCOUNT_LINKS_CLI_FILE ?? path.join(__dirname, '..', '..', 'assets', 'cli', 'index', 'index.js');
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

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs the bundled command with fresh dummy credentials (and no switch for the SDK's Node-version warning). */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDTESTCLI',
        AWS_SECRET_ACCESS_KEY: 'test-secret',
        AWS_ENDPOINT_URL_WORKSPACES: emulator.endpoint,
        ...env,
      },
      timeout: 120_000,
    }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr, ms: Date.now() - started }));
  });
}

const check = (...args: string[]) => run(args);

test('linked: exit 0 with a PASS line', async () => {
  const { code, stdout } = await check('check', '--link-id', 'link-00000001');

  expect(code).toBe(0);
  expect(stdout).toBe(`PASS link link-00000001 is LINKED (source 111122223333, target ${TARGET_ACCOUNT}; 1 read, 0 s)\n`);
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
  expect(stdout).toMatch(/^FAIL GetAccountLink for link link-99999999 failed: ResourceNotFoundException.*--assume-role checks as the source or target account$/m);
});

test.each([
  [['check', '--link-id', 'lnk-1'], /--link-id "lnk-1" does not match/],
  [['check'], /give exactly one of --link-id and --linked-account-id/],
  [['check', '--link-id', 'link-00000001', '--require', 'ACTIVE'], /--require "ACTIVE" is not one of/],
  [['check', '--link-id', 'link-00000001', '--wait', 'soon'], /--wait "soon" is not a duration/],
  [['verify', '--link-id', 'link-00000001'], /unknown command verify; expected check/],
  [['check', '--link-id', 'link-00000001', '--colour'], /Unknown option '--colour'/],
  [['check', '--link-id', 'link-00000001', '--poll', '5s'], /^workspaces-account-links: --poll needs --wait: without a wait, the link is read once$/m],
  [['check', '--link-id', 'link-00000001', '--wait', '5m', '--poll', '600h'], /--poll \(600h\) must be a whole number of seconds from 1 to 3600/],
  [['check', '--link-id', 'link-00000001', '--wait', '9h'], /--wait \(9h\) must be a whole number of seconds from 1 to 28800/],
  [['check', '--link-id', 'link-00000001', '--wait', '5m', '--timeout', '5m'], /--timeout \(5m\) must be longer than --wait \(5m\)/],
  [['check', '--link-id', 'link-00000001', '--external-id', 'byol'], /--external-id needs --assume-role/],
  [['check', '--link-id', 'link-00000001', '--assume-role', 'arn:aws:iam::4444:role/r'], /--assume-role "arn:aws:iam::4444:role\/r" is not an IAM role ARN/],
  [['check', '--link-id', 'link-00000001', '--region', 'Ireland'], /--region "Ireland" is not a Region name/],
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
  for (const option of ['--link-id', '--linked-account-id', '--require', '--wait', '--poll', '--timeout', '--assume-role', '--external-id',
    '--region', '--json', 'Exit status']) {
    expect(stdout).toContain(option);
  }
});

describe('the command in its own words', () => {
  test('--name=VALUE works as --name VALUE, and the count says "1 read"', async () => {
    const { code, stdout } = await check('check', '--link-id=link-00000001', '--require=LINKED', '--timeout=30s');

    expect(code).toBe(0);
    expect(stdout).toBe(`PASS link link-00000001 is LINKED (source 111122223333, target ${TARGET_ACCOUNT}; 1 read, 0 s)\n`);
  });

  test('a pending link without --wait: the FAIL line says --wait, not waitTimeout', async () => {
    const { code, stdout } = await check('check', '--link-id', 'link-00000004');

    expect(code).toBe(1);
    expect(stdout).toBe(`FAIL link link-00000004 is ${PENDING}, not LINKED: accept the invitation in account 100000000004 (or pass --wait to wait for it)\n`);
  });

  test('the SDK\'s Node-version warning is not printed', async () => {
    const { code, stderr } = await check('check', '--link-id', 'link-00000001');

    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  test.each([
    ['an empty 404', (res: ServerResponse) => res.writeHead(404).end(), 'HTTP 404 with no content type'],
    ['an HTML page', (res: ServerResponse) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>'),
      'HTTP 502 (text/html)'],
  ])('%s from the endpoint: the HTTP status and the endpoint, not the SDK\'s deserialization hints', async (_name, answer, what) => {
    const server = await localServer((req, res) => req.resume().on('end', () => answer(res)));
    try {
      const { code, stdout } = await run(['check', '--link-id', 'link-00000001'], { AWS_ENDPOINT_URL_WORKSPACES: server.url });

      expect(code).toBe(2);
      expect(stdout).toBe(`ERROR GetAccountLink for link link-00000001 failed: ${server.url} answered ${what}, not a WorkSpaces API answer\n`);
    } finally {
      await server.close();
    }
  });
});

describe('bounded: the command never hangs', () => {
  // Accepts connections and reads requests, and never answers.
  let silent: LocalServer;
  beforeAll(async () => {
    silent = await localServer((req) => req.resume());
  });
  afterAll(async () => {
    await silent.close();
  });

  test('an endpoint that never answers, --timeout 3s: exit 2 after about 3 s, naming the endpoint and the call', async () => {
    const { code, stdout, ms } = await run(['check', '--link-id', 'link-00000001', '--timeout', '3s'], { AWS_ENDPOINT_URL_WORKSPACES: silent.url });

    expect(code).toBe(2);
    expect(stdout).toBe(`ERROR no verdict within 3 s (--timeout): waiting for ${silent.url} to answer WorkSpaces GetAccountLink for link link-00000001\n`);
    expect(ms).toBeLessThan(10_000);
  });

  test('with --wait 5s and the default timeout: exit 2 once the client\'s bounded attempts are spent, naming the endpoint', async () => {
    const { code, stdout, ms } = await run(['check', '--link-id', 'link-00000001', '--wait', '5s', '--poll', '1s'],
      { AWS_ENDPOINT_URL_WORKSPACES: silent.url });

    expect(code).toBe(2);
    expect(stdout).toBe(`ERROR GetAccountLink for link link-00000001 failed: no answer from ${silent.url} in 4 attempts: no complete answer within 5000 ms\n`);
    // 4 attempts of 5 s and their backoff: well inside the default deadline (the wait plus 60 s).
    expect(ms).toBeLessThan(65_000);
  }, 90_000);
});

describe('--assume-role: the check sees the link as another account does', () => {
  const ROLE = 'arn:aws:iam::444455556666:role/workspaces-link-reader';
  let sts: StsEndpoint;
  beforeEach(async () => {
    sts = await StsEndpoint.start(() => 'ASIAASSUMEDREADER');
    await emulator.close();
    // A pipeline account (AKIDTESTCLI) that is on no link; the role's account is the link's target.
    emulator = await AccountLinksEmulator.start({
      links: [link(1, 'LINKED', TARGET_ACCOUNT)],
      accounts: { AKIDTESTCLI: '999988887777', ASIAASSUMEDREADER: TARGET_ACCOUNT },
    });
  });
  afterEach(async () => {
    await sts.close();
  });

  test('as the pipeline\'s own account, the link is not there, and the FAIL line says why that may be', async () => {
    const { code, stdout } = await check('check', '--link-id', 'link-00000001');

    expect(code).toBe(1);
    expect(stdout).toBe('FAIL GetAccountLink for link link-00000001 failed: ResourceNotFoundException: The resource could not be found. '
      + '(ResourceId link-00000001); an account sees only the links it is on: --assume-role checks as the source or target account\n');
  });

  test('with --assume-role and --external-id: STS is asked for that role, and GetAccountLink is signed by its credentials', async () => {
    const { code, stdout } = await run(['check', '--link-id', 'link-00000001', '--assume-role', ROLE, '--external-id', 'byol', '--region', 'eu-west-1'],
      { AWS_ENDPOINT_URL_STS: sts.url });

    expect(code).toBe(0);
    expect(stdout).toBe(`PASS link link-00000001 is LINKED (source 111122223333, target ${TARGET_ACCOUNT}; 1 read, 0 s)\n`);
    expect(sts.calls).toEqual([{ roleArn: ROLE, externalId: 'byol', roleSessionName: 'cdk-workspaces-account-links', signedBy: 'AKIDTESTCLI' }]);
    expect(emulator.callsTo('GetAccountLink').map((r) => r.accessKeyId)).toEqual(['ASIAASSUMEDREADER']);
  });
});

test('against the emulator bin, as a user would run both', async () => {
  const bin = startEmulatorBin('--links', 'examples/links.json', '--port', '0');
  try {
    const endpoint = await bin.endpoint;
    const { code, stdout, stderr } = await run(['check', '--link-id', 'link-1a2b3c4d'], { AWS_ENDPOINT_URL_WORKSPACES: endpoint });

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('PASS link link-1a2b3c4d is LINKED (source 111122223333, target 444455556666; 1 read, 0 s)\n');
  } finally {
    bin.child.kill();
    await bin.exited;
  }
}, 60_000);

interface LocalServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A loopback HTTP server that answers each request with `handle`. */
async function localServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
