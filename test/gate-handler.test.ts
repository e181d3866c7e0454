import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { HANDOVER_RESERVE_MS } from '../lambda/index';
import { RESPONSE_RESERVE_MS } from '../lambda/send-response';
import { HANDOVER_KEY } from '../src/contract';
import { invokeBundledHandler } from './support/bundled-handler';
import { createEvent } from './support/events';
import { LambdaEndpoint } from './support/lambda-endpoint';
import { link, TARGET_ACCOUNT } from './support/links';
import { AccountLinksEmulator } from '../src/emulator/emulator';
import { EmulatedAccountLink } from '../src/emulator/links-file';
import { ResponseServer } from '../src/emulator/response-server';

const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:links-handler';

let emulator: AccountLinksEmulator;
let responses: ResponseServer;
let lambdaEndpoint: LambdaEndpoint;

beforeAll(async () => {
  responses = await ResponseServer.start();
  lambdaEndpoint = await LambdaEndpoint.start();
});
afterAll(async () => {
  await responses.close();
  await lambdaEndpoint.close();
});
afterEach(async () => {
  await emulator?.close();
  responses.responses.length = 0;
  lambdaEndpoint.invokes.length = 0;
});

async function serve(...links: EmulatedAccountLink[]) {
  emulator = await AccountLinksEmulator.start({ links });
}

const gateEvent = (props: Record<string, unknown>) =>
  createEvent({ LinkId: 'link-00000001', RequiredStatus: 'LINKED', ...props }, { responseUrl: responses.url() });

async function run(payload: CloudFormationCustomResourceEvent | object, remainingMs?: number) {
  const invocation = await invokeBundledHandler(payload, {
    workspacesEndpoint: emulator.endpoint,
    remainingMs,
    functionArn: FUNCTION_ARN,
    env: { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url },
  });
  expect({ exitCode: invocation.exitCode, stderr: invocation.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return { ...invocation, log: JSON.parse(invocation.logs[invocation.logs.length - 1]) };
}

test('pending, then linked within the wait: SUCCESS after 3 reads', async () => {
  await serve({ ...link(1, PENDING, TARGET_ACCOUNT), StatusSequence: [PENDING, PENDING, 'LINKED'] });
  const { log } = await run(gateEvent({ WaitTimeoutSeconds: '10', PollIntervalSeconds: '1' }));

  expect(responses.responses).toHaveLength(1);
  expect(responses.responses[0].body).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkStatus: 'LINKED' } });
  expect(emulator.callsTo('GetAccountLink')).toHaveLength(3);
  expect(log).toMatchObject({ outcome: 'SUCCESS', reads: 3, invocation: 1 });
});

test('pending past the timeout: FAILED with the last status and how long it waited', async () => {
  await serve(link(1, PENDING, TARGET_ACCOUNT));
  const { log } = await run(gateEvent({ WaitTimeoutSeconds: '2', PollIntervalSeconds: '1' }));

  expect(responses.responses).toHaveLength(1);
  expect(responses.responses[0].body.Status).toBe('FAILED');
  expect(responses.responses[0].body.Reason).toBe(
    `link link-00000001 is still ${PENDING} after waiting 2 s (3 reads), not LINKED: accept the invitation in account ${TARGET_ACCOUNT}`);
  expect(log.reads).toBe(3);
});

test('rejected: FAILED at once, after one API call, saying what to do', async () => {
  await serve(link(1, 'REJECTED', TARGET_ACCOUNT));
  await run(gateEvent({ WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' }));

  expect(responses.responses).toHaveLength(1);
  expect(responses.responses[0].body.Reason).toBe(
    `link link-00000001 is REJECTED, not LINKED: account ${TARGET_ACCOUNT} rejected the invitation: invite it again from account 111122223333`);
  expect(emulator.callsTo('GetAccountLink')).toHaveLength(1);
});

test('pending without a wait: FAILED at once, naming the account that must accept', async () => {
  await serve(link(1, PENDING, TARGET_ACCOUNT));
  await run(gateEvent({}));

  expect(responses.responses[0].body.Reason).toBe(
    `link link-00000001 is ${PENDING}, not LINKED: accept the invitation in account ${TARGET_ACCOUNT} (or set waitTimeout to wait for it)`);
  expect(emulator.callsTo('GetAccountLink')).toHaveLength(1);
});

test('a missing link: FAILED at once, without waiting', async () => {
  await serve(link(2, 'LINKED'));
  await run(gateEvent({ WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' }));

  expect(responses.responses[0].body.Reason).toMatch(/^GetAccountLink for link link-00000001 failed: ResourceNotFoundException/);
  expect(emulator.callsTo('GetAccountLink')).toHaveLength(1);
});

test('a wait longer than the invocation is handed over to a second invocation, which answers once', async () => {
  await serve({ ...link(1, PENDING, TARGET_ACCOUNT), StatusSequence: [PENDING, PENDING, PENDING, PENDING, PENDING, 'LINKED'] });
  const event = gateEvent({ WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' });
  // The first invocation has 2.5 s to wait in: reads at 0, 1 and 2 s, then the next read
  // would fall after its hand-over point.
  const remainingMs = RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + 2_500;
  const started = Date.now();

  const first = await run(event, remainingMs);
  expect(first.log).toMatchObject({ outcome: 'HANDED_OVER', reads: 3, invocation: 1 });
  expect(responses.responses).toHaveLength(0);
  expect(first.durationMs).toBeLessThan(remainingMs);
  expect(lambdaEndpoint.invokes).toHaveLength(1);
  const [invoke] = lambdaEndpoint.invokes;
  expect(invoke).toMatchObject({ functionName: FUNCTION_ARN, invocationType: 'Event', accessKeyId: 'AKIDTESTHANDLER' });
  expect(invoke.payload[HANDOVER_KEY].event).toEqual(event);
  expect(invoke.payload[HANDOVER_KEY].wait).toMatchObject({ reads: 3, invocations: 2, startedAt: expect.any(Number) });

  // Run the captured invocation, as Lambda would.
  const second = await run(invoke.payload);
  const answeredAfterMs = Date.now() - started;
  expect(second.log).toMatchObject({ outcome: 'SUCCESS', reads: 6, invocation: 2 });
  expect(lambdaEndpoint.invokes).toHaveLength(1);
  expect(responses.responses).toHaveLength(1);
  expect(responses.responses[0].body).toMatchObject({ Status: 'SUCCESS', RequestId: event.RequestId, Data: { AccountLinkStatus: 'LINKED' } });
  expect(emulator.callsTo('GetAccountLink')).toHaveLength(6);
  // The construct sets ServiceTimeout to the wait plus 180 s.
  const serviceTimeoutMs = (60 + 180) * 1000;
  expect(answeredAfterMs).toBeLessThan(serviceTimeoutMs);
  process.stdout.write(`hand-over: 2 invocations, 6 reads, answered after ${answeredAfterMs} ms of a ${serviceTimeoutMs} ms ServiceTimeout\n`);
});

test('a hand-over that Lambda refuses answers FAILED, once', async () => {
  await serve(link(1, PENDING, TARGET_ACCOUNT));
  const invocation = await invokeBundledHandler(gateEvent({ WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' }), {
    workspacesEndpoint: emulator.endpoint,
    remainingMs: RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + 500,
    functionArn: FUNCTION_ARN,
    env: { AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9' },
  });

  expect(invocation.exitCode).toBe(0);
  expect(responses.responses).toHaveLength(1);
  expect(responses.responses[0].body.Reason).toMatch(/^could not hand the wait over to a new invocation: /);
});
