import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { idOf } from './reconcile-support';
import { AccountLinksProvider, AccountLinkTargets, AccountLinkTargetsProps } from '../../../src';
import { PUBLISH_EVENTS_ACTIONS } from '../../../src/account-links-provider/permissions';
import { EVENT_SOURCE } from '../../../src/contract';
import { nagApp } from '../../support/nag';

const OU = 'ou-ab12-34cd56ef';
const stackIn = (app: App = nagApp()) => new Stack(app, 'Source', { env: { account: '111122223333', region: 'eu-west-1' } });
const targetsIn = (stack: Stack, id: string, props: Partial<AccountLinkTargetsProps> = {}) => new AccountLinkTargets(stack, id, {
  organizationalUnitIds: [OU], ...props,
});

/** The stack's managed policies that hold an `events:` action, by logical id. */
function eventPolicies(template: Template): Record<string, any> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter(([, p]: [string, any]) => JSON.stringify(p.Properties.PolicyDocument).includes('"events:')));
}

/** The statement that lets the function send the library's events to the default bus of `region` and `account`. */
const putEvents = (region: unknown, account: unknown) => ({
  Action: 'events:PutEvents',
  Effect: 'Allow',
  Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', region, ':', account, ':event-bus/default']] },
  Condition: { StringEquals: { 'events:source': EVENT_SOURCE } },
});

describe('publishEvents (on by default): the function may send the library\'s events to the default bus, and nothing else', () => {
  test('a policy of its own: PutEvents on the default bus of the stack\'s account and Region, for the library\'s source only', () => {
    const stack = stackIn();
    targetsIn(stack, 'Targets');
    const template = Template.fromStack(stack);

    const policies = eventPolicies(template);
    expect(Object.keys(policies)).toEqual([expect.stringMatching(/^WorkSpacesAccountLinksHandlerPublishEventsPolicy[0-9A-F]{8}$/)]);
    const [policyId, policy] = Object.entries(policies)[0];
    // The account and Region written out joined, as the template resolves them.
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(policy.Properties.PolicyDocument.Statement).toHaveLength(1);
    expect(statement).toEqual({
      Action: 'events:PutEvents',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/default']] },
      Condition: { StringEquals: { 'events:source': EVENT_SOURCE } },
    });
    expect(PUBLISH_EVENTS_ACTIONS).toEqual(['events:PutEvents']);
    expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^WorkSpacesAccountLinksHandlerRole[0-9A-F]{8}$/) }]);
    // The resource depends on it (its Delete may send events), and says nothing about events.
    template.hasResource('Custom::WorkSpacesAccountLinkTargets', {
      Properties: { PublishEvents: Match.absent() },
      DependsOn: Match.arrayWith([policyId]),
    });
  });

  test('no other policy of the stack names an events action, with a schedule and a rule of account events too', () => {
    const stack = stackIn();
    targetsIn(stack, 'Targets', { reconcileEvery: Duration.minutes(30), reconcileOnAccountEvents: true });
    const template = Template.fromStack(stack);
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('events:'));
    expect(statements).toHaveLength(1);
  });

  test('a stack of no environment: the bus of the account and Region it is deployed to', () => {
    const stack = new Stack(nagApp(), 'Source');
    targetsIn(stack, 'Targets');
    const [policy] = Object.values(eventPolicies(Template.fromStack(stack))) as any[];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([putEvents({ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' })]);
  });

  test('one policy per provider: every resource that sends events depends on the same one', () => {
    const stack = stackIn();
    targetsIn(stack, 'A');
    targetsIn(stack, 'B', { publishEvents: true });
    const template = Template.fromStack(stack);
    const [policyId] = Object.keys(eventPolicies(template));
    expect(Object.keys(eventPolicies(template))).toHaveLength(1);
    for (const id of ['A', 'B']) {
      expect(template.toJSON().Resources[idOf(stack, `${id}/Resource`)].DependsOn).toContain(policyId);
    }
  });

  test('false for every resource: no policy, and each says PublishEvents "false"', () => {
    const stack = stackIn();
    targetsIn(stack, 'A', { publishEvents: false });
    targetsIn(stack, 'B', { publishEvents: false });
    const template = Template.fromStack(stack);
    expect(eventPolicies(template)).toEqual({});
    for (const id of ['A', 'B']) {
      const resource = template.toJSON().Resources[idOf(stack, `${id}/Resource`)];
      expect(resource.Properties.PublishEvents).toBe('false');
      expect(resource.DependsOn.some((d: string) => /PublishEvents/.test(d))).toBe(false);
    }
  });

  test('false for one of two: the policy stays for the other, and only the other depends on it', () => {
    const stack = stackIn();
    targetsIn(stack, 'Quiet', { publishEvents: false });
    targetsIn(stack, 'Loud');
    const template = Template.fromStack(stack);
    const [policyId] = Object.keys(eventPolicies(template));
    expect(template.toJSON().Resources[idOf(stack, 'Loud/Resource')].DependsOn).toContain(policyId);
    expect(template.toJSON().Resources[idOf(stack, 'Quiet/Resource')].DependsOn).not.toContain(policyId);
  });

  test('with a role of your own: nothing is added to it, and the info annotation lists the statement', () => {
    const app = new App();
    const stack = stackIn(app);
    AccountLinksProvider.configure(stack, { role: iam.Role.fromRoleArn(stack, 'Own', 'arn:aws:iam::111122223333:role/platform/links') });
    targetsIn(stack, 'Targets');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);

    const info = app.synth().getStackByName('Source').messages.find((m) => m.level === 'info' && /must allow/.test(String(m.entry.data)));
    const allowed = JSON.parse(/must allow: (.*)$/.exec(String(info?.entry.data))![1]);
    expect(allowed.Statement).toContainEqual({
      Action: 'events:PutEvents',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/default']] },
      Condition: { StringEquals: { 'events:source': EVENT_SOURCE } },
    });
  });

  test('not a boolean: a synth error', () => {
    expect(() => targetsIn(stackIn(), 'Targets', { publishEvents: 'no' as unknown as boolean }))
      .toThrow('AccountLinkTargets Source/Targets: publishEvents must be true or false, got "no"');
  });
});

describe('MetricResource: every resource names itself `<stack name>/<logical id>`, the metrics\' dimension', () => {
  test('each resource, whatever its options', () => {
    const stack = stackIn();
    const a = targetsIn(stack, 'A');
    targetsIn(stack, 'B', { publishEvents: false });
    const template = Template.fromStack(stack);
    for (const id of ['A', 'B']) {
      const logicalId = idOf(stack, `${id}/Resource`);
      expect(template.toJSON().Resources[logicalId].Properties.MetricResource).toBe(`Source/${logicalId}`);
    }
    expect(stack.resolve(a.metricResource)).toBe(`Source/${idOf(stack, 'A/Resource')}`);
  });

  test('a logical id overridden after the construct: the override', () => {
    const stack = stackIn();
    const targets = targetsIn(stack, 'Targets');
    (targets.resource.node.defaultChild as any).overrideLogicalId('BusinessUnitLinks');
    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', { MetricResource: 'Source/BusinessUnitLinks' });
  });

  test('the stack\'s name, not its construct id', () => {
    const stack = new Stack(nagApp(), 'Source', { stackName: 'byol-links-prod', env: { account: '111122223333', region: 'eu-west-1' } });
    targetsIn(stack, 'Targets');
    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', {
      MetricResource: `byol-links-prod/${idOf(stack, 'Targets/Resource')}`,
    });
  });
});
