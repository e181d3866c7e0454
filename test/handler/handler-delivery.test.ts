import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { HANDOVER_LEAD_MS, HANDOVER_RESERVE_MS, MARGIN_MS, READ_RESERVE_MS, RESPONSE_RESERVE_MS } from '../../lambda/time-budget';
import { createEvent, nextWholeSecond } from '../../local-aws/cloudformation/events';
import { InvokeAnswer, InvokeRequest, LambdaInvokeEndpoint } from '../../local-aws/lambda-invoke-endpoint';
import { HANDLER_TIMEOUT } from '../../src/account-links-provider/handler-settings';
import { HANDOVER_KEY } from '../../src/contract';
import { EmulatedAccountLink } from '../../src/emulator/links-file';
import { link, TARGET_ACCOUNT } from '../support/links';
import { LocalCloud } from '../support/local-cloud';
import { ScriptedEndpoint } from '../support/scripted-endpoint';

// Exactly one answer under at-least-once delivery: the hand-over, duplicates, the response
// PUT and payloads that are not events, each driven through the bundled handler.

const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:links-handler';
const FUNCTION_TIMEOUT_MS = HANDLER_TIMEOUT.toMilliseconds();
/** Virtual time runs this much faster than real time in the long-wait tests (lambda-runtime.js). */
const SCALE = 40;
/** Lambda's delay between an accepted asynchronous Invoke and the invocation it starts. */
const DELIVERY_DELAY_MS = 1_000;

const cloud = LocalCloud.use(() => ({ links: [] }));
let lambdaEndpoint: LambdaInvokeEndpoint;
const invokes: InvokeRequest[] = [];
let invokeAnswer: InvokeAnswer | undefined;

beforeAll(async () => {
  lambdaEndpoint = await LambdaInvokeEndpoint.start((request) => {
    invokes.push(request);
    return invokeAnswer;
  });
});
afterAll(async () => {
  await lambdaEndpoint.close();
});
afterEach(() => {
  invokes.length = 0;
  invokeAnswer = undefined;
});

const serve = (...links: EmulatedAccountLink[]) => cloud.reseed({ links });

/** A gate event signed at `signedAt` (CloudFormation's request time). */
function gateEvent(props: Record<string, unknown>, signedAt = Date.now()): CloudFormationCustomResourceEvent {
  return createEvent({ LinkId: 'link-00000001', RequiredStatus: 'LINKED', ...props }, { responseUrl: cloud.responses.url('response', signedAt) });
}

interface RunOptions {
  readonly remainingMs?: number;
  readonly clock?: { readonly startsAt: number; readonly scale: number };
}

/** One invocation of the bundled handler as the function FUNCTION_ARN: its log line and wall time. */
async function run(payload: unknown, options: RunOptions = {}) {
  const { invocation, log } = await cloud.invoke(payload as object, {
    remainingMs: options.remainingMs ?? FUNCTION_TIMEOUT_MS,
    clock: options.clock,
    functionArn: FUNCTION_ARN,
    env: { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url },
  });
  return { ...invocation, log };
}

/**
 * Runs an event and every hand-over it leads to, as Lambda would, on a virtual clock that
 * starts at `startsAt`: returns each invocation's log line and the virtual time it ended.
 */
async function runChain(event: CloudFormationCustomResourceEvent, startsAt: number, maxInvocations = 60) {
  const queue: unknown[] = [event];
  const logs: any[] = [];
  let now = startsAt;
  while (queue.length > 0) {
    if (logs.length === maxInvocations) throw new Error(`more than ${maxInvocations} invocations: ${JSON.stringify(logs.slice(-3))}`);
    const before = invokes.length;
    const { log, durationMs } = await run(queue.shift(), { clock: { startsAt: now, scale: SCALE } });
    now += durationMs * SCALE;
    logs.push({ ...log, endedAt: now });
    now += DELIVERY_DELAY_MS;
    queue.push(...invokes.slice(before).map((request) => request.payload));
  }
  return logs;
}

