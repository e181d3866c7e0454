import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { GetAccountLinkCommand, WorkSpacesClient as SdkClient } from '@aws-sdk/client-workspaces';
import { SignatureV4 } from '@smithy/signature-v4';
import { ApiRetryOptions, WorkSpacesApiError, WorkSpacesClient } from '../../core/workspaces-client';
import { keepEnv } from '../support/env';

// Our client next to the SDK's own WorkSpacesClient, against the same local endpoint: where
// they differed (issue: talk to AWS as the SDK does), they now do the same.

const KEYS = { accessKeyId: 'AKIDPARITY', secretAccessKey: 'secret' };
const LINK = { AccountLinkId: 'link-1a2b3c4d', AccountLinkStatus: 'LINKED', SourceAccountId: '111122223333', TargetAccountId: '444455556666' };
const FAST: ApiRetryOptions = {
  attempts: 4, baseDelayMs: 10, throttlingBaseDelayMs: 20, maxDelayMs: 100, attemptTimeoutMs: 2_000, throttledForMs: 3_000,
};

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let handle: Handler;
let base: string;
let arrivals: { at: number; url: string; amzDate: string }[];
const restoreEnv = keepEnv([...['AWS_ENDPOINT_URL_WORKSPACES', 'AWS_ENDPOINT_URL'], 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']);

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals.push({ at: Date.now(), url: req.url ?? '', amzDate: String(req.headers['x-amz-date']) });
      handle(req, Buffer.concat(chunks).toString('utf8'), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey, AWS_REGION: 'eu-west-1' });
});
afterAll(async () => {
  restoreEnv();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  arrivals = [];
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));

