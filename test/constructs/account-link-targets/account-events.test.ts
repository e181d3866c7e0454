import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { idOf, onlyId, requestOf, transformed } from './reconcile-support';
import { AccountLinkTargets, AccountLinkTargetsProps } from '../../../src';
import { nagApp } from '../../support/nag';

const OU = 'ou-ab12-34cd56ef';
const FUNCTION = /^WorkSpacesAccountLinksHandlerFunction[0-9A-F]{8}$/;

const stackIn = (app: App = nagApp()) => new Stack(app, 'Source', { env: { account: '111122223333', region: 'eu-west-1' } });
const targetsIn = (stack: Stack, props: Partial<AccountLinkTargetsProps> = {}) => new AccountLinkTargets(stack, 'Targets', {
  organizationalUnitIds: [OU], reconcileOnAccountEvents: true, ...props,
});

/** An event as CloudTrail delivers it to EventBridge (the fields a pattern can match). */
function cloudTrailEvent(source: string, detailType: string, eventSource: string, eventName: string, id = 'e7a4ba5f-5cd7-4b8b-9a5a-000000000001') {
  return { id, 'source': source, 'detail-type': detailType, 'time': '2026-12-07T06:31:12Z', 'detail': { eventSource, eventName, awsRegion: 'us-east-1' } };
}

const API_CALL = 'AWS API Call via CloudTrail';
const SERVICE_EVENT = 'AWS Service Event via CloudTrail';

/** Organizations' and Control Tower's events, as the EventBridge Events Reference and the services' guides describe them. */
const ACCOUNT_EVENTS = {
  'Organizations CreateAccountResult (the end of CreateAccount)': cloudTrailEvent('aws.organizations', SERVICE_EVENT, 'organizations.amazonaws.com', 'CreateAccountResult'),
  'Organizations MoveAccount': cloudTrailEvent('aws.organizations', API_CALL, 'organizations.amazonaws.com', 'MoveAccount'),
  'Control Tower CreateManagedAccount': cloudTrailEvent('aws.controltower', SERVICE_EVENT, 'controltower.amazonaws.com', 'CreateManagedAccount'),
  'Control Tower UpdateManagedAccount': cloudTrailEvent('aws.controltower', SERVICE_EVENT, 'controltower.amazonaws.com', 'UpdateManagedAccount'),
};
const OTHER_EVENTS = {
  'Organizations CreateAccount (the request: the account does not exist yet)': cloudTrailEvent('aws.organizations', API_CALL, 'organizations.amazonaws.com', 'CreateAccount'),
  'Organizations ListAccounts': cloudTrailEvent('aws.organizations', API_CALL, 'organizations.amazonaws.com', 'ListAccounts'),
  'Control Tower EnableGuardrail': cloudTrailEvent('aws.controltower', SERVICE_EVENT, 'controltower.amazonaws.com', 'EnableGuardrail'),
  'a MoveAccount of another service\'s name': cloudTrailEvent('aws.config', API_CALL, 'config.amazonaws.com', 'MoveAccount'),
  'a sign-in': cloudTrailEvent('aws.signin', 'AWS Console Sign In via CloudTrail', 'signin.amazonaws.com', 'ConsoleLogin'),
};

/** EventBridge's matching for patterns of exact values (arrays of strings, nested objects): enough for this pattern. */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => (Array.isArray(expected)
    ? expected.includes(event[key])
    : typeof event[key] === 'object' && event[key] !== null && matches(expected as Record<string, unknown>, event[key] as Record<string, unknown>)));
}

