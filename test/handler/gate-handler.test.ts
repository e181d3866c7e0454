import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { HANDOVER_RESERVE_MS, READ_RESERVE_MS, RESPONSE_RESERVE_MS } from '../../lambda/time-budget';
import { nextWholeSecond } from '../../local-aws/cloudformation/events';
import { InvokeRequest, LambdaInvokeEndpoint } from '../../local-aws/lambda-invoke-endpoint';
import { HANDOVER_KEY } from '../../src/contract';
import { EmulatedAccountLink } from '../../src/emulator/links-file';
import { link, TARGET_ACCOUNT } from '../support/links';
import { LocalCloud } from '../support/local-cloud';

const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:links-handler';

const cloud = LocalCloud.use(() => ({ links: [] }));
let lambdaEndpoint: LambdaInvokeEndpoint;
// The hand-overs the handler asked Lambda for, kept for the test to run.
const invokes: InvokeRequest[] = [];

beforeAll(async () => {
  lambdaEndpoint = await LambdaInvokeEndpoint.start((request) => {
    invokes.push(request);
  });
});
afterAll(async () => {
  await lambdaEndpoint.close();
});
afterEach(() => {
  invokes.length = 0;
});

const serve = (...links: EmulatedAccountLink[]) => cloud.reseed({ links });
const gateEvent = (props: Record<string, unknown>) => cloud.createEvent({ LinkId: 'link-00000001', RequiredStatus: 'LINKED', ...props });


/** Runs the handler (a CloudFormation event or a hand-over payload) as the function FUNCTION_ARN. */
async function run(payload: CloudFormationCustomResourceEvent | object, remainingMs?: number) {
  const { invocation, log } = await cloud.invoke(payload, {
    remainingMs, functionArn: FUNCTION_ARN, env: { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url },
  });
  return { ...invocation, log };
}

test('pending, then linked within the wait: SUCCESS after 3 reads', async () => {
  await serve({ ...link(1, PENDING, TARGET_ACCOUNT), StatusSequence: [PENDING, PENDING, 'LINKED'] });
  await nextWholeSecond();
  const { log } = await run(gateEvent({ WaitTimeoutSeconds: '10', PollIntervalSeconds: '1' }));

  expect(cloud.responses.responses).toHaveLength(1);
  expect(cloud.responses.responses[0].body).toMatchObject({ Status: 'SUCCESS', Data: { AccountLinkStatus: 'LINKED' } });
  expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(3);
  expect(log).toMatchObject({ outcome: 'SUCCESS', reads: 3, invocation: 1 });
});

test('pending past the timeout: FAILED with the last status and how long it waited', async () => {
  await serve(link(1, PENDING, TARGET_ACCOUNT));
  await nextWholeSecond();
  const { log } = await run(gateEvent({ WaitTimeoutSeconds: '2', PollIntervalSeconds: '1' }));

  expect(cloud.responses.responses).toHaveLength(1);
  expect(cloud.responses.responses[0].body.Status).toBe('FAILED');
  expect(cloud.responses.responses[0].body.Reason).toBe(
    `link link-00000001 is still ${PENDING} after waiting 2 s (3 reads), not LINKED: accept the invitation in account ${TARGET_ACCOUNT}`);
  expect(log.reads).toBe(3);
});

test('rejected: FAILED at once, after one API call, saying what to do', async () => {
  await serve(link(1, 'REJECTED', TARGET_ACCOUNT));
  await run(gateEvent({ WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' }));

  expect(cloud.responses.responses).toHaveLength(1);
  expect(cloud.responses.responses[0].body.Reason).toBe(
    `link link-00000001 is REJECTED, not LINKED: account ${TARGET_ACCOUNT} rejected the invitation: invite it again from account 111122223333`);
  expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(1);
});

test('pending without a wait: FAILED at once, naming the account that must accept', async () => {
  await serve(link(1, PENDING, TARGET_ACCOUNT));
  await run(gateEvent({}));

  expect(cloud.responses.responses[0].body.Reason).toBe(
    `link link-00000001 is ${PENDING}, not LINKED: accept the invitation in account ${TARGET_ACCOUNT} (or set waitTimeout to wait for it)`);
  expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(1);
});

test('a missing link: FAILED at once, without waiting', async () => {
  await serve(link(2, 'LINKED'));
  await run(gateEvent({ WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' }));

  expect(cloud.responses.responses[0].body.Reason).toMatch(/^GetAccountLink for link link-00000001 failed: ResourceNotFoundException/);
  expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(1);
});

test('a wait longer than the invocation is handed over to a second invocation, which answers once', async () => {
  await serve({ ...link(1, PENDING, TARGET_ACCOUNT), StatusSequence: [PENDING, PENDING, PENDING, PENDING, PENDING, 'LINKED'] });
  const event = gateEvent({ WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' });
  // The first invocation may start reads for 2.5 s: reads at 0, 1 and 2 s; the next read
  // falls after that, so it sleeps until its hand-over time and hands over.
  const remainingMs = RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + READ_RESERVE_MS + 2_500;
  const started = Date.now();

  const first = await run(event, remainingMs);
  expect(first.log).toMatchObject({ outcome: 'HANDED_OVER', reads: 3, invocation: 1 });
  expect(cloud.responses.responses).toHaveLength(0);
  expect(first.durationMs).toBeLessThan(remainingMs);
  expect(invokes).toHaveLength(1);
  const [invoke] = invokes;
  expect(invoke).toMatchObject({ functionName: FUNCTION_ARN, invocationType: 'Event', accessKeyId: 'AKIDTESTHANDLER' });
  const payload = invoke.payload as any;
  expect(payload[HANDOVER_KEY].event).toEqual(event);
  expect(payload[HANDOVER_KEY].wait).toMatchObject({ reads: 3, invocations: 2, startedAt: expect.any(Number) });

  // Run the captured invocation, as Lambda would.
  const second = await run(payload);
  const answeredAfterMs = Date.now() - started;
  expect(second.log).toMatchObject({ outcome: 'SUCCESS', reads: 6, invocation: 2 });
  expect(invokes).toHaveLength(1);
  expect(cloud.responses.responses).toHaveLength(1);
  expect(cloud.responses.responses[0].body).toMatchObject({ Status: 'SUCCESS', RequestId: event.RequestId, Data: { AccountLinkStatus: 'LINKED' } });
  expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(6);
  // The construct sets ServiceTimeout to the wait plus 180 s.
  const serviceTimeoutMs = (60 + 180) * 1000;
  expect(answeredAfterMs).toBeLessThan(serviceTimeoutMs);
  process.stdout.write(`hand-over: 2 invocations, 6 reads, answered after ${answeredAfterMs} ms of a ${serviceTimeoutMs} ms ServiceTimeout\n`);
});
