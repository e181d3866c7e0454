import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { CallPacer } from '../../core/call-pacer';
import { HttpRequestError } from '../../core/http-request';
import { ApiRetryOptions, NotAnApiAnswerError, WorkSpacesApiError, WorkSpacesClient } from '../../core/workspaces-client';
import { keepEnv } from '../support/env';

/** What the local endpoint answers, request by request; the last one repeats. */
interface Answer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Never answer (the connection stays open). */
  readonly silent?: boolean;
}

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let server: Server;
let answers: Answer[] = [];
let received: Received[] = [];
let endpoint: string;
const restoreEnv = keepEnv();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.length > 1 ? answers.shift()! : answers[0];
      if (answer.silent) return;
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/x-amz-json-1.1', ...answer.headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ENDPOINT_URL_WORKSPACES = endpoint;
});

afterAll(async () => {
  restoreEnv();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answers = [];
  received = [];
});

const KEYS = { accessKeyId: 'AKIDCLIENTTEST', secretAccessKey: 'secret' };
const FAST: ApiRetryOptions = {
  attempts: 4, baseDelayMs: 10, throttlingBaseDelayMs: 20, maxDelayMs: 100, attemptTimeoutMs: 1_000, throttledForMs: 1_000,
};
const LINK = { AccountLinkId: 'link-1a2b3c4d', AccountLinkStatus: 'LINKED', SourceAccountId: '111122223333', TargetAccountId: '444455556666' };