describe('reconcileOnAccountEvents: a rule of organization account events on the default event bus', () => {
  const stack = stackIn();
  targetsIn(stack);
  const template = Template.fromStack(stack);
  const resource = onlyId(template, 'Custom::WorkSpacesAccountLinkTargets');
  const [ruleId, rule] = Object.entries(template.findResources('AWS::Events::Rule'))[0] as [string, any];

  test('one rule, on the default bus, of Organizations\' and Control Tower\'s account events', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    expect(ruleId).toBe(idOf(stack, 'Targets/ReconcileOnAccountEvents'));
    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.ScheduleExpression).toBeUndefined();
    expect(rule.Properties.EventPattern).toEqual({
      'source': ['aws.organizations', 'aws.controltower'],
      'detail-type': [API_CALL, SERVICE_EVENT],
      'detail': {
        eventSource: ['organizations.amazonaws.com', 'controltower.amazonaws.com'],
        eventName: ['CreateAccountResult', 'MoveAccount', 'CreateManagedAccount', 'UpdateManagedAccount'],
      },
    });
  });

  test.each(Object.entries(ACCOUNT_EVENTS))('it matches %s', (_name, event) => {
    expect(matches(rule.Properties.EventPattern, event)).toBe(true);
  });

  test.each(Object.entries(OTHER_EVENTS))('it does not match %s', (_name, event) => {
    expect(matches(rule.Properties.EventPattern, event)).toBe(false);
  });

  test('its target, the function, gets a reconcile request whose run is the event\'s id and whose time is the event\'s', () => {
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [expect.stringMatching(FUNCTION), 'Arn'] } })]);
    const event = ACCOUNT_EVENTS['Organizations MoveAccount'];
    const delivered = (e: object) => requestOf(transformed(rule.Properties.Targets[0].InputTransformer, e as Record<string, unknown>));
    expect(delivered(event)).toEqual({
      stackId: '${AWS::StackId}',
      logicalResourceId: resource,
      physicalResourceId: `\${${resource}}`,
      ledgerTable: `\${${onlyId(template, 'AWS::DynamoDB::Table')}}`,
      run: event.id,
      time: event.time,
      trigger: 'account-event',
    });
    // Every delivery of one event is one run; another event is another.
    expect(delivered({ ...event })).toEqual(delivered(event));
    expect(delivered({ ...event, id: 'e7a4ba5f-5cd7-4b8b-9a5a-000000000002' }).run).not.toBe(event.id);
  });

  test('the function may be invoked by EventBridge from this rule alone', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp(FUNCTION.source), 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  test('no schedule without reconcileEvery', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });
});

describe('the events to forward', () => {
  test('AccountLinkTargets.accountEventPattern() is the rule\'s pattern: a forwarding rule made from it matches the same events', () => {
    const stack = stackIn(new App());
    targetsIn(stack);
    const management = new Stack(stack.node.root as App, 'Management', { env: { account: '999999999999', region: 'us-east-1' } });
    new events.Rule(management, 'Forward', { eventPattern: AccountLinkTargets.accountEventPattern() });

    const patternOf = (s: Stack) => (Object.values(Template.fromStack(s).findResources('AWS::Events::Rule'))[0] as any).Properties.EventPattern;
    expect(patternOf(management)).toEqual(patternOf(stack));
  });

  test('each call is a copy of its own: changing one changes neither the next nor the rules', () => {
    const pattern = AccountLinkTargets.accountEventPattern();
    pattern.source!.push('aws.ec2');
    expect(AccountLinkTargets.accountEventPattern().source).toEqual(['aws.organizations', 'aws.controltower']);
  });
});

describe('reconcileOnAccountEvents needs organizational units', () => {
  test('named targets alone: a synth error that says why', () => {
    expect(() => new AccountLinkTargets(stackIn(), 'Targets', { targetAccountIds: ['444455556666'], reconcileOnAccountEvents: true }))
      .toThrow('AccountLinkTargets Source/Targets: reconcileOnAccountEvents needs organizationalUnitIds: named targets do not change when accounts are created or moved');
  });

  test('units known only at deploy time: accepted', () => {
    const stack = stackIn();
    const units = new CfnParameter(stack, 'Units', { type: 'CommaDelimitedList' }).valueAsList;
    targetsIn(stack, { organizationalUnitIds: units });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 1);
  });

  test('off by default, and when false', () => {
    for (const reconcileOnAccountEvents of [undefined, false]) {
      const stack = stackIn();
      targetsIn(stack, { reconcileOnAccountEvents });
      Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 0);
    }
  });

  test('not a boolean: a synth error', () => {
    expect(() => targetsIn(stackIn(), { reconcileOnAccountEvents: 'yes' as unknown as boolean }))
      .toThrow('AccountLinkTargets Source/Targets: reconcileOnAccountEvents must be true or false, got "yes"');
  });
});
