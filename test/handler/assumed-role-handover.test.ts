import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { HANDOVER_RESERVE_MS, READ_RESERVE_MS, RESPONSE_RESERVE_MS } from '../../lambda/time-budget';
import { InvokeRequest, LambdaInvokeEndpoint } from '../../local-aws/lambda-invoke-endpoint';
import { StsEndpoint } from '../../local-aws/sts-endpoint';
import { HANDLER_TIMEOUT } from '../../src/account-links-provider/handler-settings';
import { HANDOVER_KEY } from '../../src/contract';
import { link, TARGET_ACCOUNT } from '../support/links';
import { LocalCloud } from '../support/local-cloud';

// A gate that reads through an assumed role: STS throttled, or silent, as an invocation
// ends hands the wait over like WorkSpaces throttling does (the successor asks STS again),
// and a wait that ends while STS is silent fails saying so: never the deadline guard's
// "did not finish". Driven through the bundled handler, a process an invocation.

const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:links-handler';
const ROLE = `arn:aws:iam::${TARGET_ACCOUNT}:role/reader`;
const ASSUMED_KEY = 'ASIATARGETREADER';
/** Virtual time runs this much faster than real time (lambda-runtime.js). */
const SCALE = 10;
/** An invocation that may start reads for 2 s only: its first read is also its last. */
const SHORT_INVOCATION_MS = RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + READ_RESERVE_MS + 2_000;

// The assumed role's key is the target account's; the gate's link is one the target is on.
const cloud = LocalCloud.use(() => ({ links: [link(1, 'LINKED', TARGET_ACCOUNT)], accounts: { [ASSUMED_KEY]: TARGET_ACCOUNT } }));
let sts: StsEndpoint;
let lambdaEndpoint: LambdaInvokeEndpoint;
const invokes: InvokeRequest[] = [];

beforeAll(async () => {
  sts = await StsEndpoint.start(() => ASSUMED_KEY);
  lambdaEndpoint = await LambdaInvokeEndpoint.start((request) => {
    invokes.push(request);
  });
});
afterAll(async () => {
  await Promise.all([sts.close(), lambdaEndpoint.close()]);
});
afterEach(() => {
  invokes.length = 0;
  sts.reset();
});

const gate = (props: Record<string, unknown> = {}) => cloud.createEvent({
  LinkId: 'link-00000001', RequiredStatus: 'LINKED', WaitTimeoutSeconds: '600', PollIntervalSeconds: '5', AssumeRoleArn: ROLE, ...props,
});

/** A lookup through the role: no gate, no wait. */
const lookup = () => cloud.createEvent({ LinkId: 'link-00000001', AssumeRoleArn: ROLE });

/** One invocation of the bundled handler as FUNCTION_ARN, on a clock that starts at `startsAt` and runs SCALE times faster. */
async function run(payload: CloudFormationCustomResourceEvent | object, startsAt: number, remainingMs = HANDLER_TIMEOUT.toMilliseconds()) {
  const { log } = await cloud.invoke(payload, {
    remainingMs,
    clock: { startsAt, scale: SCALE },
    functionArn: FUNCTION_ARN,
    env: { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url, AWS_ENDPOINT_URL_STS: sts.url },
  });
  return log;
}

/** The hand-over the last invocation asked Lambda for, and its wait. */
function handedOver() {
  expect(invokes).toHaveLength(1);
  const payload = invokes[0].payload as any;
  return { payload, wait: payload[HANDOVER_KEY].wait as { nextReadAt: number; endsAt: number } };
}

const reasons = () => cloud.responses.responses.map((r) => r.body.Reason ?? '');

describe.each([
  ['never answers', 'hang' as const],
  ['throttles every call', 'throttle' as const],
])('STS %s at the end of an invocation', (_name, mode) => {
  test('the wait is handed over without an answer; the successor asks STS again and answers SUCCESS, once', async () => {
    sts.mode = mode;
    const startsAt = Date.now();
    const first = await run(gate(), startsAt, SHORT_INVOCATION_MS);

    expect(first).toMatchObject({ outcome: 'HANDED_OVER', reads: 0, invocation: 1 });
    expect(cloud.responses.responses).toHaveLength(0);
    expect(sts.faulted[mode]).toBeGreaterThanOrEqual(1);
    expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(0);

    // STS answers again by the time the successor reads.
    sts.mode = 'answer';
    const { payload, wait } = handedOver();
    const second = await run(payload, wait.nextReadAt);

    expect(second).toMatchObject({ outcome: 'SUCCESS', reads: 1, invocation: 2 });
    expect(cloud.responses.responses.map((r) => r.body.Status)).toEqual(['SUCCESS']);
    expect(cloud.emulator.callsTo('GetAccountLink').map((r) => r.accessKeyId)).toEqual([ASSUMED_KEY]);
    expect(invokes).toHaveLength(1);
  });
});

test('STS still silent when the wait ends: FAILED once, naming STS, the role and the read it was for', async () => {
  sts.mode = 'hang';
  const startsAt = Date.now();
  await run(gate(), startsAt, SHORT_INVOCATION_MS);
  const { payload, wait } = handedOver();

  // The successor comes just before the wait ends; STS is still silent.
  const last = await run(payload, wait.endsAt - 2_000);

  expect(last).toMatchObject({ outcome: 'FAILED', invocation: 2 });
  expect(reasons()).toEqual([expect.stringMatching(new RegExp(
    '^link link-00000001: could not be read when the wait ended, after 60\\d s \\(0 reads answered\\), so its status is not known to be LINKED: '
    + `GetAccountLink for link link-00000001 failed: STS AssumeRole of ${ROLE} got no answer in the [\\d.]+ s the call had \\(\\d attempts?`))]);
  expect(reasons()[0]).not.toMatch(/did not finish/);
  expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(0);
});

test('a lookup without a wait whose STS never answers: FAILED after a bounded number of attempts, naming STS and the role', async () => {
  sts.mode = 'hang';
  const log = await run(lookup(), Date.now());

  expect(log.outcome).toBe('FAILED');
  expect(reasons()).toEqual([
    `GetAccountLink for link link-00000001 failed: STS AssumeRole of ${ROLE} did not answer (4 attempts): no complete answer within 5000 ms`,
  ]);
  expect(sts.faulted.hang).toBe(4);
});

test('the deadline guard cuts off a silent STS call: the reason names it, and the read it was for', async () => {
  sts.mode = 'hang';
  // 1.5 s of work, then the budget's reserves.
  await run(lookup(), Date.now(), RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + 1_500);

  expect(reasons()).toEqual([expect.stringMatching(new RegExp('^the lookup did not finish within \\d+ s, before the function\'s timeout: '
    + `STS AssumeRole of ${ROLE}, for WorkSpaces GetAccountLink for link link-00000001 was still in flight$`))]);
});
