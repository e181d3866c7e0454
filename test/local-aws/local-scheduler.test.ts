import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Aws, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { AssemblyStack, Template } from '../../local-aws/cloudformation/cloud-assembly';
import { LocalCloudFormation } from '../../local-aws/cloudformation/local-cloudformation';
import { LocalLambda } from '../../local-aws/local-lambda';
import { LocalScheduler, SCHEDULER_CONTEXT } from '../../local-aws/local-scheduler';
import { ResponseServer } from '../../local-aws/response-server';
import { matchesPattern, targetInput } from '../../local-aws/scheduler/rule-delivery';
import { occurrencesBetween, parseScheduleExpression } from '../../local-aws/scheduler/schedule-expression';

// A function that answers CloudFormation with a physical id of its own and logs every other
// event it is invoked with (as the function's log records it): what the schedules sent.
const HANDLER = `
exports.handler = async (event) => {
  if (event.ResponseURL) {
    await fetch(event.ResponseURL, { method: 'PUT', body: JSON.stringify({
      Status: 'SUCCESS', PhysicalResourceId: 'targets-' + event.LogicalResourceId.toLowerCase(),
      StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
    }) });
    return;
  }
  console.log({ received: event });
};
`;

/**
 * A template as CDK writes it: a schedule whose input is the stack's JSON of a reconcile
 * request (Stack.toJsonString: Fn::Join around the custom resource's Ref and the stack id),
 * a rule on a rate with an input transformer, a rule of an event pattern, and one disabled
 * schedule.
 */
function template(): Template {
  const app = new App();
  const stack = new Stack(app, 'Scheduled');
  const fn = new CfnResource(stack, 'Function', { type: 'AWS::Lambda::Function', properties: { Handler: 'index.handler', Timeout: 30 } });
  fn.addMetadata('aws:asset:path', 'asset.probe');
  const role = new CfnResource(stack, 'Role', { type: 'AWS::IAM::Role', properties: {} });
  const targets = new CfnResource(stack, 'Targets', { type: 'Custom::Probe', properties: { ServiceToken: fn.getAtt('Arn') } });
  const request = {
    WorkSpacesAccountLinksReconcile: {
      stackId: Aws.STACK_ID,
      physicalResourceId: targets.ref,
      run: SCHEDULER_CONTEXT.SCHEDULED_TIME,
      time: SCHEDULER_CONTEXT.SCHEDULED_TIME,
      execution: SCHEDULER_CONTEXT.EXECUTION_ID,
      attempt: SCHEDULER_CONTEXT.ATTEMPT_NUMBER,
      schedule: SCHEDULER_CONTEXT.SCHEDULE_ARN,
    },
  };
  const schedule = (id: string, state: string) => new CfnSchedule(stack, id, {
    scheduleExpression: 'rate(60 minutes)',
    flexibleTimeWindow: { mode: 'OFF' },
    state,
    target: { arn: fn.getAtt('Arn').toString(), roleArn: role.getAtt('Arn').toString(), input: stack.toJsonString(request) },
  });
  schedule('Schedule', 'ENABLED');
  schedule('Paused', 'DISABLED');
  new CfnRule(stack, 'DailyRule', {
    scheduleExpression: 'rate(1 day)',
    targets: [{
      id: 'Target',
      arn: fn.getAtt('Arn').toString(),
      inputTransformer: { inputPathsMap: { id: '$.id', time: '$.time' }, inputTemplate: '{"run":<id>,"time":<time>,"text":"due at <time>","rule":"<aws.events.rule-arn>"}' },
    }],
  });
  new CfnRule(stack, 'AccountEventsRule', {
    eventPattern: { 'source': ['aws.organizations'], 'detail-type': ['AWS API Call via CloudTrail'], 'detail': { eventName: ['MoveAccount', 'CreateAccountResult'] } },
    targets: [{ id: 'Target', arn: fn.getAtt('Arn').toString(), inputTransformer: { inputPathsMap: { name: '$.detail.eventName', physical: '$.resources' }, inputTemplate: `{"event":<name>,"resource":"${targets.ref}"}` } }],
  });
  return app.synth().getStackByName('Scheduled').template;
}