describe('1. the hand-over uses each invocation\'s window', () => {
  test('a 20-minute wait with a 5-minute poll interval: one hand-over per invocation\'s window, 5 reads, one answer', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    const startsAt = Date.now();
    const waitSeconds = 20 * 60;
    const event = gateEvent({ WaitTimeoutSeconds: String(waitSeconds), PollIntervalSeconds: '300' }, startsAt);

    const logs = await runChain(event, startsAt);

    const last = logs[logs.length - 1];
    expect(last).toMatchObject({ outcome: 'FAILED', reads: 5 });
    expect(cloud.responses.responses.map((r) => r.body.Status)).toEqual(['FAILED']);
    // The last read is due when the wait ends; it comes late by at most a read reserve (no
    // read starts then) and the gap between two invocations.
    const waited = Number(/after waiting (\d+) s \(5 reads\)/.exec(cloud.responses.responses[0].body.Reason!)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(waitSeconds);
    expect(waited).toBeLessThanOrEqual(waitSeconds + READ_RESERVE_MS / 1000 + 10);
    expect(cloud.emulator.callsTo('GetAccountLink')).toHaveLength(5);
    // Every invocation but the last waited its whole window before it handed over.
    const window = FUNCTION_TIMEOUT_MS - RESPONSE_RESERVE_MS - HANDOVER_RESERVE_MS;
    for (const handedOver of logs.slice(0, -1)) {
      expect(handedOver.outcome).toBe('HANDED_OVER');
      // A little less than the window: the runtime's clock starts before the handler's own.
      expect(handedOver.durationMs).toBeGreaterThanOrEqual(window - HANDOVER_LEAD_MS - 2_000);
    }
    // About W / (one invocation's usable time), whatever the poll interval.
    const expected = (waitSeconds * 1000) / window;
    expect(logs.length).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
    expect(logs.length).toBeLessThanOrEqual(Math.ceil(expected) + 1);
    // The answer comes before the construct's ServiceTimeout (the wait + 180 s).
    expect(last.endedAt - startsAt).toBeLessThan((waitSeconds + 180) * 1000);
    process.stdout.write(`20-min wait, 5-min poll: ${logs.length} invocations, ${last.reads} reads, `
      + `answered ${Math.round((last.endedAt - startsAt) / 1000)} s after the request\n`);
  }, 120_000);

  test('an invocation too short to read even once answers FAILED instead of handing over', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    const { response } = await cloud.respond(gateEvent({ WaitTimeoutSeconds: '600', PollIntervalSeconds: '300' }), {
      remainingMs: RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + READ_RESERVE_MS / 2,
      functionArn: FUNCTION_ARN,
      env: { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url },
    });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^the wait cannot go on: this invocation ends too soon to read the link even once/);
    expect(invokes).toHaveLength(0);
  });
});

