import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { AccountLink, AccountLinkAcceptance, AccountLinkInvitation, AccountLinks, AccountLinksProvider, AccountLinkStatus } from '../../src';

const ENV = { account: '111122223333', region: 'us-east-1' };
const OTHER_ROLE = 'arn:aws:iam::444455556666:role/workspaces-link-reader';

/** An imported VPC with two isolated subnets: no resources of its own in the template. */
function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  });
}

/** One construct of each kind, a waiting gate and an assumed role among them: every permission the provider grants. */
function everyConstruct(stack: Stack): void {
  new AccountLink(stack, 'Gate', {
    linkId: 'link-1a2b3c4d', requiredStatus: AccountLinkStatus.LINKED, waitTimeout: Duration.minutes(10), assumeRoleArn: OTHER_ROLE,
  });
  new AccountLinks(stack, 'All');
  new AccountLinkInvitation(stack, 'Invite', { targetAccountId: '444455556666' });
  new AccountLinkAcceptance(stack, 'Accept', { sourceAccountId: '999988887777' });
}

function statementsOf(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('AccountLinksProvider.of and configure', () => {
  test('of() creates the stack\'s provider on first use, and every construct shares it', () => {
    const stack = new Stack();
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });

    const provider = AccountLinksProvider.of(stack);
    expect(AccountLinksProvider.of(new AccountLinks(stack, 'All'))).toBe(provider);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('configure() before the constructs sets up the provider they use', () => {
    const stack = new Stack();
    const provider = AccountLinksProvider.configure(stack, { memorySize: 512 });
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });

    expect(AccountLinksProvider.of(stack)).toBe(provider);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512 });
  });

  test('configure() after a construct created the provider, or twice, is a synth error', () => {
    const used = new Stack(new App(), 'Used');
    new AccountLink(used, 'Link', { linkId: 'link-1a2b3c4d' });
    expect(() => AccountLinksProvider.configure(used, {})).toThrow(
      'AccountLinksProvider.configure(Used): a construct of this library created the stack\'s provider with the defaults before: call configure before adding the constructs');

    const twice = new Stack(new App(), 'Twice');
    AccountLinksProvider.configure(twice, {});
    expect(() => AccountLinksProvider.configure(twice, {})).toThrow(
      'AccountLinksProvider.configure(Twice): the stack\'s provider is configured already: configure it once');
  });

  test('configure() needs a Stack', () => {
    const stack = new Stack();
    expect(() => AccountLinksProvider.configure(new AccountLinks(stack, 'All') as unknown as Stack, {})).toThrow(/the scope must be a Stack/);
  });

  test('each stack has its own provider', () => {
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    AccountLinksProvider.configure(a, { memorySize: 512 });
    new AccountLink(a, 'Link', { linkId: 'link-1a2b3c4d' });
    new AccountLink(b, 'Link', { linkId: 'link-1a2b3c4d' });

    Template.fromStack(a).hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512 });
    Template.fromStack(b).hasResourceProperties('AWS::Lambda::Function', { MemorySize: 256 });
  });
});

