import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { handler } from '../../lambda/index';
import { HANDOVER_RESERVE_MS, READ_RESERVE_MS, RESPONSE_RESERVE_MS } from '../../lambda/time-budget';
import { createEvent } from '../../local-aws/cloudformation/events';
import { InvokeAnswer, InvokeRequest, LambdaInvokeEndpoint } from '../../local-aws/lambda-invoke-endpoint';
import { ResponseServer, SIGNATURE } from '../../local-aws/response-server';
import { HANDOVER_KEY, ResourceType } from '../../src/contract';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { keepEnv } from '../support/env';
import { link, TARGET_ACCOUNT } from '../support/links';

// The entry point in process (the end-to-end tests run the bundle in child processes):
// the answer through the response endpoint, the hand-over through the Invoke endpoint.
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:links-handler';
/** Time left in an invocation that may start reads for half a second only, then hands over. */
const SHORT_INVOCATION_MS = RESPONSE_RESERVE_MS + HANDOVER_RESERVE_MS + READ_RESERVE_MS + 500;
const restoreEnv = keepEnv();
let emulator: AccountLinksEmulator;
let responses: ResponseServer;
let lambda: LambdaInvokeEndpoint;
let invokes: InvokeRequest[];
let invokeAnswer: InvokeAnswer;
let logs: string[];
let levels: string[];

beforeEach(async () => {
  emulator = await AccountLinksEmulator.start({ links: [link(1, 'LINKED', TARGET_ACCOUNT), link(2, 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT')] });
  responses = await ResponseServer.start();
  invokes = [];
  invokeAnswer = { status: 202 };
  lambda = await LambdaInvokeEndpoint.start((request) => {
    invokes.push(request);
    return invokeAnswer;
  });
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDFUNCTION',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_WORKSPACES: emulator.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
  });
  delete process.env.AWS_SESSION_TOKEN;
  logs = [];
  levels = [];
  // In process the log format is text (no AWS_LAMBDA_LOG_FORMAT): the handler writes JSON strings.
  for (const [method, level] of [['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR']] as const) {
    jest.spyOn(console, method).mockImplementation((line?: any) => {
      logs.push(line);
      levels.push(level);
    });
  }
});

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all([emulator.close(), responses.close(), lambda.close()]);
  restoreEnv();
});

function context(remainingMs: number): Context {
  const deadline = Date.now() + remainingMs;
  return { invokedFunctionArn: FUNCTION_ARN, getRemainingTimeInMillis: () => deadline - Date.now() } as Context;
}

const event = (properties: Record<string, unknown>): CloudFormationCustomResourceEvent =>
  createEvent(properties, { responseUrl: responses.url(), resourceType: ResourceType.ACCOUNT_LINK });
const logLine = () => JSON.parse(logs[logs.length - 1]);

test('a lookup: one answer, PUT to the response URL, and one log line without the URL', async () => {
  const e = event({ LinkId: 'link-00000001' });
  await handler(e, context(120_000));

  expect(responses.responses.map((r) => r.body)).toEqual([expect.objectContaining({ Status: 'SUCCESS', RequestId: e.RequestId, PhysicalResourceId: 'LinkId=link-00000001' })]);
  expect(logLine()).toMatchObject({ outcome: 'SUCCESS', apiCalls: 1, responseAttempts: 1, physicalResourceId: 'LinkId=link-00000001' });
  expect(levels).toEqual(['INFO']);
  expect(logs.join('\n')).not.toContain(SIGNATURE);
});

test('a response endpoint that answers 503 twice: the third PUT gets through', async () => {
  responses.failNext(2);
  await handler(event({ LinkId: 'link-00000001' }), context(120_000));

  expect(responses.responses).toHaveLength(1);
  expect(logLine()).toMatchObject({ outcome: 'SUCCESS', responseAttempts: 3 });
}, 20_000);

test('a wait longer than the invocation: handed over to a new invocation, and no answer from this one', async () => {
  // Half a second to start reads in: the budget keeps what the answer and the hand-over
  // need after the work, and the last read starts a read's reserve before its end; so this
  // invocation reads once and hands over after 9.5 s.
  const e = event({ LinkId: 'link-00000002', RequiredStatus: 'LINKED', WaitTimeoutSeconds: '600', PollIntervalSeconds: '60' });
  await handler(e, context(SHORT_INVOCATION_MS));

  expect(responses.responses).toEqual([]);
  expect(invokes).toHaveLength(1);
  expect(invokes[0]).toMatchObject({ functionName: FUNCTION_ARN, invocationType: 'Event', accessKeyId: 'AKIDFUNCTION' });
  expect((invokes[0].payload as any)[HANDOVER_KEY]).toMatchObject({ event: e, wait: { reads: 1, invocations: 2 } });
  expect(logLine()).toMatchObject({ outcome: 'HANDED_OVER', reads: 1, invokeAttempts: 1 });
  expect(levels).toEqual(['INFO']);
}, 30_000);

test('a hand-over Lambda refuses (403): this invocation answers FAILED, saying why', async () => {
  invokeAnswer = { status: 403 };
  const e = event({ LinkId: 'link-00000002', RequiredStatus: 'LINKED', WaitTimeoutSeconds: '600', PollIntervalSeconds: '60' });
  await handler(e, context(SHORT_INVOCATION_MS));

  expect(responses.responses.map((r) => r.body)).toEqual([expect.objectContaining({
    Status: 'FAILED',
    Reason: expect.stringMatching(/^could not hand the wait over to a new invocation: Lambda Invoke answered HTTP 403/),
  })]);
  // A failure is an ERROR: a log level of WARN still shows it.
  expect({ outcome: logLine().outcome, levels }).toEqual({ outcome: 'FAILED', levels: ['ERROR'] });
}, 30_000);

test('a payload that is not an event: logged as IGNORED, nothing sent', async () => {
  await handler({ hello: 'world' }, context(120_000));

  expect(responses.responses).toEqual([]);
  expect(invokes).toEqual([]);
  expect(logLine()).toMatchObject({ outcome: 'IGNORED' });
  expect(levels).toEqual(['WARN']);
});
