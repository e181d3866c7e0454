import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, CfnOutput, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AccountLinkAcceptRole, AccountLinksProvider, AccountLinkStatus, AccountLinkTargets, AccountLinkTargetsProps,
} from '../../src';
import { nagApp } from '../support/nag';

const SOURCE = '111122223333';
const OU = 'ou-ab12-34cd56ef';
const [T1, T2] = ['444455556666', '777788889999'];

const sourceStack = (id = 'Source') => new Stack(nagApp(), id, { env: { account: SOURCE, region: 'eu-west-1' } });

/** The statements of the stack's policies that are not the function's logs. */
function grants(stack: Stack) {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => ![s.Action].flat().some((a: string) => a.startsWith('logs:')));
}

describe('AccountLinkTargets', () => {
  test('named targets accepted through their role: one resource, exactly their roles, the hand-over grant, an hour to answer', () => {
    const stack = sourceStack();
    const targets = new AccountLinkTargets(stack, 'Targets', {
      targetAccountIds: [T1, T2],
      acceptRoleName: 'Accept',
      requiredStatus: AccountLinkStatus.LINKED,
      waitTimeout: Duration.minutes(30),
      callsPerSecond: 5,
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('Custom::WorkSpacesAccountLinkTargets', 1);
    template.hasResource('Custom::WorkSpacesAccountLinkTargets', {
      Properties: {
        ServiceTimeout: '3600',
        TargetAccountIds: [T1, T2],
        AcceptRoleName: 'Accept',
        RequiredStatus: 'LINKED',
        WaitTimeoutSeconds: 1800,
        PollIntervalSeconds: 15,
        CallsPerSecond: '5',
        AnswerLists: Match.absent(),
      },
      DependsOn: [Match.stringLikeRegexp('SelfInvokePolicy')],
    });
    expect(grants(stack)).toEqual([
      { Action: ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'], Effect: 'Allow', Resource: '*' },
      { Action: ['workspaces:CreateAccountLinkInvitation', 'workspaces:DeleteAccountLinkInvitation'], Effect: 'Allow', Resource: '*' },
      ...[T1, T2].map((t) => ({ Action: 'sts:AssumeRole', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${t}:role/Accept`]] } })),
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
    ]);
    expect(stack.resolve(targets.linkedCount)).toEqual({ 'Fn::GetAtt': [expect.any(String), 'LinkedCount'] });
  });

  test('organizational units: read from Organizations, the accept role in any account (acknowledged on the library\'s policy only)', () => {
    const stack = sourceStack();
    new AccountLinkTargets(stack, 'Targets', {
      organizationalUnitIds: [OU],
      includeNestedOrganizationalUnits: true,
      excludeAccountIds: [T2],
      acceptRoleName: AccountLinkAcceptRole.DEFAULT_ROLE_NAME,
    });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', {
      OrganizationalUnitIds: [OU], IncludeNestedUnits: 'true', ExcludeAccountIds: [T2], TargetAccountIds: Match.absent(), CallsPerSecond: Match.absent(),
    });
    expect(grants(stack)).toEqual(expect.arrayContaining([
      { Action: ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'], Effect: 'Allow', Resource: '*' },
      { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::*:role/${AccountLinkAcceptRole.DEFAULT_ROLE_NAME}`]] } },
    ]));
  });

  test('referencing the lists makes the resource answer them (or fail saying why); the counts alone do not', () => {
    const countsOnly = sourceStack();
    new CfnOutput(countsOnly, 'Linked', { value: Token.asString(new AccountLinkTargets(countsOnly, 'Targets', { targetAccountIds: [T1] }).linkedCount) });
    Template.fromStack(countsOnly).hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', { AnswerLists: Match.absent() });

    const stack = sourceStack();
    const targets = new AccountLinkTargets(stack, 'Targets', { targetAccountIds: [T1] });
    expect(stack.resolve(Fn.select(0, targets.accountLinkIds))).toEqual({
      'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::GetAtt': [expect.any(String), 'AccountLinkIds'] }] }],
    });
    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', { AnswerLists: 'true' });
  });

  test.each<[string, Partial<AccountLinkTargetsProps>, RegExp]>([
    ['no target', {}, /set targetAccountIds or organizationalUnitIds \(or both\): there is no target/],
    ['an account id that is not one', { targetAccountIds: ['4444'] }, /targetAccountIds\[0\] "4444" does not match/],
    ['the source itself', { targetAccountIds: [SOURCE] }, /account 111122223333 cannot invite itself/],
    ['an account twice', { targetAccountIds: [T1, T1] }, /targetAccountIds lists 444455556666 more than once/],
    ['a unit id that is not one', { organizationalUnitIds: ['engineering'] }, /organizationalUnitIds\[0\] "engineering" does not match/],
    ['nested without units', { targetAccountIds: [T1], includeNestedOrganizationalUnits: true }, /includeNestedOrganizationalUnits needs organizationalUnitIds/],
    ['a role path for a name', { targetAccountIds: [T1], acceptRoleName: 'team/Accept' }, /acceptRoleName "team\/Accept" does not match/],
    ['a wait without a status', { targetAccountIds: [T1], waitTimeout: Duration.minutes(5) }, /waitTimeout needs requiredStatus/],
    ['a rate of 0', { targetAccountIds: [T1], callsPerSecond: 0 }, /callsPerSecond must be a number above 0 and at most 50, got 0/],
  ])('rejects %s at synth time', (_name, props, message) => {
    expect(() => new AccountLinkTargets(sourceStack(), 'Targets', props as AccountLinkTargetsProps)).toThrow(message);
  });
});