describe('2. a hand-over whose outcome is unknown is never contradicted', () => {
  const clock = () => ({ startsAt: Date.now(), scale: 10 });
  // The first invocation reads once, then the next read falls after its window: a short
  // one (2 s to start reads in), so that it hands over soon.
  const remainingMs = RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + READ_RESERVE_MS + 2_000;
  const longPoll = () => gateEvent({ WaitTimeoutSeconds: '600', PollIntervalSeconds: '300' });

  test('Lambda accepts the Invoke but its 202 comes after the client gave up: the attempt is not repeated, so one chain goes on '
    + 'and exactly one answer comes, from the successor', async () => {
    await serve({ ...link(1, PENDING, TARGET_ACCOUNT), StatusSequence: [PENDING, 'LINKED'] });
    // Real milliseconds: past the attempt timeout (5 s on the clock, 500 ms of real time at scale 10).
    invokeAnswer = { delayMs: 1_200 };
    const event = longPoll();

    const startsAt = Date.now();
    const first = await run(event, { clock: { startsAt, scale: 10 }, remainingMs });
    expect(first.log).toMatchObject({ outcome: 'HANDOVER_UNCONFIRMED', responseAttempts: 0 });
    expect(first.log.note).toMatch(/^no answer sent: Lambda may have accepted the hand-over \(Lambda Invoke failed: no complete answer within \d+ ms\)/);
    expect(cloud.responses.responses).toHaveLength(0);

    // Lambda runs every Invoke it accepted, as it does. (Retrying the attempt that timed out
    // started one chain per attempt, and each answered.) Each is delivered shortly before the
    // next read is due (300 s after the request): it reads LINKED and answers.
    invokeAnswer = undefined;
    const accepted = invokes.map((request) => request.payload);
    const successors = [];
    for (const payload of accepted) successors.push((await run(payload, { clock: { startsAt: startsAt + 295_000, scale: 10 } })).log);

    expect(cloud.responses.responses.map((r) => r.body.Status)).toEqual(['SUCCESS']);
    expect(successors).toEqual([expect.objectContaining({ outcome: 'SUCCESS', invocation: 2 })]);
    expect(first.log.invokeAttempts).toBe(1);
    expect(invokes).toHaveLength(1);
  });

  test('throttled (429) on every attempt: Lambda queued nothing, so this invocation answers FAILED at once, saying why', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    invokeAnswer = { status: 429 };

    const { log } = await run(longPoll(), { clock: clock(), remainingMs });

    expect(log).toMatchObject({ outcome: 'FAILED', invokeAttempts: 3, responseAttempts: 1 });
    expect(invokes).toHaveLength(3);
    expect(cloud.responses.responses.map((r) => [r.body.Status, r.body.Reason])).toEqual([['FAILED',
      'could not hand the wait over to a new invocation: Lambda throttled the Invoke (HTTP 429 TooManyRequestsException: Rate Exceeded.) '
      + 'on each of 3 attempts']]);
    // In time: within this invocation (its clock), not at the resource's ServiceTimeout (the wait + 180 s).
    expect(log.durationMs).toBeLessThan(remainingMs);
  });

  test('a 5xx: Lambda may have queued it, so the outcome stays unknown, the attempt is not repeated, nothing is sent', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    invokeAnswer = { status: 503 };

    const { log } = await run(longPoll(), { clock: clock(), remainingMs });

    expect(log).toMatchObject({ outcome: 'HANDOVER_UNCONFIRMED', invokeAttempts: 1 });
    expect(log.note).toContain('HTTP 503');
    expect(invokes).toHaveLength(1);
    expect(cloud.responses.responses).toHaveLength(0);
  });

  test('a definite refusal (403) answers FAILED, once, without retrying', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    invokeAnswer = { status: 403 };

    const { log } = await run(longPoll(), { clock: clock(), remainingMs });

    expect(log.outcome).toBe('FAILED');
    expect(invokes).toHaveLength(1);
    expect(cloud.responses.responses.map((r) => r.body.Reason)).toEqual([
      expect.stringMatching(/^could not hand the wait over to a new invocation: Lambda Invoke answered HTTP 403/),
    ]);
  });

  test('a Lambda endpoint that refuses the connection answers FAILED, once', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    const { invocation, log } = await cloud.invoke(longPoll(), {
      clock: clock(), remainingMs, functionArn: FUNCTION_ARN, env: { AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9' },
    });

    expect(log).toMatchObject({ outcome: 'FAILED', responseAttempts: 1 });
    expect(invocation.exitCode).toBe(0);
    expect(cloud.responses.responses.map((r) => r.body.Reason)).toEqual([
      expect.stringMatching(/^could not hand the wait over to a new invocation: Lambda Invoke failed: /),
    ]);
  });
});

