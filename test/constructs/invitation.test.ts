import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountLink, AccountLinkAcceptance, AccountLinkInvitation, AccountLinks, AccountLinkStatus } from '../../src';
import { nagApp, nagStack } from '../support/nag';

const SOURCE = '111122223333';
const TARGET = '444455556666';
const READER_ROLE = `arn:aws:iam::${TARGET}:role/link-reader`;

/** Every WorkSpaces and STS statement of the stack's policies. */
function grants(stack: Stack) {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => [s.Action].flat().some((a: string) => /^(workspaces|sts):/.test(a)));
}

describe('reading across accounts and Regions', () => {
  test('assumeRoleArn, externalId and region reach the handler; the role may assume exactly that role', () => {
    const stack = nagStack();
    new AccountLink(stack, 'Remote', { linkId: 'link-1a2b3c4d', assumeRoleArn: READER_ROLE, externalId: 'shared', region: 'us-west-2' });
    new AccountLinks(stack, 'RemoteList', { assumeRoleArn: READER_ROLE });

    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLink', {
      AssumeRoleArn: READER_ROLE, ExternalId: 'shared', Region: 'us-west-2',
    });
    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinks', { AssumeRoleArn: READER_ROLE });
    expect(grants(stack)).toEqual([
      { Action: ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'], Effect: 'Allow', Resource: '*' },
      { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: READER_ROLE },
    ]);
  });

  test.each([
    ['a bad role ARN', { assumeRoleArn: 'arn:aws:iam::4444:user/x' }, /assumeRoleArn "arn:aws:iam::4444:user\/x" is not an IAM role ARN/],
    ['a bad Region', { region: 'Europe' }, /region "Europe" is not a Region name/],
    ['an external id without a role', { externalId: 'x' }, /externalId needs assumeRoleArn/],
  ])('rejects %s at synth time', (_name, props, message) => {
    expect(() => new AccountLink(nagStack(), 'Link', { linkId: 'link-1a2b3c4d', ...props })).toThrow(message);
  });
});

describe('AccountLinkInvitation and AccountLinkAcceptance', () => {
  test('the source stack invites; its role may create and delete invitations, nothing more', () => {
    const stack = new Stack(nagApp(), 'Source', { env: { account: SOURCE, region: 'eu-west-1' } });
    const invitation = new AccountLinkInvitation(stack, 'Invite', { targetAccountId: TARGET });
    const template = Template.fromStack(stack);

    // Deleted with the stack: CloudFormation's default, so no DeletionPolicy is written.
    template.hasResource('Custom::WorkSpacesAccountLinkInvitation', {
      Properties: { TargetAccountId: TARGET },
      DeletionPolicy: Match.absent(),
      UpdateReplacePolicy: Match.absent(),
    });
    expect(stack.resolve(invitation.accountLinkId)).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(invitation.resource.node.defaultChild as any), 'AccountLinkId'],
    });
    expect(grants(stack)).toEqual([
      { Action: ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'], Effect: 'Allow', Resource: '*' },
      { Action: ['workspaces:CreateAccountLinkInvitation', 'workspaces:DeleteAccountLinkInvitation'], Effect: 'Allow', Resource: '*' },
    ]);
  });

  test('removalPolicy RETAIN keeps the invitation when the resource goes', () => {
    const stack = nagStack();
    new AccountLinkInvitation(stack, 'Invite', { targetAccountId: TARGET, removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource('Custom::WorkSpacesAccountLinkInvitation', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the target stack accepts, and its gate depends on the acceptance', () => {
    const stack = new Stack(nagApp(), 'Target', { env: { account: TARGET, region: 'eu-west-1' } });
    const acceptance = new AccountLinkAcceptance(stack, 'Accept', { linkId: 'link-1a2b3c4d' });
    const gate = new AccountLink(stack, 'Gate', { linkId: acceptance.accountLinkId, requiredStatus: AccountLinkStatus.LINKED });
    gate.node.addDependency(acceptance);
    const template = Template.fromStack(stack);

    template.hasResourceProperties('Custom::WorkSpacesAccountLinkAcceptance', { LinkId: 'link-1a2b3c4d', Reject: Match.absent() });
    const acceptanceId = stack.getLogicalId(acceptance.resource.node.defaultChild as any);
    template.hasResource('Custom::WorkSpacesAccountLink', {
      Properties: { LinkId: { 'Fn::GetAtt': [acceptanceId, 'AccountLinkId'] }, RequiredStatus: 'LINKED' },
      DependsOn: [acceptanceId],
    });
    expect(grants(stack)).toEqual([
      { Action: ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'], Effect: 'Allow', Resource: '*' },
      { Action: 'workspaces:AcceptAccountLinkInvitation', Effect: 'Allow', Resource: '*' },
    ]);
  });

  test('reject: true grants the one action it calls', () => {
    const stack = nagStack();
    new AccountLinkAcceptance(stack, 'Reject', { linkId: 'link-1a2b3c4d', reject: true });

    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinkAcceptance', { Reject: 'true' });
    expect(grants(stack)[1]).toEqual({ Action: 'workspaces:RejectAccountLinkInvitation', Effect: 'Allow', Resource: '*' });
  });

  test('a source account inviting itself fails at synth time when both are literals', () => {
    const stack = new Stack(new App(), 'Source', { env: { account: SOURCE, region: 'eu-west-1' } });
    expect(() => new AccountLinkInvitation(stack, 'Invite', { targetAccountId: SOURCE })).toThrow(/account 111122223333 cannot invite itself/);
    expect(() => new AccountLinkInvitation(nagStack(), 'Invite', { targetAccountId: TARGET, assumeRoleArn: READER_ROLE }))
      .toThrow(/account 444455556666 cannot invite itself/);
  });

  test('the target may name the invitation by its source account', () => {
    const stack = nagStack();
    new AccountLinkAcceptance(stack, 'Accept', { sourceAccountId: SOURCE });
    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinkAcceptance', { SourceAccountId: SOURCE, LinkId: Match.absent() });
  });

  test.each([
    ['neither link id nor source', () => new AccountLinkAcceptance(nagStack(), 'A', {}), /set exactly one of linkId and sourceAccountId/],
    ['a bad source account', () => new AccountLinkAcceptance(nagStack(), 'A', { sourceAccountId: '1' }), /sourceAccountId "1" does not match/],
    ['a bad target', () => new AccountLinkInvitation(nagStack(), 'I', { targetAccountId: '4444' }), /targetAccountId "4444" does not match/],
    ['a bad link id', () => new AccountLinkAcceptance(nagStack(), 'A', { linkId: 'lnk-1' }), /linkId "lnk-1" does not match/],
  ])('rejects %s at synth time', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});