let lambda: LocalLambda;
let responses: ResponseServer;
let cdkOut: string;
let progress: string[];
let cloudformation: LocalCloudFormation;
let scheduler: LocalScheduler;
const stack = (t: Template): AssemblyStack => ({ id: 'Scheduled', stackName: 'Scheduled', template: t, dependencies: [] });

beforeAll(async () => {
  cdkOut = mkdtempSync(path.join(tmpdir(), 'local-scheduler-'));
  mkdirSync(path.join(cdkOut, 'asset.probe'));
  writeFileSync(path.join(cdkOut, 'asset.probe', 'index.js'), HANDLER);
  [lambda, responses] = await Promise.all([LocalLambda.start(), ResponseServer.start()]);
});
afterAll(async () => {
  await lambda.close();
  await responses.close();
});
beforeEach(async () => {
  progress = [];
  cloudformation = new LocalCloudFormation(cdkOut, lambda, responses, (line) => progress.push(line));
  expect((await cloudformation.deploy(stack(template()))).status).toBe('CREATE_COMPLETE');
  scheduler = new LocalScheduler(cloudformation, lambda);
  lambda.records.length = 0;
});
afterEach(async () => {
  if (cloudformation.deployedStackNames().includes('Scheduled')) await cloudformation.destroy('Scheduled');
});

/** What the function received from schedules and rules, in order. */
const received = () => lambda.records.filter((r) => r.message?.received).map((r) => r.message.received);

test('a schedule of the deployed stack fires with its input resolved as deployed (the custom resource\'s physical id, the stack id) and the context attributes put in', async () => {
  expect(scheduler.schedules('Scheduled').map((s) => [s.logicalId, s.type, s.enabled])).toEqual([
    ['Schedule', 'AWS::Scheduler::Schedule', true],
    ['Paused', 'AWS::Scheduler::Schedule', false],
    ['DailyRule', 'AWS::Events::Rule', true],
    ['AccountEventsRule', 'AWS::Events::Rule', true],
  ]);
  const schedule = scheduler.schedule('Scheduled', 'Schedule');
  const at = new Date('2026-12-01T10:00:00.750Z');

  const deliveries = await scheduler.fire(schedule, { at });
  expect(deliveries).toHaveLength(1);
  const [payload] = received();
  expect(payload).toEqual(deliveries[0].payload);
  expect(payload).toEqual({
    WorkSpacesAccountLinksReconcile: {
      stackId: expect.stringMatching(/^arn:aws:cloudformation:eu-west-1:111122223333:stack\/Scheduled\/[0-9a-f-]{36}$/),
      physicalResourceId: 'targets-targets',
      run: '2026-12-01T10:00:00Z',
      time: '2026-12-01T10:00:00Z',
      execution: expect.stringMatching(/^[a-z0-9]{16}$/),
      attempt: '1',
      schedule: 'arn:aws:scheduler:eu-west-1:111122223333:schedule/default/Scheduled-Schedule',
    },
  });
  expect(deliveries[0]).toMatchObject({ source: 'Scheduled/Schedule', scheduledTime: '2026-12-01T10:00:00Z', attempt: 1, copy: 1 });
  expect(deliveries[0].functionArn).toMatch(/^arn:aws:lambda:eu-west-1:111122223333:function:Scheduled-Function$/);
}, 60_000);

test('an occurrence attempted twice by Scheduler and delivered twice by Lambda: the same scheduled time, an execution id an attempt', async () => {
  const deliveries = await scheduler.fire(scheduler.schedule('Scheduled', 'Schedule'), { at: new Date('2026-12-01T11:00:00Z'), attempts: 2, copies: 2 });

  const requests = received().map((p) => p.WorkSpacesAccountLinksReconcile);
  expect(requests).toHaveLength(4);
  expect(new Set(requests.map((r) => r.run))).toEqual(new Set(['2026-12-01T11:00:00Z']));
  expect(requests.map((r) => r.attempt).sort()).toEqual(['1', '1', '2', '2']);
  const executions = deliveries.map((d) => (d.payload as any).WorkSpacesAccountLinksReconcile.execution);
  expect(executions[0]).toBe(executions[1]);
  expect(executions[2]).toBe(executions[3]);
  expect(executions[0]).not.toBe(executions[2]);
}, 60_000);