describe('3. duplicate deliveries reach the same verdict on the same clock', () => {
  test('the same CloudFormation event delivered twice: the second copy does not restart the wait', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    await nextWholeSecond();
    const event = gateEvent({ WaitTimeoutSeconds: '3', PollIntervalSeconds: '1' });

    const first = await run(event);
    const second = await run(event);

    const [a, b] = cloud.responses.responses.map((r) => r.body);
    expect([a.Status, b.Status]).toEqual(['FAILED', 'FAILED']);
    expect(a.Reason).toMatch(/is still PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT after waiting 3 s \(4 reads\)/);
    // The wait ended 3 s after the request: the late copy reads once and answers at once.
    expect(second.log.reads).toBe(1);
    expect(b.Reason).toMatch(/is still PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT after waiting \d+ s \(1 read\)/);
    expect(second.durationMs).toBeLessThan(first.durationMs);
  });

  test('the same hand-over delivered twice: both copies carry the same clock and agree', async () => {
    await serve({ ...link(1, PENDING, TARGET_ACCOUNT), StatusSequence: [PENDING, 'LINKED'] });
    const startsAt = Date.now();
    await run(gateEvent({ WaitTimeoutSeconds: '600', PollIntervalSeconds: '300' }, startsAt), { clock: { startsAt, scale: SCALE } });
    const [handover] = invokes.map((request) => request.payload as any);
    expect(handover[HANDOVER_KEY].wait).toMatchObject({ startedAt: startsAt - (startsAt % 1000), endsAt: startsAt - (startsAt % 1000) + 600_000 });

    // Delivered shortly before the next read is due (300 s after the request).
    const later = startsAt + 290_000;
    await run(handover, { clock: { startsAt: later, scale: SCALE } });
    await run(handover, { clock: { startsAt: later + 5_000, scale: SCALE } });

    expect(cloud.responses.responses.map((r) => r.body.Status)).toEqual(['SUCCESS', 'SUCCESS']);
  });
});

describe('5. the response PUT never hangs', () => {
  test('the response URL answers 200, then drops the connection mid-body: the attempt fails and is retried', async () => {
    await serve(link(1, 'LINKED', TARGET_ACCOUNT));
    cloud.responses.failNext(1, 'drop-mid-body');

    const { log } = await run(gateEvent({}), { clock: { startsAt: Date.now(), scale: 10 } });

    expect(log).toMatchObject({ outcome: 'SUCCESS', responseAttempts: 2 });
    expect(log.responseError).toBeUndefined();
    expect(cloud.responses.rejected).toBe(1);
    expect(cloud.responses.responses).toHaveLength(1);
  });

  test('a response URL that always drops: every attempt is bounded, the invocation ends and logs the failure', async () => {
    await serve(link(1, 'LINKED', TARGET_ACCOUNT));
    cloud.responses.failNext(5, 'drop-mid-body');

    const { log, exitCode } = await run(gateEvent({}), { clock: { startsAt: Date.now(), scale: 10 } });

    expect(exitCode).toBe(0);
    expect(log).toMatchObject({ outcome: 'SUCCESS', responseAttempts: 5 });
    expect(log.responseError).toMatch(/the connection closed after HTTP 200 before the body ended/);
  });

  test('a response URL that never answers: five bounded attempts, then the log says so', async () => {
    await serve(link(1, 'LINKED', TARGET_ACCOUNT));
    cloud.responses.failNext(5, 'stall');

    const { log, exitCode } = await run(gateEvent({}), { clock: { startsAt: Date.now(), scale: 10 } });

    expect(exitCode).toBe(0);
    expect(log).toMatchObject({ responseAttempts: 5, responseError: 'no complete answer within 4000 ms' });
  });
});

describe('6. payloads that are not events are logged and dropped, never thrown', () => {
  const event = () => gateEvent({});
  test.each([
    ['null', () => null, 'the payload is null, not an object'],
    ['a string', () => 'Create', 'the payload is string, not an object'],
    ['an empty object', () => ({}), 'the payload is not a CloudFormation custom resource event (ResponseURL, StackId, RequestId, LogicalResourceId missing)'],
    ['a hand-over without its event', () => ({ [HANDOVER_KEY]: {} }), 'the hand-over payload has no CloudFormation event to answer'],
    ['a hand-over without its wait state', () => ({ [HANDOVER_KEY]: { event: event() } }), 'the hand-over payload\'s wait state is missing'],
  ])('%s', async (_name, payload, reason) => {
    const { log, exitCode } = await run(payload());

    expect(exitCode).toBe(0);
    expect(log).toEqual({ outcome: 'IGNORED', reason });
    expect(cloud.responses.responses).toHaveLength(0);
    expect(invokes).toHaveLength(0);
  });
});

