import { App, CfnOutput, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AccountLink, AccountLinks, AccountLinkStatus } from '../../src';
import { READ_NONCE_CONTEXT_KEY } from '../../src/contract';
import { nagStack } from '../support/nag';

const LINK = 'link-1a2b3c4d';

describe('AccountLink gate', () => {
  test('requiredStatus without a wait: the status is checked once, the ServiceTimeout stays 5 minutes', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Gate', { linkId: LINK, requiredStatus: AccountLinkStatus.LINKED });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('Custom::WorkSpacesAccountLink', {
      RequiredStatus: 'LINKED', WaitTimeoutSeconds: Match.absent(), ServiceTimeout: '300',
    });
    // No wait, no hand-over: the function gets no permission to invoke itself.
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
  });

  test('a wait sets the wait, the poll interval and a ServiceTimeout 3 minutes longer', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Gate', {
      linkId: LINK, requiredStatus: AccountLinkStatus.LINKED, waitTimeout: Duration.minutes(20), pollInterval: Duration.seconds(30),
    });

    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLink', {
      RequiredStatus: 'LINKED', WaitTimeoutSeconds: 1200, PollIntervalSeconds: 30, ServiceTimeout: '1380',
    });
  });

  test('a 1-hour wait ends 3 minutes before the 1-hour ServiceTimeout', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Gate', { linkId: LINK, requiredStatus: AccountLinkStatus.LINKED, waitTimeout: Duration.hours(1) });

    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLink', {
      WaitTimeoutSeconds: 3420, PollIntervalSeconds: 15, ServiceTimeout: '3600',
    });
  });

  test('waiting gates depend on a self-invoke policy the function itself does not depend on (no cycle)', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Gate', { linkId: LINK, requiredStatus: AccountLinkStatus.LINKED, waitTimeout: Duration.minutes(30) });
    new AccountLink(stack, 'Gate2', { linkId: 'link-9z8y7x6w', requiredStatus: AccountLinkStatus.LINKED, waitTimeout: Duration.minutes(5) });
    new AccountLink(stack, 'Plain', { linkId: 'link-5e6f7a8b' });
    const template = Template.fromStack(stack);

    const policies = template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction' }] } },
    });
    const [policyId] = Object.keys(policies);
    expect(Object.keys(policies)).toHaveLength(1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [Match.objectEquals({
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkSpacesAccountLinksHandlerFunction'), 'Arn'] },
        })],
      },
    });
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.values(functions)[0].DependsOn).not.toContain(policyId);
    // ... but on the policy of its other permissions.
    expect(Object.values(functions)[0].DependsOn).toContainEqual(expect.stringMatching(/^WorkSpacesAccountLinksHandlerPolicy/));
    const links = template.findResources('Custom::WorkSpacesAccountLink');
    expect(links[stack.getLogicalId((stack.node.findChild('Gate').node.findChild('Resource').node.defaultChild) as any)].DependsOn).toContain(policyId);
    expect(Object.values(links).filter((l: any) => (l.DependsOn ?? []).includes(policyId))).toHaveLength(2);
  });

  test('other resources wait for the gate by depending on it', () => {
    const stack = nagStack();
    const gate = new AccountLink(stack, 'Gate', { linkId: LINK, requiredStatus: AccountLinkStatus.LINKED });
    // Stands in for a workload (a WorkSpace, a BYOL image import, ...).
    const workload = new CfnResource(stack, 'Workload', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    workload.node.addDependency(gate);

    const resources = Template.fromStack(stack).findResources('AWS::CloudFormation::WaitConditionHandle');
    expect(Object.values(resources)[0].DependsOn).toEqual([stack.getLogicalId(gate.resource.node.defaultChild as any)]);
  });

  const LINKED = AccountLinkStatus.LINKED;
  test.each([
    ['waitTimeout without requiredStatus', { waitTimeout: Duration.minutes(5) }, /waitTimeout needs requiredStatus/],
    ['pollInterval without waitTimeout', { requiredStatus: LINKED, pollInterval: Duration.seconds(5) }, /pollInterval needs waitTimeout/],
    ['waitTimeout over 1 hour', { requiredStatus: LINKED, waitTimeout: Duration.minutes(61) }, /waitTimeout \(1 hour 1 minute\) must be a whole number of seconds from 1 to 3600 \(CloudFormation's limit for a custom resource\)/],
    ['pollInterval not shorter than waitTimeout', { requiredStatus: LINKED, waitTimeout: Duration.seconds(30), pollInterval: Duration.seconds(30) },
      /pollInterval \(30 seconds\) must be shorter than waitTimeout \(30 seconds\)/],
    ['pollInterval under a second', { requiredStatus: LINKED, waitTimeout: Duration.minutes(1), pollInterval: Duration.millis(500) },
      /pollInterval \(500 millis\) must be a whole number of seconds from 1 to 3600/],
  ])('rejects %s at synth time', (_name, props, message) => {
    expect(() => new AccountLink(nagStack(), 'Gate', { linkId: LINK, ...props })).toThrow(message);
  });
});

describe('readOnEveryDeployment', () => {
  test('adds a ReadNonce that changes per synthesis, pinned by the context key', () => {
    const app = new App({ context: { [READ_NONCE_CONTEXT_KEY]: 'pinned' } });
    const stack = new Stack(app, 'Fresh');
    new AccountLink(stack, 'Link', { linkId: LINK, readOnEveryDeployment: true });
    new AccountLinks(stack, 'All', { readOnEveryDeployment: true });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('Custom::WorkSpacesAccountLink', { ReadNonce: 'pinned' });
    template.hasResourceProperties('Custom::WorkSpacesAccountLinks', { ReadNonce: 'pinned' });
  });

  test('without the context key, two syntheses differ', async () => {
    const nonce = () => {
      const stack = new Stack(new App(), 'Fresh');
      new AccountLink(stack, 'Link', { linkId: LINK, readOnEveryDeployment: true });
      return Template.fromStack(stack).findResources('Custom::WorkSpacesAccountLink');
    };
    const first = JSON.stringify(nonce());
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(JSON.stringify(nonce())).not.toEqual(first);
  });

  test('off by default: no ReadNonce', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Link', { linkId: LINK });
    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLink', { ReadNonce: Match.absent() });
  });
});