test('advance() fast-forwards the clock, firing every occurrence due on the way in order, one run at a time; a disabled schedule fires nothing', async () => {
  const created = new Date(scheduler.schedule('Scheduled', 'Schedule').start);
  const deliveries = await scheduler.advance(2.5 * 3600_000);

  // rate(60 minutes): an hour after the schedule was created, and an hour later; the daily rule is not due yet.
  const iso = (ms: number) => `${new Date(created.getTime() + ms).toISOString().slice(0, 19)}Z`;
  expect(deliveries.map((d) => [d.source, d.scheduledTime])).toEqual([['Scheduled/Schedule', iso(3600_000)], ['Scheduled/Schedule', iso(7200_000)]]);
  expect(received().map((p) => p.WorkSpacesAccountLinksReconcile.time)).toEqual([iso(3600_000), iso(7200_000)]);
  expect(scheduler.now.getTime()).toBeGreaterThanOrEqual(created.getTime() + 2.5 * 3600_000 - 1000);
  expect(await scheduler.fire(scheduler.schedule('Scheduled', 'Paused'))).toEqual([]);

  // The next hour: one more; the clock moves on from where it was.
  expect((await scheduler.advance(3600_000)).map((d) => d.scheduledTime)).toEqual([iso(3 * 3600_000)]);
}, 60_000);

test('a scheduled rule invokes its target with its input transformer over the Scheduled Event; an event-pattern rule, with the events that match it', async () => {
  const at = new Date('2026-12-02T00:00:00Z');
  const [daily] = await scheduler.fire(scheduler.schedule('Scheduled', 'DailyRule'), { at });
  expect(daily.payload).toEqual({
    run: expect.stringMatching(/^[0-9a-f-]{36}$/),
    time: '2026-12-02T00:00:00Z',
    text: 'due at 2026-12-02T00:00:00Z',
    rule: 'arn:aws:events:eu-west-1:111122223333:rule/Scheduled-DailyRule',
  });

  const moved = await scheduler.sendEvent('Scheduled', { 'source': 'aws.organizations', 'detail-type': 'AWS API Call via CloudTrail', 'detail': { eventName: 'MoveAccount' } });
  expect(moved.map((d) => [d.source, d.payload])).toEqual([['Scheduled/AccountEventsRule', { event: 'MoveAccount', resource: 'targets-targets' }]]);
  const other = await scheduler.sendEvent('Scheduled', { 'source': 'aws.organizations', 'detail-type': 'AWS API Call via CloudTrail', 'detail': { eventName: 'TagResource' } });
  expect(other).toEqual([]);
  expect(received()).toEqual([daily.payload, { event: 'MoveAccount', resource: 'targets-targets' }]);
}, 60_000);

test('destroying the stack deletes its schedules and rules before the custom resource they refer to: nothing fires any more', async () => {
  const schedule = scheduler.schedule('Scheduled', 'Schedule');
  await cloudformation.destroy('Scheduled');

  const deleted = progress.findIndex((line) => line === 'Scheduled: AWS::Scheduler::Schedule Schedule deleted');
  const resourceDeleted = progress.findIndex((line) => line.startsWith('Scheduled: DELETE_COMPLETE Targets'));
  expect(deleted).toBeGreaterThan(-1);
  expect(resourceDeleted).toBeGreaterThan(deleted);
  expect(scheduler.schedules('Scheduled')).toEqual([]);
  await expect(scheduler.fire(schedule)).rejects.toThrow('Scheduled/Schedule no longer exists: its stack was destroyed');
  expect(await scheduler.advance(3 * 3600_000)).toEqual([]);
  expect(received()).toEqual([]);
}, 60_000);

