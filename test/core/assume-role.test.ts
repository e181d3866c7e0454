import * as path from 'node:path';
import { isPassingFault } from '../../core/hand-over';
import { WorkSpacesClient } from '../../core/workspaces-client';
import { BUNDLED_HANDLER } from '../../local-aws/bundled-handler';
import { StsEndpoint } from '../../local-aws/sts-endpoint';
import { keepEnv } from '../support/env';

// An assumed role's credentials, from a local STS: the call that needs them decides how
// long they may take (its signal, its `until`), and every failure names STS and the role.
// The module is the bundle the handler loads on demand, next to the handler's file (the SDK's
// credential provider imports its STS client dynamically, which jest cannot load in
// process): its errors come from a copy of core/ of its own, as in the handler.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { assumedRoleCredentials } = require(path.join(path.dirname(BUNDLED_HANDLER), 'assume-role.js')) as typeof import('../../core/assume-role');

const ROLE = 'arn:aws:iam::444455556666:role/reader';
const FUNCTION_CREDENTIALS = async () => ({ accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'secret' });
const restoreEnv = keepEnv(['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_WORKSPACES']);
let sts: StsEndpoint;

beforeAll(async () => {
  sts = await StsEndpoint.start((roleArn) => (roleArn === ROLE ? 'ASIAREADER' : undefined));
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
});
afterAll(async () => {
  restoreEnv();
  await sts.close();
});
afterEach(() => sts.reset());

const credentials = (roleArn = ROLE) => assumedRoleCredentials({ roleArn, region: 'eu-west-1', masterCredentials: FUNCTION_CREDENTIALS });

test('STS answers: the role\'s credentials, asked for with the function\'s', async () => {
  await expect(credentials()({})).resolves.toMatchObject({ accessKeyId: 'ASIAREADER', sessionToken: 'assumed-session-token' });
  expect(sts.calls).toEqual([expect.objectContaining({ roleArn: ROLE, signedBy: 'AKIDFUNCTION', roleSessionName: 'cdk-workspaces-account-links' })]);
});

test('the signal of the WorkSpaces call reaches the STS call: aborted, it ends at once with the signal\'s reason', async () => {
  sts.mode = 'hang';
  // Never reached: the credentials never come.
  process.env.AWS_ENDPOINT_URL_WORKSPACES = 'http://127.0.0.1:9';
  const client = new WorkSpacesClient({ region: 'eu-west-1', credentials: credentials() });
  const stop = new Error('the hand-over time');
  const controller = new AbortController();
  setTimeout(() => controller.abort(stop), 300);
  const started = Date.now();

  await expect(client.send('GetAccountLink', { LinkId: 'link-00000001' }, controller.signal)).rejects.toBe(stop);

  // Not the STS attempt's own timeout (5 s): the abort ended it.
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(sts.calls).toHaveLength(1);
});

test('a silent STS is cut off at the call\'s `until`: a passing fault, naming STS and the role', async () => {
  sts.mode = 'hang';
  const error = await credentials()({ until: Date.now() + 300 }).catch((e: unknown) => e);

  expect(error).toMatchObject({
    name: 'AssumeRoleError',
    transient: true,
    message: expect.stringMatching(new RegExp(`^STS AssumeRole of ${ROLE} got no answer in the 0\\.\\d s the call had \\(1 attempt\\)$`)),
  });
  expect(isPassingFault(error)).toBe(true);
});

test('STS throttling is retried until the call\'s `until`, then a passing fault that says so', async () => {
  sts.mode = 'throttle';
  const error = await credentials()({ until: Date.now() + 1_500 }).catch((e: unknown) => e);

  expect(error).toMatchObject({ name: 'AssumeRoleError', transient: true, message: expect.stringContaining(`STS AssumeRole of ${ROLE}`) });
  expect((error as Error).message).toMatch(/(was throttled \(\d+ attempts\): Throttling: Rate exceeded|got no answer in the [\d.]+ s the call had \(\d+ attempts; attempt \d+: Throttling: Rate exceeded\))$/);
  expect(sts.faulted.throttle).toBeGreaterThan(1);
  expect(isPassingFault(error)).toBe(true);
});

test('STS refuses (AccessDenied): not retried, not passing, named', async () => {
  const other = 'arn:aws:iam::444455556666:role/other';
  const error = await credentials(other)({}).catch((e: unknown) => e);

  expect(error).toMatchObject({ name: 'AssumeRoleError', transient: false });
  expect((error as Error).message).toMatch(new RegExp(`^STS AssumeRole of ${other} failed: AccessDenied: User: .* is not authorized to perform: sts:AssumeRole`));
  expect(sts.calls).toHaveLength(1);
  expect(isPassingFault(error)).toBe(false);
});
