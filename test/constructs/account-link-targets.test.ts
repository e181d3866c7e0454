import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, CfnOutput, CfnParameter, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AccountLinkAcceptRole, AccountLinkAcceptRoleStackSetProps, AccountLinksProvider, AccountLinkStatus, AccountLinkTargets, AccountLinkTargetsProps,
  StackSetCallAs,
} from '../../src';
import { ORGANIZATIONS_READ_ACTIONS } from '../../src/account-links-provider/permissions';
import { READ_NONCE_CONTEXT_KEY } from '../../src/contract';
import { nagApp } from '../support/nag';

const SOURCE = '111122223333';
const OU = 'ou-ab12-34cd56ef';
const [T1, T2] = ['444455556666', '777788889999'];

const sourceStack = (id = 'Source', app = nagApp()) => new Stack(app, id, { env: { account: SOURCE, region: 'eu-west-1' } });

/**
 * The statements of the stack's policies that are not the function's logs, its ledger (test/constructs/ledger.test.ts)
 * nor its events (test/constructs/account-link-targets/publish-events.test.ts).
 */
function grants(stack: Stack) {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => ![s.Action].flat().some((a: string) => ['logs:', 'dynamodb:', 'events:'].some((service) => a.startsWith(service))));
}

/** `sts:AssumeRole` on the role `name` in `account` (`*`: any account), as the template writes it. */
const assumeRole = (account: string, name: string) => ({
  Action: 'sts:AssumeRole', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/${name}`]] },
});

/** The condition on assuming a role in any account of the organization: the role's organization is the caller's. */
const SAME_ORGANIZATION = { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } };

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
      DependsOn: [
        Match.stringLikeRegexp('Ledger[0-9A-F]{8}$'), Match.stringLikeRegexp('LedgerPolicy'), Match.stringLikeRegexp('PublishEventsPolicy'),
        Match.stringLikeRegexp('SelfInvokePolicy'),
      ],
    });
    expect(grants(stack)).toEqual([
      { Action: ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'], Effect: 'Allow', Resource: '*' },
      { Action: ['workspaces:CreateAccountLinkInvitation', 'workspaces:DeleteAccountLinkInvitation'], Effect: 'Allow', Resource: '*' },
      ...[T1, T2].map((t) => assumeRole(t, 'Accept')),
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
    ]);
    expect(stack.resolve(targets.linkedCount)).toEqual({ 'Fn::GetAtt': [expect.any(String), 'LinkedCount'] });
  });

  test('organizational units: read from Organizations, the accept role in any account of the organization (acknowledged on the library\'s policy only)', () => {
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
      { Action: ORGANIZATIONS_READ_ACTIONS, Effect: 'Allow', Resource: '*' },
      { ...assumeRole('*', AccountLinkAcceptRole.DEFAULT_ROLE_NAME), Condition: SAME_ORGANIZATION },
    ]));
    // No role in any account without the condition.
    expect(grants(stack).filter((s: any) => s.Action === 'sts:AssumeRole')).toHaveLength(1);
  });

  test('the organization\'s root is a unit like any other: every account of the organization', () => {
    const stack = sourceStack();
    new AccountLinkTargets(stack, 'Targets', { organizationalUnitIds: ['r-ab12', OU], acceptRoleName: 'Accept' });

    Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', { OrganizationalUnitIds: ['r-ab12', OU] });
    expect(grants(stack)).toContainEqual({ ...assumeRole('*', 'Accept'), Condition: SAME_ORGANIZATION });
  });

  test('named targets and units: exactly the named accounts\' roles (which may be outside the organization), and any account\'s within it', () => {
    const stack = sourceStack();
    new AccountLinkTargets(stack, 'Targets', { targetAccountIds: [T1], organizationalUnitIds: [OU], acceptRoleName: 'Accept' });

    expect(grants(stack).filter((s: any) => s.Action === 'sts:AssumeRole')).toEqual([
      assumeRole(T1, 'Accept'),
      { ...assumeRole('*', 'Accept'), Condition: SAME_ORGANIZATION },
    ]);
  });

  test('lists known only at deploy time: units get the Organizations reads and the organization\'s roles, targets any account\'s role', () => {
    const stack = sourceStack();
    const units = new CfnParameter(stack, 'UnitIds', { type: 'CommaDelimitedList' }).valueAsList;
    const accounts = new CfnParameter(stack, 'AccountIds', { type: 'CommaDelimitedList' }).valueAsList;
    new AccountLinkTargets(stack, 'Units', { organizationalUnitIds: units, acceptRoleName: 'Accept' });
    new AccountLinkTargets(stack, 'Accounts', { targetAccountIds: accounts, acceptRoleName: 'Other' });

    expect(grants(stack)).toEqual(expect.arrayContaining([
      { Action: ORGANIZATIONS_READ_ACTIONS, Effect: 'Allow', Resource: '*' },
      { ...assumeRole('*', 'Accept'), Condition: SAME_ORGANIZATION },
      assumeRole('*', 'Other'),
    ]));
  });

  test('readOnEveryDeployment: a property that changes on every synthesis (pinned by the context key), none by default', () => {
    const pinned = sourceStack('Pinned', nagApp({ context: { [READ_NONCE_CONTEXT_KEY]: 'pinned' } }));
    new AccountLinkTargets(pinned, 'Targets', { organizationalUnitIds: [OU], readOnEveryDeployment: true });
    Template.fromStack(pinned).hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', { ReadNonce: 'pinned' });

    const fresh = sourceStack('Fresh');
    new AccountLinkTargets(fresh, 'Targets', { organizationalUnitIds: [OU], readOnEveryDeployment: true });
    const nonce = Template.fromStack(fresh).findResources('Custom::WorkSpacesAccountLinkTargets');
    expect(Object.values(nonce)[0].Properties.ReadNonce).toMatch(/^\d{4}-\d\d-\d\dT/);

    const byDefault = sourceStack('Default');
    new AccountLinkTargets(byDefault, 'Targets', { organizationalUnitIds: [OU] });
    Template.fromStack(byDefault).hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', { ReadNonce: Match.absent() });
  });

  test('callsPerSecond from 0.1 (the pacer\'s floor) to 50', () => {
    for (const [callsPerSecond, written] of [[0.1, '0.1'], [50, '50']] as const) {
      const stack = sourceStack();
      new AccountLinkTargets(stack, 'Targets', { targetAccountIds: [T1], callsPerSecond });
      Template.fromStack(stack).hasResourceProperties('Custom::WorkSpacesAccountLinkTargets', { CallsPerSecond: written });
    }
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
    ['a rate of 0', { targetAccountIds: [T1], callsPerSecond: 0 }, /callsPerSecond must be a number from 0.1 to 50, got 0 /],
    ['a rate under the pacer\'s floor', { targetAccountIds: [T1], callsPerSecond: 0.05 },
      /callsPerSecond must be a number from 0.1 to 50, got 0.05 \(0.1 is one call in 10 seconds, the call pacer's floor: a slower rate would leave an invocation's window without enough turns to make progress\)/],
    ['a rate over 50', { targetAccountIds: [T1], callsPerSecond: 51 }, /callsPerSecond must be a number from 0.1 to 50, got 51 /],
    ['a rate that is not a number', { targetAccountIds: [T1], callsPerSecond: '5' as unknown as number }, /callsPerSecond must be a number from 0.1 to 50, got "5" /],
    ['a root id that is not one', { organizationalUnitIds: ['r-AB12'] }, /organizationalUnitIds\[0\] "r-AB12" does not match/],
    ['readOnEveryDeployment that is not a boolean', { targetAccountIds: [T1], readOnEveryDeployment: 'yes' as unknown as boolean }, /readOnEveryDeployment must be true or false, got "yes"/],
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
    const providerRoleArn = targetStack.resolve(AccountLinksProvider.of(source).role.roleArn);

    expect(role.roleName).toBe(AccountLinkAcceptRole.DEFAULT_ROLE_NAME);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: AccountLinkAcceptRole.DEFAULT_ROLE_NAME,
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          // The source account, on the condition that the caller is its provider role: an ARN IAM keeps as written.
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { 'Fn::Select': [4, { 'Fn::Split': [':', providerRoleArn] }] }, ':root']] } },
          Condition: { ArnEquals: { 'aws:PrincipalArn': providerRoleArn } },
        }],
      },
    });
    expect(grants(targetStack)).toEqual([
      { Action: ['workspaces:AcceptAccountLinkInvitation', 'workspaces:GetAccountLink'], Effect: 'Allow', Resource: '*' },
    ]);
    expect(template.findResources('AWS::Lambda::Function')).toEqual({});
  });

  test('a role ARN written out: the account is read at synth', () => {
    const stack = new Stack(nagApp(), 'Target', { env: { account: T1, region: 'eu-west-1' } });
    const trustedRoleArn = `arn:aws:iam::${SOURCE}:role/links-handler`;
    new AccountLinkAcceptRole(stack, 'AcceptRole', { trustedRoleArn });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${SOURCE}:root`]] } },
          Condition: { ArnEquals: { 'aws:PrincipalArn': trustedRoleArn } },
        }],
      },
    });
  });

  test('as a StackSet over units: service-managed, auto-deployed, as the management account, the role inline with no asset, trusting the parameter', () => {
    const stack = sourceStack();
    AccountLinkAcceptRole.stackSet(stack, 'AcceptRoles', { organizationalUnitIds: [OU], trustedRoleArn: AccountLinksProvider.of(stack).role.roleArn });
    const [stackSet] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet')) as any[];

    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: ['eu-west-1'] }],
      Parameters: [{ ParameterKey: 'TrustedRoleArn', ParameterValue: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } }],
    });
    const template = JSON.parse(stackSet.Properties.TemplateBody);
    expect(Object.values(template.Resources).map((r: any) => r.Type).sort()).toEqual(['AWS::IAM::ManagedPolicy', 'AWS::IAM::Role']);
    expect(JSON.stringify(template)).not.toMatch(/aws:asset|BootstrapVersion|CDKMetadata/);
    // The parameter feeds both the trusted account and the condition on the caller's ARN.
    expect(Object.values(template.Resources).find((r: any) => r.Type === 'AWS::IAM::Role')).toMatchObject({
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [{
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { 'Fn::Select': [4, { 'Fn::Split': [':', { Ref: 'TrustedRoleArn' }] }] }, ':root']] } },
            Condition: { ArnEquals: { 'aws:PrincipalArn': { Ref: 'TrustedRoleArn' } } },
          }],
        },
      },
    });
  });

  test('as a StackSet from a delegated administrator, over the organization\'s root', () => {
    const stack = sourceStack();
    AccountLinkAcceptRole.stackSet(stack, 'AcceptRoles', {
      organizationalUnitIds: ['r-ab12'], trustedRoleArn: `arn:aws:iam::${SOURCE}:role/handler`, callAs: StackSetCallAs.DELEGATED_ADMIN,
    });

    Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'] }, Regions: ['eu-west-1'] }],
    });
  });

  test.each<[string, Partial<AccountLinkAcceptRoleStackSetProps>, RegExp]>([
    ['no unit', { organizationalUnitIds: [] }, /organizationalUnitIds must list at least one unit/],
    ['a unit id that is not one', { organizationalUnitIds: ['engineering'] }, /organizationalUnitIds\[0\] "engineering" does not match/],
    ['a callAs that is not one', { callAs: 'ADMIN' as StackSetCallAs }, /callAs "ADMIN" is not one of SELF, DELEGATED_ADMIN/],
    ['a trusted role that is not a role ARN', { trustedRoleArn: 'handler' }, /trustedRoleArn "handler" does not match/],
  ])('the StackSet rejects %s at synth time', (_name, props, message) => {
    const stack = sourceStack();
    expect(() => AccountLinkAcceptRole.stackSet(stack, 'AcceptRoles', {
      organizationalUnitIds: [OU], trustedRoleArn: `arn:aws:iam::${SOURCE}:role/handler`, ...props,
    })).toThrow(message);
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