function ours(endpoint = base, retry = FAST) {
  process.env.AWS_ENDPOINT_URL_WORKSPACES = endpoint;
  return new WorkSpacesClient({ region: 'eu-west-1', credentials: async () => KEYS, retry });
}
function sdk(endpoint = base) {
  return new SdkClient({ region: 'eu-west-1', endpoint, credentials: KEYS, maxAttempts: 4 });
}
async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** X-Amz-Date (20261202T070000Z) as a time. */
const amzTime = (value: string) => Date.parse(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 11)}:${value.slice(11, 13)}:${value.slice(13)}`);

describe('3. clock skew: an endpoint whose clock is an hour ahead', () => {
  const SKEW_MS = 3_600_000;
  beforeEach(() => {
    // As SigV4 endpoints do: a request signed more than 5 minutes from the endpoint's time is refused, with its Date.
    handle = (req, _body, res) => {
      const now = Date.now() + SKEW_MS;
      const signedAt = amzTime(String(req.headers['x-amz-date']));
      if (Math.abs(signedAt - now) > 5 * 60_000) {
        return json(res, 400, { __type: 'InvalidSignatureException', message: 'Signature expired: is now earlier than ...' }, { date: new Date(now).toUTCString() });
      }
      json(res, 200, { AccountLink: LINK }, { date: new Date(now).toUTCString() });
    };
  });

  test('the SDK corrects its clock from the Date header and succeeds on the second attempt; so do we, and keep the correction', async () => {
    await expect(sdk().send(new GetAccountLinkCommand({ LinkId: 'link-1a2b3c4d' }))).resolves.toMatchObject({ AccountLink: LINK });
    expect(arrivals).toHaveLength(2);

    arrivals = [];
    const client = ours();
    await expect(client.send('GetAccountLink', { LinkId: 'link-1a2b3c4d' })).resolves.toEqual({ AccountLink: LINK });
    expect(arrivals).toHaveLength(2);
    expect(amzTime(arrivals[1].amzDate) - Date.now()).toBeGreaterThan(SKEW_MS - 60_000);
    // The next call signs with the corrected time at once.
    await client.send('GetAccountLink', { LinkId: 'link-1a2b3c4d' });
    expect(arrivals).toHaveLength(3);
  });

  test('an AccessDeniedException from an endpoint whose clock agrees is not a skew: not retried', async () => {
    handle = (_req, _body, res) => json(res, 400, { __type: 'AccessDeniedException', message: 'no' }, { date: new Date().toUTCString() });
    await expect(failure(ours().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' }))).resolves.toMatchObject({ name: 'AccessDeniedException' });
    expect(arrivals).toHaveLength(1);
  });
});

describe('4. an endpoint override with a path and a query string', () => {
  test('sent to that path with that query, and signed as sent (the SDK signs it too)', async () => {
    const seen: { url: string; authorization: string; amzDate: string; body: string; headers: Record<string, string> }[] = [];
    handle = (req, body, res) => {
      seen.push({
        url: req.url!,
        authorization: String(req.headers.authorization),
        amzDate: String(req.headers['x-amz-date']),
        body,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      });
      json(res, 200, { AccountLink: LINK });
    };
    await ours(`${base}/proxy/workspaces?tenant=a&x=1`).send('GetAccountLink', { LinkId: 'link-1a2b3c4d' });

    const [{ url, authorization, amzDate, body, headers }] = seen;
    expect(url).toBe('/proxy/workspaces?tenant=a&x=1');
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1].split(';');
    const resigned = await new SignatureV4({ service: 'workspaces', region: 'eu-west-1', credentials: KEYS, sha256: Sha256 }).sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/proxy/workspaces',
      query: { tenant: 'a', x: '1' },
      body,
      headers: Object.fromEntries(signedHeaders.filter((h) => h !== 'x-amz-date').map((h) => [h, headers[h]])),
    }, { signingDate: new Date(amzTime(amzDate)) });
    expect(resigned.headers.authorization).toBe(authorization);
  });
});

describe('5. throttling', () => {
  test('retried with full jitter past four attempts, until it passes: five callers throttled at once do not retry in lockstep', async () => {
    let throttles = 0;
    handle = (_req, _body, res) => (throttles++ < 25 ? json(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }) : json(res, 200, { AccountLink: LINK }));
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 5 }, () => ours().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' })));

    expect(results).toEqual(Array(5).fill({ AccountLink: LINK }));
    expect(arrivals.length).toBeGreaterThan(25);
    // The second attempts: with jitter, not at one moment (five random delays in 0-20 ms, 0-40 ms, ...).
    const retries = arrivals.slice(5, 10).map((a) => a.at - started);
    expect(Math.max(...retries) - Math.min(...retries)).toBeGreaterThan(0);
  });

  test('Retry-After is honoured (seconds, or x-amz-retry-after in ms)', async () => {
    for (const header of [{ 'retry-after': '1' }, { 'x-amz-retry-after': '700' }]) {
      arrivals = [];
      let first = true;
      handle = (_req, _body, res) => {
        if (first) {
          first = false;
          return json(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, header);
        }
        json(res, 200, { AccountLink: LINK });
      };
      await ours().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' });
      expect(arrivals[1].at - arrivals[0].at).toBeGreaterThanOrEqual('retry-after' in header ? 990 : 690);
    }
  });

  test('a call that stays throttled ends at throttledForMs, or sooner at retryUntil, saying how often it was throttled', async () => {
    handle = (_req, _body, res) => json(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    const started = Date.now();
    const error = await failure(ours().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' }));
    expect(error).toBeInstanceOf(WorkSpacesApiError);
    expect(error.message).toMatch(/^Rate exceeded \(throttled on each of \d+ attempts\)$/);
    expect(Date.now() - started).toBeLessThanOrEqual(FAST.throttledForMs + 500);
    expect(arrivals.length).toBeGreaterThan(FAST.attempts);

    const soon = Date.now();
    await failure(ours().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' }, undefined, soon + 300));
    expect(Date.now() - soon).toBeLessThan(800);
  });

  test('the SDK gives up a throttled call after its 4 attempts; ours goes on (the handler\'s deadline ends it)', async () => {
    handle = (_req, _body, res) => json(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    const error = await failure(sdk().send(new GetAccountLinkCommand({ LinkId: 'link-1a2b3c4d' })));
    expect(error.name).toBe('ThrottlingException');
    expect(arrivals).toHaveLength(4);
  }, 30_000);
});

describe('6. error answers the SDK reads, and so do we', () => {
  test.each([
    ['a Code key in another case', 400, {}, { Code: 'ConflictException', Message: 'taken' }, 'ConflictException', 'taken'],
    ['a comma-separated x-amzn-errortype', 400, { 'x-amzn-errortype': 'ValidationException,ValidationException' }, { message: 'bad' }, 'ValidationException', 'bad'],
    ['an x-amzn-errortype that does not parse, and a __type', 400, { 'x-amzn-errortype': '' }, { __type: 'ResourceNotFoundException', message: 'gone' },
      'ResourceNotFoundException', 'gone'],
  ])('%s', async (_name, status, headers, body, name, message) => {
    handle = (_req, _body, res) => json(res, status, body, headers);
    const theirs = await failure(sdk().send(new GetAccountLinkCommand({ LinkId: 'link-1a2b3c4d' })));
    const mine = await failure(ours().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' }));
    expect({ name: theirs.name, message: theirs.message }).toEqual({ name, message });
    expect({ name: mine.name, message: mine.message }).toEqual({ name, message });
  });

  test('a 200 with an empty body is an output with no members, as the SDK reads it', async () => {
    handle = (_req, _body, res) => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end();
    const theirs = await sdk().send(new GetAccountLinkCommand({ LinkId: 'link-1a2b3c4d' }));
    expect(theirs.AccountLink).toBeUndefined();
    await expect(ours().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' })).resolves.toEqual({});
  });
});