test('schedule expressions: rate and at, as the services write them; a rate\'s times are every interval after it starts', () => {
  expect(parseScheduleExpression('rate(60 minutes)')).toMatchObject({ kind: 'rate', everyMs: 3600_000 });
  expect(parseScheduleExpression('rate(1 hour)')).toMatchObject({ kind: 'rate', everyMs: 3600_000 });
  expect(parseScheduleExpression('rate(2 days)')).toMatchObject({ kind: 'rate', everyMs: 2 * 86_400_000 });
  expect(parseScheduleExpression('at(2026-12-01T10:00:00)')).toMatchObject({ kind: 'at', time: new Date('2026-12-01T10:00:00Z') });
  expect(parseScheduleExpression('cron(0 12 * * ? *)')).toMatchObject({ kind: 'cron' });
  expect(() => parseScheduleExpression('rate(1 hours)')).toThrow('a rate of 1 takes a singular unit, any other a plural');
  expect(() => parseScheduleExpression('rate(5 minute)')).toThrow('a rate of 1 takes a singular unit');
  expect(() => parseScheduleExpression('every hour')).toThrow('is neither rate(value unit), at(yyyy-mm-ddThh:mm:ss) nor cron(...)');

  const start = new Date('2026-12-01T10:00:00Z');
  const hourly = parseScheduleExpression('rate(1 hour)');
  const times = (from: string, to: string) => occurrencesBetween(hourly, start, new Date(from), new Date(to)).map((t) => t.toISOString());
  expect(times('2026-12-01T09:00:00Z', '2026-12-01T12:00:00Z')).toEqual(['2026-12-01T11:00:00.000Z', '2026-12-01T12:00:00.000Z']);
  expect(times('2026-12-01T11:00:00Z', '2026-12-01T12:30:00Z')).toEqual(['2026-12-01T12:00:00.000Z']);
  expect(times('2026-12-01T11:30:00Z', '2026-12-01T11:59:59Z')).toEqual([]);
});

test('rule inputs: constant, a path, a transformer (a variable\'s JSON outside a string, its text inside one); patterns match values and nested objects', () => {
  const event = {
    'version': '0',
    'id': 'e-1',
    'detail-type': 'd',
    'source': 's',
    'account': '111122223333',
    'time': '2026-12-01T10:00:00Z',
    'region': 'eu-west-1',
    'resources': ['r'],
    'detail': { eventName: 'MoveAccount', count: 3 },
  };
  const rule = { arn: 'arn:aws:events:eu-west-1:111122223333:rule/r', name: 'r' };
  expect(targetInput({ Arn: 'f', Id: 't', Input: '{"a":1}' }, event, rule)).toEqual({ a: 1 });
  expect(targetInput({ Arn: 'f', Id: 't', InputPath: '$.detail' }, event, rule)).toEqual(event.detail);
  expect(targetInput({ Arn: 'f', Id: 't' }, event, rule)).toEqual(event);
  expect(targetInput({
    Arn: 'f', Id: 't', InputTransformer: { InputPathsMap: { n: '$.detail.count', name: '$.detail.eventName' }, InputTemplate: '{"n":<n>,"s":"<name> x<n>","q":"a \\"<name>\\"","kept":"<unknown>"}' },
  }, event, rule)).toEqual({ n: 3, s: 'MoveAccount x3', q: 'a "MoveAccount"', kept: '<unknown>' });

  expect(matchesPattern({ source: ['s', 'other'], detail: { eventName: ['MoveAccount'] } }, event)).toBe(true);
  expect(matchesPattern({ resources: ['r'] }, event)).toBe(true);
  expect(matchesPattern({ detail: { eventName: ['CreateAccountResult'] } }, event)).toBe(false);
  expect(matchesPattern({ detail: { missing: ['x'] } }, event)).toBe(false);
  expect(() => matchesPattern({ source: [{ prefix: 's' }] }, event)).toThrow('content filters');
});