describe('AccountLinksProvider options', () => {
  test('the function\'s own settings: runtime, architecture, name, memory, reserved concurrency, FIPS endpoints', () => {
    const stack = new Stack();
    AccountLinksProvider.configure(stack, {
      runtime: new lambda.Runtime('nodejs26.x', lambda.RuntimeFamily.NODEJS),
      architecture: lambda.Architecture.ARM_64,
      functionName: 'workspaces-account-links',
      memorySize: 1024,
      reservedConcurrentExecutions: 5,
      useFipsEndpoint: true,
    });
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs26.x',
      Architectures: ['arm64'],
      FunctionName: 'workspaces-account-links',
      MemorySize: 1024,
      ReservedConcurrentExecutions: 5,
      Environment: { Variables: { AWS_USE_FIPS_ENDPOINT: 'true' } },
    });
  });

  test.each([
    [lambda.Runtime.NODEJS_20_X, /runtime nodejs20.x cannot run the handler: it needs Node.js 22 or later/],
    [lambda.Runtime.PYTHON_3_13, /runtime python3.13 cannot run the handler/],
  ])('refuses runtime %s at synth', (runtime, message) => {
    expect(() => AccountLinksProvider.configure(new Stack(), { runtime })).toThrow(message);
  });

  test.each([
    [{ memorySize: 0 }, /memorySize must be a whole number of at least 1, got 0/],
    [{ reservedConcurrentExecutions: 2.5 }, /reservedConcurrentExecutions must be a whole number of at least 1, got 2.5/],
    [{ useFipsEndpoint: 'yes' }, /useFipsEndpoint must be true or false, got "yes"/],
  ])('refuses %j at synth', (props, message) => {
    expect(() => AccountLinksProvider.configure(new Stack(), props as any)).toThrow(message);
  });

  test('in a VPC: its subnets and security groups, and the network-interface actions on the library\'s role before the function starts', () => {
    const stack = new Stack(undefined, 'Links', { env: ENV });
    const vpc = importedVpc(stack);
    const securityGroup = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    AccountLinksProvider.configure(stack, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [securityGroup] });
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'GroupId'] }],
      },
    });
    expect(statementsOf(template)).toContainEqual({
      Action: [
        'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
      ],
      Effect: 'Allow',
      Resource: '*',
    });
    // No AWS managed policy (AWSLambdaVPCAccessExecutionRole) on the role: the library's own policy grants it.
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fn.DependsOn).toContainEqual(expect.stringMatching(/^WorkSpacesAccountLinksHandlerPolicy/));
  });

  test('a role of your own: the library creates no role or policy and adds nothing to it; synthesis lists what it must allow', () => {
    const app = new App();
    const stack = new Stack(app, 'Links', { env: ENV });
    const role = iam.Role.fromRoleArn(stack, 'Own', 'arn:aws:iam::111122223333:role/platform/workspaces-links');
    const provider = AccountLinksProvider.configure(stack, { role });
    everyConstruct(stack);
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { Role: 'arn:aws:iam::111122223333:role/platform/workspaces-links' });
    expect(provider.role).toBe(role);
    expect(provider.grantPrincipal).toBe(role);

    const info = app.synth().getStackByName('Links').messages.find((m) => m.level === 'info' && /must allow/.test(String(m.entry.data)));
    const allowed = JSON.parse(/must allow: (.*)$/.exec(String(info?.entry.data))![1]);
    expect(allowed.Statement.map((s: any) => s.Action)).toEqual([
      ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'],
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      'sts:AssumeRole',
      'lambda:InvokeFunction',
      ['workspaces:CreateAccountLinkInvitation', 'workspaces:DeleteAccountLinkInvitation'],
      'workspaces:AcceptAccountLinkInvitation',
    ]);
  });

  test('the role is there to trust: another account\'s role can name it', () => {
    const app = new App();
    const stack = new Stack(app, 'Links', { env: ENV });
    const provider = AccountLinksProvider.of(stack);
    // The role in the target account, trusting exactly this provider's role.
    const target = new Stack(app, 'Target', { env: { account: '444455556666', region: 'us-east-1' } });
    new iam.Role(target, 'Reader', { assumedBy: new iam.ArnPrincipal(provider.role.roleArn), roleName: 'workspaces-link-reader' });

    // Another environment needs a name it can know at synth: CDK generates one, as it does for its own roles.
    const roleName = Template.fromStack(stack).findResources('AWS::IAM::Role');
    const [name] = Object.values(roleName).map((r: any) => r.Properties.RoleName);
    expect(name).toMatch(/^links.+/i);
    Template.fromStack(target).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::111122223333:role/${name}`]] } },
          Action: 'sts:AssumeRole',
        }],
      },
    });
  });

  test('logs: retention, removal policy and a KMS key of the app, with the key-policy statement CloudWatch Logs needs', () => {
    const stack = new Stack(undefined, 'Links', { env: ENV });
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    AccountLinksProvider.configure(stack, { logRetention: logs.RetentionDays.TEN_YEARS, logRemovalPolicy: RemovalPolicy.RETAIN, encryptionKey });
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
    const template = Template.fromStack(stack);

    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 3653, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } },
          Action: Match.arrayWith(['kms:Encrypt*', 'kms:GenerateDataKey*']),
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
        })]),
      },
    });
  });

  test('a log group of your own gets the lines, and the role may write to it', () => {
    const stack = new Stack();
    const logGroup = new logs.LogGroup(stack, 'Platform', { retention: logs.RetentionDays.ONE_YEAR });
    AccountLinksProvider.configure(stack, { logGroup });
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^Platform') } } });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Platform'), 'Arn'] },
        }]),
      },
    });
  });

  test('a log group of your own excludes the settings of the library\'s', () => {
    const stack = new Stack();
    const logGroup = new logs.LogGroup(stack, 'Platform');
    expect(() => AccountLinksProvider.configure(stack, { logGroup, logRetention: logs.RetentionDays.ONE_DAY }))
      .toThrow(/logGroup is a log group of your own: logRetention, logRemovalPolicy and encryptionKey configure the library's, so set neither with it/);
  });

  test('logs for real log pipelines: JSON log format, INFO by default, another application log level on request', () => {
    const byDefault = new Stack();
    new AccountLink(byDefault, 'Link', { linkId: 'link-1a2b3c4d' });
    Template.fromStack(byDefault).hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', LogGroup: Match.anyValue() },
    });

    const warn = new Stack();
    AccountLinksProvider.configure(warn, { applicationLogLevel: lambda.ApplicationLogLevel.WARN });
    new AccountLink(warn, 'Link', { linkId: 'link-1a2b3c4d' });
    Template.fromStack(warn).hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } });
  });
});

describe('aws-cdk-lib\'s CustomResourceConfig', () => {
  test('log retention, removal policy and runtime apply to the provider as to an AwsCustomResource in the same app', () => {
    const app = new App();
    const stack = new Stack(app, 'Links');
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });
    new cr.AwsCustomResource(stack, 'Theirs', {
      onCreate: { service: 'WorkSpaces', action: 'GetAccountLink', parameters: { LinkId: 'link-1a2b3c4d' }, physicalResourceId: cr.PhysicalResourceId.of('x') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    const runtime = new lambda.Runtime('nodejs26.x', lambda.RuntimeFamily.NODEJS);
    cr.CustomResourceConfig.of(app).addLogRetentionLifetime(logs.RetentionDays.TEN_YEARS);
    cr.CustomResourceConfig.of(app).addRemovalPolicy(RemovalPolicy.RETAIN);
    cr.CustomResourceConfig.of(app).addLambdaRuntime(runtime);
    const template = Template.fromStack(stack);

    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    // Ours and the one CustomResourceConfig gives AwsCustomResource's function.
    expect(logGroups).toHaveLength(2);
    for (const logGroup of logGroups) {
      expect(logGroup).toMatchObject({ Properties: { RetentionInDays: 3653 }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(2);
    for (const fn of functions) expect(fn.Properties.Runtime).toBe('nodejs26.x');
  });
});

describe('pre-created roles and role rules', () => {
  test('under Role.customizeRoles: no IAM role or policy, and the policy report lists every statement', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'customize-roles-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Links', { env: ENV });
    iam.Role.customizeRoles(stack, { usePrecreatedRoles: { 'Links/WorkSpacesAccountLinksHandler/Role': 'platform-workspaces-links' } });
    everyConstruct(stack);
    const template = Template.fromStack(stack);

    expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type).filter((t: string) => t.startsWith('AWS::IAM::'))).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/platform-workspaces-links']] },
    });
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'iam-policy-report.json'), 'utf8'));
    const actions = JSON.stringify(report);
    for (const action of [
      'workspaces:GetAccountLink', 'workspaces:ListAccountLinks', 'logs:PutLogEvents', 'lambda:InvokeFunction', 'sts:AssumeRole',
      'workspaces:CreateAccountLinkInvitation', 'workspaces:DeleteAccountLinkInvitation', 'workspaces:AcceptAccountLinkInvitation',
    ]) {
      expect(actions).toContain(action);
    }
    expect(actions).toContain(OTHER_ROLE);
  });

  test('a permissions boundary applies to the library\'s role', () => {
    const stack = new Stack(new App(), 'Links', { env: ENV });
    iam.PermissionsBoundary.of(stack).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'platform-boundary'));
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      PermissionsBoundary: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:policy/platform-boundary']] },
    });
  });

  // Property injectors came with aws-cdk-lib 2.196: the run against the newest aws-cdk-lib shows them.
  const { PropertyInjectors } = cdk as any;
  (PropertyInjectors ? test : test.skip)('a property injector (a role path) applies to the library\'s role', () => {
    const app = new App();
    PropertyInjectors.of(app).add({ constructUniqueId: (iam.Role as any).PROPERTY_INJECTION_ID, inject: (props: iam.RoleProps) => ({ ...props, path: '/platform/' }) });
    const stack = new Stack(app, 'Links', { env: ENV });
    new AccountLink(stack, 'Link', { linkId: 'link-1a2b3c4d' });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Path: '/platform/' });
  });
});