describe('7. every path ends before the function times out', () => {
  test('a read that ends just before the work deadline, a slow refused hand-over and a response URL that never answers: '
    + 'the invocation still ends on its own and logs', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    const scale = 5;
    const remainingMs = 70_000;
    // The first read answers 29 s (virtual) after it starts: past the work deadline of this
    // budget (70 s − 49.5 s kept = 20.5 s), short of the response reserve (70 s − 29.5 s).
    const endpoint = await ScriptedEndpoint.start(cloud.emulator.endpoint,
      (operation) => (operation === 'GetAccountLink' ? { forwardAfterMs: 29_000 / scale } : undefined));
    // Lambda refuses the hand-over after 4.5 s (virtual), and the response URL never answers.
    invokeAnswer = { status: 403, delayMs: 4_500 / scale };
    cloud.responses.failNext(5, 'stall');
    try {
      const { invocation, log } = await cloud.invoke(gateEvent({ WaitTimeoutSeconds: '600', PollIntervalSeconds: '300' }), {
        remainingMs,
        clock: { startsAt: Date.now(), scale },
        functionArn: FUNCTION_ARN,
        workspacesEndpoint: endpoint.url,
        env: { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url },
      });

      // cloud.invoke checked that the process ended normally (exit 0), not at its timeout (124).
      expect(invocation.exitCode).toBe(0);
      expect(log).toMatchObject({ outcome: 'FAILED', responseAttempts: 5, responseError: 'no complete answer within 4000 ms' });
      expect(log.durationMs).toBeLessThan(remainingMs - MARGIN_MS);
    } finally {
      await endpoint.close();
    }
  }, 60_000);
});

describe('14. timers, listeners and wait states', () => {
  const now = Date.now();
  const wait = { startedAt: now, endsAt: now + 60_000, reads: 1, nextReadAt: now + 1_000, invocations: 2 };
  test.each([
    ['empty', {}, 'has no whole, non-negative startedAt, endsAt, reads, nextReadAt, invocations'],
    ['with a text clock', { ...wait, endsAt: 'soon' }, 'has no whole, non-negative endsAt'],
    ['lasting 30 days', { ...wait, endsAt: now + 30 * 86_400_000 }, `lasts ${30 * 86_400_000} ms, not 0 to 3600 s`],
    ['with its next read 25 days after its end', { ...wait, nextReadAt: now + 25 * 86_400_000 }, 'has its next read outside the wait'],
  ])('a hand-over whose wait state is %s is rejected without a read', async (_name, state, problem) => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    const { log } = await run({ [HANDOVER_KEY]: { event: gateEvent({ WaitTimeoutSeconds: '60', PollIntervalSeconds: '1' }), wait: state } });

    expect(log).toEqual({ outcome: 'IGNORED', reason: `the hand-over payload's wait state ${problem}` });
    expect(cloud.emulator.requests).toHaveLength(0);
  });

  test('twelve polls in one invocation leak no abort listeners (no MaxListenersExceededWarning)', async () => {
    await serve(link(1, PENDING, TARGET_ACCOUNT));
    // cloud.invoke asserts an empty stderr: node prints the warning there.
    const { log } = await run(gateEvent({ WaitTimeoutSeconds: '12', PollIntervalSeconds: '1' }), { clock: { startsAt: Date.now(), scale: 4 } });

    expect(log.outcome).toBe('FAILED');
    // 12 or 13: the wait starts at the request's signing time, a whole second.
    expect(log.reads).toBeGreaterThanOrEqual(12);
  });
});
