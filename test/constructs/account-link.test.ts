import { App, CfnOutput, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountLink, AccountLinks, AccountLinkStatus } from '../../src';
import { NEWEST_NODE_RUNTIME } from '../support/cdk-version';
import { nagStack } from '../support/nag';

/** Every resource type in the template with how many there are. */
function resourceCounts(stack: Stack): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(Template.fromStack(stack).toJSON().Resources) as Array<{ Type: string }>) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

const SHARED = {
  'AWS::IAM::Role': 1,
  'AWS::IAM::ManagedPolicy': 1,
  'AWS::Logs::LogGroup': 1,
  'AWS::Lambda::Function': 1,
  'AWS::Lambda::EventInvokeConfig': 1,
};

describe('AccountLink', () => {
  test('one lookup: the shared function, its role and log group, and one custom resource', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });

    expect(resourceCounts(stack)).toEqual({ ...SHARED, 'Custom::WorkSpacesAccountLink': 1 });
    Template.fromStack(stack).hasResource('Custom::WorkSpacesAccountLink', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkSpacesAccountLinksHandlerFunction'), 'Arn'] },
        // A lost answer fails the stack in 5 minutes, not CloudFormation's hour.
        ServiceTimeout: '300',
        LinkId: 'link-1a2b3c4d',
        LinkedAccountId: Match.absent(),
      },
      // "Delete" is what CloudFormation does anyway: not written, fewer bytes per lookup.
      DeletionPolicy: Match.absent(),
      UpdateReplacePolicy: Match.absent(),
    });
  });

  test('three lookups share one function: each adds exactly one resource', () => {
    const stack = nagStack();
    new AccountLink(stack, 'ById', { linkId: 'link-1a2b3c4d' });
    new AccountLink(stack, 'ByAccount', { linkedAccountId: '444455556666' });
    new AccountLinks(stack, 'All');

    expect(resourceCounts(stack)).toEqual({
      ...SHARED,
      'Custom::WorkSpacesAccountLink': 2,
      'Custom::WorkSpacesAccountLinks': 1,
    });
    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLink', { LinkedAccountId: '444455556666' });
  });

  test('the role may call exactly the two read actions and write to its own log group', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
    const template = Template.fromStack(stack);

    // A customer managed policy attached to the role: no inline policy, no AWS managed policy.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^WorkSpacesAccountLinksHandlerRole') }],
      PolicyDocument: {
        Statement: [
          Match.objectEquals({ Action: ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'], Effect: 'Allow', Resource: '*' }),
          Match.objectEquals({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkSpacesAccountLinksHandlerLogGroup'), 'Arn'] },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      // The newest Node.js runtime the app's aws-cdk-lib knows: AwsSolutions-L1 passes on every version.
      Runtime: NEWEST_NODE_RUNTIME,
      Handler: 'index.handler',
      Timeout: 120,
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('LogGroup') } },
    });
  });

  test('asynchronous events are delivered once and never after the resource stops waiting (no retry, a bounded age)', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
    const template = Template.fromStack(stack);

    // A retried or late Create (or Accept) could run after CloudFormation has given up on the resource.
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^WorkSpacesAccountLinksHandlerFunction') },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
    // No older than the shortest time a resource of the function waits for its answer.
    template.hasResourceProperties('Custom::WorkSpacesAccountLink', { ServiceTimeout: '300' });
  });

  test('attributes are Fn::GetAtt of the API field names', () => {
    const stack = nagStack();
    const link = new AccountLink(stack, 'Link', { linkedAccountId: '444455556666' });
    const logicalId = stack.getLogicalId(link.resource.node.defaultChild as any);

    expect(stack.resolve(link.accountLinkId)).toEqual({ 'Fn::GetAtt': [logicalId, 'AccountLinkId'] });
    expect(stack.resolve(link.accountLinkStatus)).toEqual({ 'Fn::GetAtt': [logicalId, 'AccountLinkStatus'] });
    expect(stack.resolve(link.sourceAccountId)).toEqual({ 'Fn::GetAtt': [logicalId, 'SourceAccountId'] });
    expect(stack.resolve(link.targetAccountId)).toEqual({ 'Fn::GetAtt': [logicalId, 'TargetAccountId'] });
  });

  test('tokens pass through to the handler, which checks them at deploy time', () => {
    const stack = nagStack();
    const other = new AccountLink(stack, 'Other', { linkId: 'link-1a2b3c4d' });
    new AccountLink(stack, 'Link', { linkedAccountId: other.targetAccountId });

    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLink', {
      LinkedAccountId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Other'), 'TargetAccountId'] },
    });
  });

  test.each([
    [{}, /set exactly one of linkId and linkedAccountId/],
    [{ linkId: 'link-1a2b3c4d', linkedAccountId: '444455556666' }, /set exactly one of linkId and linkedAccountId/],
    [{ linkId: 'link-short' }, /linkId "link-short" does not match \^link-\.\{8,24\}\$/],
    [{ linkId: 'lnk-1a2b3c4d' }, /linkId "lnk-1a2b3c4d" does not match/],
    [{ linkedAccountId: '4444-5555-6666' }, /linkedAccountId "4444-5555-6666" does not match \^\\d\{12\}\$/],
  ])('rejects %j at synth time', (props, message) => {
    expect(() => new AccountLink(nagStack(), 'Link', props)).toThrow(message);
  });

  test('stacks with every construct have no unacknowledged cdk-nag finding', () => {
    const stack = nagStack();
    const link = new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
    const linked = new AccountLinks(stack, 'Linked', { statusFilter: [AccountLinkStatus.LINKED] });
    new CfnOutput(stack, 'Status', { value: link.accountLinkStatus });
    new CfnOutput(stack, 'Count', { value: Token.asString(linked.count) });

    // Synthesis runs the AwsSolutions checks and throws on any finding.
    const assembly = (stack.node.root as App).synth();
    expect(assembly.getStackByName('Links').template.Resources).toBeDefined();
  });
});