describe('across stacks', () => {
  test('a consumer stack uses the producer link id through Export / Fn::ImportValue', () => {
    const app = new App();
    const env = { account: '111122223333', region: 'eu-west-1' };
    const producer = new Stack(app, 'Producer', { env });
    const link = new AccountLink(producer, 'Link', { linkId: LINK });
    new CfnOutput(producer, 'LinkId', { value: link.accountLinkId, exportName: 'ByolLinkId' });
    const consumer = new Stack(app, 'Consumer', { env });
    new AccountLink(consumer, 'Gate', { linkId: link.accountLinkId, requiredStatus: AccountLinkStatus.LINKED });

    const produced = Template.fromStack(producer).toJSON().Outputs;
    const exported = Object.values(produced).map((o: any) => o.Export?.Name);
    expect(exported).toContain('ByolLinkId');
    expect(exported.some((name) => typeof name === 'string' && name.startsWith('Producer:ExportsOutputFnGetAttLink'))).toBe(true);
    Template.fromStack(consumer).hasResourceProperties('Custom::WorkSpacesAccountLink', {
      LinkId: { 'Fn::ImportValue': Match.stringLikeRegexp('^Producer:ExportsOutputFnGetAttLink.*AccountLinkId') },
      RequiredStatus: 'LINKED',
    });
  });

  // Weak cross-stack references are newer than the floor: the run against the newest aws-cdk-lib shows them.
  (cxapi.DEFAULT_CROSS_STACK_REFERENCES ? test : test.skip)('with weak cross-stack references, the consumer reads the status through Fn::GetStackOutput, no export', () => {
    const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak' } });
    const env = { account: '111122223333', region: 'eu-west-1' };
    const producer = new Stack(app, 'Producer', { env });
    const link = new AccountLink(producer, 'Link', { linkId: LINK });
    const consumer = new Stack(app, 'Consumer', { env });
    new AccountLink(consumer, 'Gate', { linkId: link.accountLinkId, requiredStatus: AccountLinkStatus.LINKED });
    new CfnOutput(consumer, 'SeenStatus', { value: link.accountLinkStatus });

    expect(JSON.stringify(Template.fromStack(producer).toJSON().Outputs)).not.toContain('Export');
    expect(Template.fromStack(consumer).toJSON().Outputs.SeenStatus.Value).toEqual({
      'Fn::GetStackOutput': { StackName: 'Producer', Region: 'eu-west-1', OutputName: expect.stringMatching(/AccountLinkStatus/) },
    });
  });
});
