import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { idOf, joined, onlyId, requestOf, transformed } from './reconcile-support';
import { AccountLink, AccountLinkTargets, AccountLinkTargetsProps } from '../../../src';
import { SCHEDULED_TIME } from '../../../src/account-link-targets/reconcile-schedule';
import { nagApp } from '../../support/nag';

const ACCOUNT = '111122223333';
const OU = 'ou-ab12-34cd56ef';
const FUNCTION = /^WorkSpacesAccountLinksHandlerFunction[0-9A-F]{8}$/;

const stackIn = (region: string | undefined = 'eu-west-1', app: App = nagApp()) => new Stack(app, 'Source', {
  env: region === undefined ? undefined : { account: ACCOUNT, region },
});

function targetsIn(stack: Stack, props: Partial<AccountLinkTargetsProps> = {}, id = 'Targets'): AccountLinkTargets {
  return new AccountLinkTargets(stack, id, { organizationalUnitIds: [OU], reconcileEvery: Duration.minutes(30), ...props });
}

/** The roles Scheduler may assume, by logical id. */
function schedulerRoles(template: Template): Record<string, any> {
  return template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })]) } },
  });
}

describe('reconcileEvery: an EventBridge Scheduler schedule', () => {
  test('it invokes the provider function at the rate, with a reconcile request for the resource at the scheduled time', () => {
    const stack = stackIn();
    targetsIn(stack);
    const template = Template.fromStack(stack);
    const resource = onlyId(template, 'Custom::WorkSpacesAccountLinkTargets');
    const ledger = onlyId(template, 'AWS::DynamoDB::Table');

    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule')) as any[];
    expect(template.findResources('AWS::Scheduler::Schedule')).toEqual({ [idOf(stack, 'Targets/ReconcileSchedule')]: expect.anything() });
    expect(schedule.Properties).toEqual({
      Description: expect.any(String),
      ScheduleExpression: 'rate(30 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [expect.stringMatching(FUNCTION), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [Object.keys(schedulerRoles(template))[0], 'Arn'] },
        Input: expect.anything(),
        // Retries end when the next occurrence is due.
        RetryPolicy: { MaximumEventAgeInSeconds: 1800 },
      },
    });
    // The Input is a reconcile request: the resource by its Ref (so the schedule is created after the resource and
    // deleted before it), its stack and ledger, and the scheduled time as both the run and the time.
    expect(requestOf(joined(schedule.Properties.Target.Input))).toEqual({
      stackId: '${AWS::StackId}',
      logicalResourceId: resource,
      physicalResourceId: `\${${resource}}`,
      ledgerTable: `\${${ledger}}`,
      run: SCHEDULED_TIME,
      time: SCHEDULED_TIME,
      trigger: 'schedule',
    });
    expect(SCHEDULED_TIME).toBe('<aws.scheduler.scheduled-time>');
  });

  test('its role: trusted by Scheduler for this account\'s default schedule group, allowed one thing: to invoke the function', () => {
    const stack = stackIn();
    targetsIn(stack);
    const template = Template.fromStack(stack);
    const roles = schedulerRoles(template);
    expect(Object.keys(roles)).toHaveLength(1);
    const [roleId, role] = Object.entries(roles)[0];

    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnEquals: {
          'aws:SourceArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':schedule-group/default']],
          },
        },
      },
    }]);
    // No inline policy, no managed policy of AWS's; of the stack's policies, exactly one is the role's, with one statement.
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const policies = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter(([, p]: [string, any]) => JSON.stringify(p.Properties.Roles).includes(roleId));
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0] as [string, any];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(FUNCTION), 'Arn'] } },
    ]);
    // The schedule fires only once its role may invoke the function.
    template.hasResource('AWS::Scheduler::Schedule', { DependsOn: [policyId] });
  });

  test('one role per provider: two resources, two schedules, one role', () => {
    const stack = stackIn();
    targetsIn(stack, {}, 'A');
    targetsIn(stack, { reconcileEvery: Duration.hours(6) }, 'B');
    const template = Template.fromStack(stack);

    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as any[];
    expect(schedules.map((s) => s.Properties.ScheduleExpression).sort()).toEqual(['rate(30 minutes)', 'rate(360 minutes)']);
    expect(Object.keys(schedulerRoles(template))).toHaveLength(1);
    expect(new Set(schedules.map((s) => JSON.stringify(s.Properties.Target.RoleArn))).size).toBe(1);
    // Each schedule names its own resource.
    expect(schedules.map((s) => requestOf(joined(s.Properties.Target.Input)).logicalResourceId).sort())
      .toEqual([idOf(stack, 'A/Resource'), idOf(stack, 'B/Resource')].sort());
  });

  test('without reconcileEvery: no schedule, no rule, no Scheduler role', () => {
    const stack = stackIn();
    new AccountLinkTargets(stack, 'Targets', { organizationalUnitIds: [OU] });
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(schedulerRoles(template)).toEqual({});
  });

  test.each([
    ['the shortest interval', Duration.minutes(15), 'rate(15 minutes)', 900],
    ['a day, the longest', Duration.days(1), 'rate(1440 minutes)', 86400],
    ['hours, in whole minutes', Duration.hours(2), 'rate(120 minutes)', 7200],
  ])('%s: %s', (_name, every, expression, maxAge) => {
    const stack = stackIn();
    targetsIn(stack, { reconcileEvery: every });
    Template.fromStack(stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: expression, Target: { RetryPolicy: { MaximumEventAgeInSeconds: maxAge } },
    });
  });

  test.each([
    ['shorter than 15 minutes', Duration.minutes(14), /reconcileEvery \(14 minutes\) must be a whole number of minutes from 15 to 1440 \(a day\)$/],
    ['longer than a day', Duration.minutes(1441), /reconcileEvery \(1 day 1 minute\) must be a whole number of minutes from 15 to 1440/],
    ['not whole minutes', Duration.seconds(930), /reconcileEvery \(15 minutes 30 seconds\) must be a whole number of minutes/],
    ['a fraction of a minute', Duration.minutes(15.5), /reconcileEvery \(15 minutes 30 seconds\) must be a whole number of minutes/],
    ['not a Duration', 30, /reconcileEvery must be a Duration \(such as Duration\.minutes\(10\)\), got 30$/],
  ])('%s: a synth error that says what is allowed', (_name, every, message) => {
    const stack = stackIn();
    expect(() => targetsIn(stack, { reconcileEvery: every as Duration })).toThrow(message);
    expect(() => targetsIn(stackIn(), { reconcileEvery: every as Duration })).toThrow(/^AccountLinkTargets Source\/Targets: /);
  });

  test('an interval known only at deploy time: a synth error (it sets the schedule and the metrics\' period)', () => {
    const stack = stackIn();
    const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' }).valueAsNumber;
    expect(() => targetsIn(stack, { reconcileEvery: Duration.minutes(minutes) })).toThrow(/reconcileEvery must be known at synth/);
  });

  test.each([
    ['the China Regions', 'cn-north-1'],
    ['AWS GovCloud (US)', 'us-gov-west-1'],
    ['a stack of no Region', undefined],
  ])('%s: the Scheduler schedule too', (_name, region) => {
    const stack = stackIn(region);
    targetsIn(stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.resourceCountIs('AWS::Events::Rule', 0);
  });
});