describe('AccountLinkAcceptRole', () => {
  test('in a target\'s stack: trusted by the source\'s provider role alone, allowed to accept and read, nothing else', () => {
    const source = sourceStack();
    const targetStack = new Stack(source.node.root, 'Target', { env: { account: T1, region: 'eu-west-1' } });
    const role = new AccountLinkAcceptRole(targetStack, 'AcceptRole', { trustedRoleArn: AccountLinksProvider.of(source).role.roleArn });
    const template = Template.fromStack(targetStack);

    expect(role.roleName).toBe(AccountLinkAcceptRole.DEFAULT_ROLE_NAME);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: AccountLinkAcceptRole.DEFAULT_ROLE_NAME,
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: Match.anyValue() } }] },
    });
    expect(grants(targetStack)).toEqual([
      { Action: ['workspaces:AcceptAccountLinkInvitation', 'workspaces:GetAccountLink'], Effect: 'Allow', Resource: '*' },
    ]);
    expect(template.findResources('AWS::Lambda::Function')).toEqual({});
  });

  test('as a StackSet over units: service-managed, auto-deployed, the role inline with no asset, trusting the parameter', () => {
    const stack = sourceStack();
    AccountLinkAcceptRole.stackSet(stack, 'AcceptRoles', { organizationalUnitIds: [OU], trustedRoleArn: AccountLinksProvider.of(stack).role.roleArn });
    const [stackSet] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet')) as any[];

    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: ['eu-west-1'] }],
      Parameters: [{ ParameterKey: 'TrustedRoleArn', ParameterValue: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } }],
    });
    const template = JSON.parse(stackSet.Properties.TemplateBody);
    expect(Object.values(template.Resources).map((r: any) => r.Type).sort()).toEqual(['AWS::IAM::ManagedPolicy', 'AWS::IAM::Role']);
    expect(JSON.stringify(template)).not.toMatch(/aws:asset|BootstrapVersion|CDKMetadata/);
    expect(Object.values(template.Resources).find((r: any) => r.Type === 'AWS::IAM::Role')).toMatchObject({
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { AWS: { Ref: 'TrustedRoleArn' } } }] } },
    });
  });

  test('making the StackSet\'s template writes nothing into the app\'s output folder, which `cdk synth` names through CDK_OUTDIR', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-out-'));
    const before = process.env.CDK_OUTDIR;
    process.env.CDK_OUTDIR = outdir;
    try {
      const app = new App();
      const stack = new Stack(app, 'Management', { env: { account: SOURCE, region: 'eu-west-1' } });
      AccountLinkAcceptRole.stackSet(stack, 'AcceptRoles', { organizationalUnitIds: [OU], trustedRoleArn: `arn:aws:iam::${SOURCE}:role/handler` });
      app.synth();
    } finally {
      if (before === undefined) delete process.env.CDK_OUTDIR;
      else process.env.CDK_OUTDIR = before;
    }
    expect(readdirSync(outdir).filter((f) => f.endsWith('.template.json'))).toEqual(['Management.template.json']);
  });
});