function client(retry = FAST, credentials: () => Promise<typeof KEYS & { expiration?: Date }> = async () => KEYS) {
  return new WorkSpacesClient({ region: 'eu-west-1', credentials, retry });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

test('an operation is one signed AWS JSON 1.1 POST; its answer comes back parsed', async () => {
  answers = [{ body: { AccountLink: LINK } }];
  const answer = await client().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' });

  expect(answer).toEqual({ AccountLink: LINK });
  expect(received).toHaveLength(1);
  const [{ headers, body }] = received;
  expect(JSON.parse(body)).toEqual({ LinkId: 'link-1a2b3c4d' });
  expect(headers['x-amz-target']).toBe('WorkspacesService.GetAccountLink');
  expect(headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDCLIENTTEST\/\d{8}\/eu-west-1\/workspaces\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/);
  // What arrived is what was signed: signing the received request again gives the same signature.
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(headers.authorization!)![1].split(';');
  const amzDate = String(headers['x-amz-date']);
  const resigned = await new SignatureV4({ service: 'workspaces', region: 'eu-west-1', credentials: KEYS, sha256: Sha256 }).sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    path: '/',
    query: {},
    body,
    headers: Object.fromEntries(signedHeaders.filter((h) => h !== 'x-amz-date').map((h) => [h, String(headers[h])])),
  }, { signingDate: new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`) });
  expect(resigned.headers.authorization).toBe(headers.authorization);
});

test('the endpoint is the Region\'s public one without an override', () => {
  delete process.env.AWS_ENDPOINT_URL_WORKSPACES;
  try {
    expect(new WorkSpacesClient({ region: 'eu-west-1', credentials: async () => KEYS }).endpoint).toBe('https://workspaces.eu-west-1.amazonaws.com');
    expect(new WorkSpacesClient({ region: 'cn-northwest-1', credentials: async () => KEYS }).endpoint).toBe('https://workspaces.cn-northwest-1.amazonaws.com.cn');
  } finally {
    process.env.AWS_ENDPOINT_URL_WORKSPACES = endpoint;
  }
});

test('a modeled error: its name without the namespace, its message and ResourceId; not retried', async () => {
  answers = [{
    status: 400,
    body: { __type: 'com.amazonaws.workspaces#ResourceNotFoundException', message: 'The resource could not be found.', ResourceId: 'link-1a2b3c4d' },
  }];
  const error = await failure(client().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' }));

  expect(error).toBeInstanceOf(WorkSpacesApiError);
  expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'The resource could not be found.', statusCode: 400, resourceId: 'link-1a2b3c4d' });
  expect(received).toHaveLength(1);
});

test('the error type header wins, with a URL after a colon, and a capitalised Message', async () => {
  answers = [{
    status: 400,
    headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/' },
    body: { Message: 'not authorized' },
  }];
  const error = await failure(client().send('ListAccountLinks', {}));

  expect(error).toMatchObject({ name: 'AccessDeniedException', message: 'not authorized' });
  expect(received).toHaveLength(1);
});

test.each([
  ['InternalServerException (HTTP 400)', { status: 400, body: { __type: 'InternalServerException', message: 'internal' } }],
  ['ThrottlingException', { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } }],
  ['HTTP 503', { status: 503, body: { __type: 'ServiceUnavailableException' } }],
  ['an HTML 502 from a proxy', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>' }],
])('%s is retried: success on the third attempt', async (_name, fault) => {
  answers = [fault, fault, { body: { AccountLinks: [] } }];
  await expect(client().send('ListAccountLinks', {})).resolves.toEqual({ AccountLinks: [] });
  expect(received).toHaveLength(3);
});

test('persistent InternalServerException: the last error after 4 attempts', async () => {
  answers = [{ status: 400, body: { __type: 'InternalServerException', message: 'internal' } }];
  const error = await failure(client().send('ListAccountLinks', {}));

  expect(error).toMatchObject({ name: 'InternalServerException', message: 'internal' });
  expect(received).toHaveLength(4);
});

test.each([
  ['an empty 404', { status: 404, headers: { 'content-type': '' }, body: '' }, 'HTTP 404 with no content type', 1],
  ['an HTML 502, every time', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html/>' }, 'HTTP 502 (text/html)', 4],
  ['a 200 that is not JSON', { status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' }, 'HTTP 200 (text/plain)', 1],
])('%s is not a WorkSpaces answer, and the error names the endpoint', async (_name, answer, what, attempts) => {
  answers = [answer];
  const error = await failure(client().send('GetAccountLink', { LinkId: 'link-1a2b3c4d' }));

  expect(error).toBeInstanceOf(NotAnApiAnswerError);
  expect(error.message).toBe(`${endpoint} answered ${what}, not a WorkSpaces API answer`);
  expect(received).toHaveLength(attempts);
});

test('an endpoint that never answers: every attempt times out, and the error names the endpoint', async () => {
  answers = [{ silent: true }];
  const error = await failure(client({ ...FAST, attempts: 2, attemptTimeoutMs: 200 }).send('GetAccountLink', { LinkId: 'link-1a2b3c4d' }));

  expect(error).toBeInstanceOf(HttpRequestError);
  expect(error.message).toBe(`no answer from ${endpoint} in 2 attempts: no complete answer within 200 ms`);
  expect(received).toHaveLength(2);
});

test('an abort stops the call in flight at once with the signal\'s reason, and nothing is retried', async () => {
  answers = [{ silent: true }];
  const controller = new AbortController();
  const reason = new Error('deadline');
  setTimeout(() => controller.abort(reason), 100);
  const started = Date.now();
  const error = await failure(client({ ...FAST, attemptTimeoutMs: 5_000 }).send('ListAccountLinks', {}, controller.signal));

  expect(error).toBe(reason);
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(received).toHaveLength(1);
});

test('credentials are fetched once per client, and again only when they near their expiry', async () => {
  answers = [{ body: { AccountLinks: [] } }];
  let fetched = 0;
  const lasting = client(FAST, async () => {
    fetched++;
    return { ...KEYS, expiration: new Date(Date.now() + 3_600_000) };
  });
  await lasting.send('ListAccountLinks', {});
  await lasting.send('ListAccountLinks', {});
  expect(fetched).toBe(1);

  let expiring = 0;
  const short = client(FAST, async () => {
    expiring++;
    return { ...KEYS, expiration: new Date(Date.now() + 60_000) };
  });
  await short.send('ListAccountLinks', {});
  await short.send('ListAccountLinks', {});
  expect(expiring).toBe(2);
});

test('a failed credential fetch fails the call and is tried again on the next one', async () => {
  answers = [{ body: { AccountLinks: [] } }];
  let calls = 0;
  const flaky = client(FAST, async () => {
    calls++;
    if (calls === 1) throw new Error('no credentials');
    return KEYS;
  });
  await expect(flaky.send('ListAccountLinks', {})).rejects.toThrow('no credentials');
  await expect(flaky.send('ListAccountLinks', {})).resolves.toEqual({ AccountLinks: [] });
  expect(received).toHaveLength(1);
});

test('beforeAttempt runs as each attempt leaves, after its turn with the pacer; its error is thrown as it is and no request leaves', async () => {
  const pacer = new CallPacer(4);
  const api = new WorkSpacesClient({ region: 'eu-west-1', credentials: async () => KEYS, retry: FAST, pacer });
  const throttled = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
  answers = [throttled, { body: { AccountLinks: [] } }];
  // The second call's turn comes 250 ms after the first's: its check runs then, not when it was asked for.
  const checks: number[] = [];
  await api.send('ListAccountLinks', {});
  const asked = Date.now();
  await api.send('ListAccountLinks', {}, undefined, undefined, async () => {
    checks.push(Date.now());
  });
  expect(received).toHaveLength(3);
  expect(checks).toHaveLength(1);
  expect(checks[0] - asked).toBeGreaterThanOrEqual(150);

  // A check that fails on the retry (the first attempt throttled): the retry never leaves.
  received = [];
  answers = [throttled];
  const fenced = new Error('no longer ours');
  let attempts = 0;
  const error = await failure(api.send('ListAccountLinks', {}, undefined, undefined, async () => {
    if (++attempts > 1) throw fenced;
  }));
  expect(error).toBe(fenced);
  expect(received).toHaveLength(1);
});