describe('reconcileEvery where the partition has no EventBridge Scheduler: an EventBridge rule', () => {
  const stack = stackIn('us-iso-east-1', new App());
  targetsIn(stack);
  const template = Template.fromStack(stack);
  const resource = onlyId(template, 'Custom::WorkSpacesAccountLinkTargets');
  const [ruleId, rule] = Object.entries(template.findResources('AWS::Events::Rule'))[0] as [string, any];

  test('no schedule and no Scheduler role: a rule at the same rate, on the function, retried no longer than the interval', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(schedulerRoles(template)).toEqual({});
    template.resourceCountIs('AWS::Events::Rule', 1);
    expect(ruleId).toBe(idOf(stack, 'Targets/ReconcileSchedule/Resource'));
    expect(rule.Properties).toEqual(expect.objectContaining({ ScheduleExpression: 'rate(30 minutes)', State: 'ENABLED' }));
    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(FUNCTION), 'Arn'] },
      RetryPolicy: { MaximumEventAgeInSeconds: 1800 },
    })]);
  });

  test('each occurrence is one run: every delivery of its event carries the event\'s id as the run, and its time', () => {
    const occurrence = { 'id': '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa', 'detail-type': 'Scheduled Event', 'source': 'aws.events', 'time': '2026-12-07T06:30:00Z' };
    const next = { ...occurrence, id: '7bf73129-1428-4cd3-a780-95db273d1602', time: '2026-12-07T07:00:00Z' };
    const delivered = (event: object) => requestOf(transformed(rule.Properties.Targets[0].InputTransformer, event as Record<string, unknown>));

    expect(delivered(occurrence)).toEqual({
      stackId: '${AWS::StackId}',
      logicalResourceId: resource,
      physicalResourceId: `\${${resource}}`,
      ledgerTable: `\${${onlyId(template, 'AWS::DynamoDB::Table')}}`,
      run: occurrence.id,
      time: occurrence.time,
      trigger: 'schedule',
    });
    expect(delivered({ ...occurrence })).toEqual(delivered(occurrence));
    expect(delivered(next).run).not.toBe(delivered(occurrence).run);
  });

  test('the function may be invoked by EventBridge from this rule alone', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp(FUNCTION.source), 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
  });
});
