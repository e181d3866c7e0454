import { checkLink } from '../../cli/check-link';
import { parseCheckOptions, CheckOptions } from '../../cli/options';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { keepEnv } from '../support/env';
import { link, TARGET_ACCOUNT } from '../support/links';

// The check in process, with the SDK's default credential chain reading the environment,
// against the emulator (the command's own tests run the bundle in child processes).
const restoreEnv = keepEnv();
let emulator: AccountLinksEmulator;

beforeAll(async () => {
  emulator = await AccountLinksEmulator.start({ links: [link(1, 'LINKED', TARGET_ACCOUNT), link(2, 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT')] });
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDCHECK', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_WORKSPACES: emulator.endpoint,
  });
  delete process.env.AWS_SESSION_TOKEN;
});

afterAll(async () => {
  await emulator.close();
  restoreEnv();
});

const options = (...argv: string[]) => parseCheckOptions(['check', ...argv]) as CheckOptions;

test('a linked link: exit 0, the link, one read, the endpoint it asked', async () => {
  await expect(checkLink(options('--link-id', 'link-00000001'))).resolves.toMatchObject({
    exitCode: 0, ok: true, reads: 1, endpoint: emulator.endpoint, link: { AccountLinkId: 'link-00000001', AccountLinkStatus: 'LINKED' },
  });
});

test('a pending link without a wait: exit 1, with the remedy', async () => {
  await expect(checkLink(options('--link-id', 'link-00000002'))).resolves.toMatchObject({
    exitCode: 1, reason: expect.stringMatching(/^link link-00000002 is PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, not LINKED: accept the invitation/),
  });
});

test('a link the account is not on: exit 1, saying an account sees only its own links', async () => {
  await expect(checkLink(options('--link-id', 'link-99999999'))).resolves.toMatchObject({
    exitCode: 1, reason: expect.stringMatching(/ResourceNotFoundException: .*; an account sees only the links it is on: --assume-role checks as/),
  });
});

test('no Region anywhere: exit 2, saying where to set one', async () => {
  delete process.env.AWS_REGION;
  process.env.AWS_PROFILE = 'no-such-profile-here';
  try {
    await expect(checkLink(options('--link-id', 'link-00000001'))).resolves.toMatchObject({
      exitCode: 2, reason: 'no Region to check in: pass --region, or set AWS_REGION or a region in the AWS profile',
    });
  } finally {
    process.env.AWS_REGION = 'eu-west-1';
    delete process.env.AWS_PROFILE;
  }
});

test('the deadline: exit 2, naming what was in flight', async () => {
  emulator.setDelay(3_000);
  try {
    await expect(checkLink(options('--link-id', 'link-00000001', '--timeout', '1s'))).resolves.toMatchObject({
      exitCode: 2, reason: `no verdict within 1 s (--timeout): waiting for ${emulator.endpoint} to answer WorkSpaces GetAccountLink for link link-00000001`,
    });
  } finally {
    emulator.setDelay(0);
  }
});
