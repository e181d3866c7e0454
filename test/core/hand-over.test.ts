import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AccountLinkApiError } from '../../core/account-link-api';
import { DeadlineExceededError } from '../../core/deadline';
import { isHandOverError, isPassingFault, isTransientCredentialsError } from '../../core/hand-over';
import { accountsOfUnits, organizationsClient } from '../../core/organization-accounts';
import { isThrottled, WorkSpacesApiError } from '../../core/workspaces-client';
import { keepEnv } from '../support/env';

// Which errors end an invocation's share of the work (a hand-over: the successor tries
// again) rather than the request.

const throttled = new WorkSpacesApiError('ThrottlingException', 'Rate exceeded', 400);
const denied = new WorkSpacesApiError('AccessDeniedException', 'not authorized', 400);
/** As core/assume-role.ts throws it, from the bundle of its own the handler loads it in: not this bundle's class. */
const credentialsError = (transient: boolean) => Object.assign(new Error('STS AssumeRole of arn:aws:iam::444455556666:role/reader …'),
  { name: 'AssumeRoleError', transient, roleArn: 'arn:aws:iam::444455556666:role/reader' });

describe('isPassingFault', () => {
  test.each([
    ['throttling', throttled, true],
    ['throttling, as the cause of an API call\'s error', new AccountLinkApiError('GetAccountLink for link x failed', throttled), true],
    ['STS throttled or silent until the call\'s time ran out', credentialsError(true), true],
    ['the same, behind the WorkSpaces call it was for', new AccountLinkApiError('GetAccountLink for link x failed', credentialsError(true)), true],
    ['STS refusing the role', new AccountLinkApiError('GetAccountLink for link x failed', credentialsError(false)), false],
    ['AccessDenied', new AccountLinkApiError('GetAccountLink for link x failed', denied), false],
    ['a plain error', new Error('boom'), false],
    ['not an error', 'throttled', false],
  ])('%s: %s', (_name, error, passing) => {
    expect(isPassingFault(error)).toBe(passing);
  });

  test('a credentials error is told by its name and fields, not its class', () => {
    expect(isTransientCredentialsError(credentialsError(true))).toBe(true);
    expect(isTransientCredentialsError(Object.assign(new Error('x'), { transient: true }))).toBe(false);
  });
});

describe('isHandOverError', () => {
  test('the hand-over time aborted the call: hand over, whatever the error', () => {
    const signal = AbortSignal.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    expect(isHandOverError(signal.reason, signal)).toBe(true);
    expect(isHandOverError(new AccountLinkApiError('x', denied), signal)).toBe(true);
  });

  test('the deadline guard aborted it: no hand-over (its time is the answer\'s), unless the error is a passing fault', () => {
    const signal = AbortSignal.abort(new DeadlineExceededError(20_000));
    expect(isHandOverError(signal.reason, signal)).toBe(false);
    expect(isHandOverError(new AccountLinkApiError('x', throttled), signal)).toBe(true);
  });

  test('no abort: as isPassingFault', () => {
    const signal = new AbortController().signal;
    expect(isHandOverError(new AccountLinkApiError('x', throttled), signal)).toBe(true);
    expect(isHandOverError(new AccountLinkApiError('x', denied), signal)).toBe(false);
    expect(isHandOverError(credentialsError(true))).toBe(true);
  });
});

describe('Organizations throttling', () => {
  const restoreEnv = keepEnv(['AWS_ENDPOINT_URL_ORGANIZATIONS']);
  let server: Server;
  let requests = 0;
  beforeAll(async () => {
    // Organizations as it throttles: HTTP 400, TooManyRequestsException.
    server = createServer((req, res) => {
      requests++;
      req.resume().on('end', () => res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ __type: 'TooManyRequestsException', Message: 'AWS Organizations can\'t complete your request because another request is already in progress.' })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    restoreEnv();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a unit\'s listing throttled until `retryUntil`: an error naming the service and the unit, whose cause reads as throttling', async () => {
    const client = organizationsClient('eu-west-1', async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }));
    const error = await accountsOfUnits(client, ['ou-ab12-engineer'], false, undefined, Date.now() + 1_000).catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/^Organizations ListAccountsForParent for ou-ab12-engineer failed: TooManyRequestsException: AWS Organizations can't complete/);
    expect(isThrottled((error as AccountLinkApiError).cause)).toBe(true);
    expect(isHandOverError(error)).toBe(true);
    expect(requests).toBeGreaterThan(1);
  });
});
