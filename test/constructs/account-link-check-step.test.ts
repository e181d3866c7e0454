import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { AccountLinkCheckStep, AccountLinkCheckStepProps, AccountLinkStatus } from '../../src';
import { nagApp, nagFindings } from '../support/nag';

const ENV = { account: '111122223333', region: 'eu-west-1' };

/** A pipeline in `stack` whose Prod stage has `step` as a `pre` step, built; `afterBuild` runs then. */
function pipelineWithStep(app: App, stack: Stack, step: pipelines.CodeBuildStep, prodEnv = ENV, afterBuild?: () => void): Template {
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    crossAccountKeys: prodEnv.account !== stack.account,
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('owner/repo', 'main', {
        connectionArn: `arn:aws:codeconnections:eu-west-1:${stack.account}:connection/0000`,
      }),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  const prod = new Stage(app, 'Prod', { env: prodEnv });
  new sqs.Queue(new Stack(prod, 'Workload'), 'Queue');
  pipeline.addStage(prod, { pre: [step] });
  pipeline.buildPipeline();
  afterBuild?.();
  return Template.fromStack(stack);
}

/** A pipeline whose Prod stage has the step made of `props` as a `pre` step. */
function pipelineWith(props: AccountLinkCheckStepProps): Template {
  const app = new App();
  return pipelineWithStep(app, new Stack(app, 'Pipeline', { env: ENV }), new AccountLinkCheckStep('CheckByolLink', props));
}

/** The CodeBuild project that runs the step. */
function checkProject(template: Template): any {
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project'))
    .filter((p: any) => p.Properties.Source.BuildSpec.includes('workspaces-account-links check'));
  expect(projects).toHaveLength(1);
  return projects[0];
}

/** The buildspec of the CodeBuild project that runs the step. */
function checkBuildSpec(template: Template): any {
  return JSON.parse(checkProject(template).Properties.Source.BuildSpec);
}

/** The statements of the policies attached to the step's project's role. */
function checkRoleStatements(template: Template): any[] {
  const roleId = checkProject(template).Properties.ServiceRole['Fn::GetAtt'][0];
  return (Object.values(template.findResources('AWS::IAM::Policy')) as any[])
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

test('the buildspec runs the check for each link with the pinned package', () => {
  const template = pipelineWith({
    links: [{ linkId: 'link-1a2b3c4d' }, { linkedAccountId: '444455556666' }],
    waitTimeout: Duration.minutes(10),
    pollInterval: Duration.seconds(30),
    region: 'eu-west-1',
    packageVersion: '1.2.3',
  });

  expect(checkBuildSpec(template).phases.build.commands).toEqual([
    'npx --yes --package cdk-workspaces-account-links@1.2.3 workspaces-account-links check --link-id link-1a2b3c4d --require LINKED --wait 600s --poll 30s --region eu-west-1',
    'npx --yes --package cdk-workspaces-account-links@1.2.3 workspaces-account-links check --linked-account-id 444455556666 --require LINKED --wait 600s --poll 30s --region eu-west-1',
  ]);
  // Two links may each wait 10 minutes and the command's own 60 s; 10 more for the install.
  expect(checkProject(template).Properties.TimeoutInMinutes).toBe(32);
});

test('a development build (version 0.0.0) without packageVersion fails at synth, saying what to set', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require('../../package.json').version).toBe('0.0.0');

  expect(() => new AccountLinkCheckStep('CheckByolLink', { links: [{ linkId: 'link-1a2b3c4d' }], requiredStatus: AccountLinkStatus.LINKED })).toThrow(
    'AccountLinkCheckStep CheckByolLink: this is a development build of cdk-workspaces-account-links (version 0.0.0), '
    + 'which the registry does not have: set packageVersion to a published version');
});

test('the step\'s role may call workspaces:GetAccountLink and no other WorkSpaces action', () => {
  const statements = checkRoleStatements(pipelineWith({ links: [{ linkId: 'link-1a2b3c4d' }], packageVersion: '1.2.3' }));
  const workspaces = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('workspaces:')));

  expect(workspaces).toEqual([{ Action: 'workspaces:GetAccountLink', Effect: 'Allow', Resource: '*' }]);
  expect(statements.filter((s: any) => [s.Action].flat().includes('sts:AssumeRole'))).toEqual([]);
});

test.each([
  ['no links', { links: [] }, /links is empty/],
  ['a bad link id', { links: [{ linkId: 'link-1' }] }, /links\[0\]\.linkId "link-1" does not match/],
  ['both lookups', { links: [{ linkId: 'link-1a2b3c4d', linkedAccountId: '444455556666' }] }, /set exactly one of links\[0\]\.linkId and links\[0\]\.linkedAccountId/],
  ['a poll not shorter than the wait', { links: [{ linkId: 'link-1a2b3c4d' }], waitTimeout: Duration.minutes(1), pollInterval: Duration.minutes(1) },
    /pollInterval \(1 minute\) must be shorter than waitTimeout \(1 minute\)/],
  ['a poll without a wait', { links: [{ linkId: 'link-1a2b3c4d' }], pollInterval: Duration.seconds(5) }, /pollInterval needs waitTimeout/],
  // The command's default poll (15 s) would refuse this wait in the pipeline: the step refuses it first.
  ['a wait not longer than the default poll', { links: [{ linkId: 'link-1a2b3c4d' }], waitTimeout: Duration.seconds(10) },
    /pollInterval \(15 seconds, the default\) must be shorter than waitTimeout \(10 seconds\)/],
  ['a wait over 8 hours', { links: [{ linkId: 'link-1a2b3c4d' }], waitTimeout: Duration.hours(9) },
    /waitTimeout \(9 hours\) must be a whole number of seconds from 1 to 28800/],
  ['a bad role ARN', { links: [{ linkId: 'link-1a2b3c4d', assumeRoleArn: 'role/reader' }] }, /links\[0\]: assumeRoleArn "role\/reader" is not an IAM role ARN/],
  ['an external id without a role', { links: [{ linkId: 'link-1a2b3c4d' }], externalId: 'byol' }, /links\[0\]: externalId needs assumeRoleArn/],
  ['a bad Region', { links: [{ linkId: 'link-1a2b3c4d' }], region: 'Ireland' }, /links\[0\]: region "Ireland" is not a Region name/],
  ['a timeout shorter than the checks',
    { links: [{ linkId: 'link-1a2b3c4d' }, { linkId: 'link-2a2b3c4d' }], waitTimeout: Duration.minutes(10), timeout: Duration.minutes(20) },
    /timeout \(20 minutes\) is shorter than the checks may take \(32 minutes: 2 × \(the wait \+ 1 minute\) \+ 10 minutes to install\)/],
])('rejects %s at synth time', (_name, props, message) => {
  expect(() => new AccountLinkCheckStep('Check', { packageVersion: '1.2.3', ...props } as AccountLinkCheckStepProps)).toThrow(message);
});

describe('a cross-account pipeline: checks through roles in the link\'s accounts, from a VPC', () => {
  const SOURCE_READER = 'arn:aws:iam::111122223333:role/workspaces-link-reader';
  const PROD_READER = 'arn:aws:iam::444455556666:role/workspaces-link-reader';
  const VPC_ENDPOINT = 'https://vpce-0123.workspaces.eu-west-1.vpce.amazonaws.com';

  /** A pipeline account (999988887777) that is on neither side of the links, deploying to prod (444455556666). */
  function crossAccount(): Template {
    const app = new App();
    const stack = new Stack(app, 'Pipeline', { env: { account: '999988887777', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const securityGroup = new ec2.SecurityGroup(stack, 'CheckSecurityGroup', { vpc });
    const step = new AccountLinkCheckStep('CheckByolLink', {
      links: [
        { linkedAccountId: '111122223333' },
        { linkId: 'link-1a2b3c4d', assumeRoleArn: SOURCE_READER },
      ],
      assumeRoleArn: PROD_READER,
      externalId: 'byol',
      region: 'eu-west-1',
      waitTimeout: Duration.minutes(10),
      packageVersion: '1.2.3',
      vpc,
      subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      buildEnvironment: { computeType: codebuild.ComputeType.MEDIUM },
      timeout: Duration.hours(1),
      env: { AWS_ENDPOINT_URL_WORKSPACES: VPC_ENDPOINT },
      rolePolicyStatements: [new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:eu-west-1:999988887777:parameter/byol'] })],
    });
    return pipelineWithStep(app, stack, step, { account: '444455556666', region: 'eu-west-1' });
  }

  test('each link is checked as the account that sees it: through the step\'s role, or the link\'s own', () => {
    const spec = checkBuildSpec(crossAccount());

    expect(spec.phases.build.commands).toEqual([
      'npx --yes --package cdk-workspaces-account-links@1.2.3 workspaces-account-links check --linked-account-id 111122223333 --require LINKED --wait 600s '
        + `--assume-role ${PROD_READER} --external-id byol --region eu-west-1`,
      'npx --yes --package cdk-workspaces-account-links@1.2.3 workspaces-account-links check --link-id link-1a2b3c4d --require LINKED --wait 600s '
        + `--assume-role ${SOURCE_READER} --region eu-west-1`,
    ]);
  });

  test('the role may assume exactly those two roles and call no WorkSpaces action itself; the user\'s statement is kept', () => {
    const statements = checkRoleStatements(crossAccount());

    expect(statements.filter((s: any) => [s.Action].flat().includes('sts:AssumeRole')))
      .toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Resource: [PROD_READER, SOURCE_READER] }]);
    expect(statements).toContainEqual({ Action: 'ssm:GetParameter', Effect: 'Allow', Resource: 'arn:aws:ssm:eu-west-1:999988887777:parameter/byol' });
    expect(statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('workspaces:')))).toEqual([]);
  });

  test('the CodeBuild options pass through: VPC, subnets, security group, compute type, environment, timeout', () => {
    const project = checkProject(crossAccount());

    expect(project.Properties.VpcConfig).toEqual({
      VpcId: { Ref: expect.stringMatching(/^Vpc/) },
      Subnets: [{ Ref: expect.stringMatching(/^VpcisolatedSubnet1/) }, { Ref: expect.stringMatching(/^VpcisolatedSubnet2/) }],
      SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^CheckSecurityGroup/), 'GroupId'] }],
    });
    expect(project.Properties.Environment.ComputeType).toBe('BUILD_GENERAL1_MEDIUM');
    expect(project.Properties.Environment.EnvironmentVariables).toEqual([{ Name: 'AWS_ENDPOINT_URL_WORKSPACES', Type: 'PLAINTEXT', Value: VPC_ENDPOINT }]);
    expect(project.Properties.TimeoutInMinutes).toBe(60);
  });
});

test('a role of the user\'s is the build\'s role, and gets the step\'s statements', () => {
  const app = new App();
  const stack = new Stack(app, 'Pipeline', { env: ENV });
  const role = new iam.Role(stack, 'CheckRole', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
  const template = pipelineWithStep(app, stack, new AccountLinkCheckStep('CheckByolLink', {
    links: [{ linkId: 'link-1a2b3c4d' }], packageVersion: '1.2.3', role,
  }));

  expect(checkProject(template).Properties.ServiceRole).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CheckRole/), 'Arn'] });
  expect(checkRoleStatements(template)).toContainEqual({ Action: 'workspaces:GetAccountLink', Effect: 'Allow', Resource: '*' });
});

describe('cdk-nag', () => {
  const findingsOf = (step: pipelines.CodeBuildStep, afterBuild?: () => void) => {
    const app = nagApp();
    const stack = new Stack(app, 'Pipeline', { env: ENV });
    return nagFindings(() => pipelineWithStep(app, stack, step, ENV, afterBuild))
      .filter((finding) => finding.path.includes('/Prod/Check/'))
      .map((finding) => `${finding.path.replace(/^.*\/Prod\/Check\//, '')} ${finding.id}`.replace(/<PipelineProdCheck[0-9A-F]+>/, '<project>'))
      .sort();
  };
  const newStep = () => new AccountLinkCheckStep('Check', { links: [{ linkId: 'link-1a2b3c4d' }], packageVersion: '1.2.3' });
  const plain = () => findingsOf(new pipelines.CodeBuildStep('Check', { commands: ['true'] }));

  test('acknowledgeWildcard(): the step adds no finding to its project beyond what any CodeBuildStep has', () => {
    const step = newStep();
    const ours = findingsOf(step, () => step.acknowledgeWildcard());

    // CDK Pipelines' own grants (artifact bucket, logs, report groups) and its KMS choice.
    expect(plain().length).toBeGreaterThan(0);
    expect(ours).toEqual(plain());
  });

  test('without it, the one wildcard the step adds is reported', () => {
    expect(findingsOf(newStep())).toEqual([...plain(), 'Check/Role/DefaultPolicy/Resource AwsSolutions::AwsSolutions-IAM5[Resource::*]'].sort());
  });

  test('before the pipeline is built there is no project to acknowledge on: a clear error', () => {
    expect(() => newStep().acknowledgeWildcard()).toThrow(
      'AccountLinkCheckStep Check: its CodeBuild project does not exist yet: call pipeline.buildPipeline() before acknowledgeWildcard()');
  });
});

test('the step overrides no @internal member of aws-cdk-lib (a minor release may change them in every language)', () => {
  const own = Object.getOwnPropertyNames(AccountLinkCheckStep.prototype);
  expect(own.filter((name) => name.startsWith('_'))).toEqual([]);
});

describe('in a private network: no internet, no NAT', () => {
  const CODEARTIFACT_LOGIN = 'aws codeartifact login --tool npm --domain platform --domain-owner 111122223333 --repository npm-mirror';
  const ENDPOINT = 'https://vpce-0123-abcd.workspaces.eu-west-1.vpce.amazonaws.com';

  function privateStep(overrides: Partial<AccountLinkCheckStepProps> = {}) {
    const app = new App();
    const stack = new Stack(app, 'Pipeline', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    // What the build reaches instead of the internet: the npm registry's mirror, WorkSpaces, STS, its logs, the artifacts.
    for (const [id, service] of Object.entries({
      CodeArtifactApi: ec2.InterfaceVpcEndpointAwsService.CODEARTIFACT_API,
      CodeArtifactRepositories: ec2.InterfaceVpcEndpointAwsService.CODEARTIFACT_REPOSITORIES,
      WorkSpaces: ec2.InterfaceVpcEndpointAwsService.WORKSPACES,
      Sts: ec2.InterfaceVpcEndpointAwsService.STS,
      Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    })) {
      vpc.addInterfaceEndpoint(id, { service });
    }
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const step = new AccountLinkCheckStep('CheckByolLink', {
      links: [{ linkId: 'link-1a2b3c4d' }],
      packageVersion: '1.2.3',
      vpc,
      subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      installCommands: [CODEARTIFACT_LOGIN],
      partialBuildSpec: codebuild.BuildSpec.fromObject({ env: { variables: { NPM_CONFIG_FUND: 'false' } } }),
      rolePolicyStatements: [
        new iam.PolicyStatement({ actions: ['codeartifact:GetAuthorizationToken', 'codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'], resources: ['*'] }),
        new iam.PolicyStatement({ actions: ['sts:GetServiceBearerToken'], resources: ['*'], conditions: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } } }),
      ],
      ...overrides,
    });
    return pipelineWithStep(app, stack, step);
  }

  test('installCommands log in to the registry mirror before npx runs; partialBuildSpec is merged', () => {
    const template = privateStep();
    const spec = checkBuildSpec(template);

    expect(spec.phases.install.commands).toEqual([CODEARTIFACT_LOGIN]);
    expect(spec.phases.build.commands).toEqual([expect.stringMatching(/^npx --yes --package cdk-workspaces-account-links@1\.2\.3 workspaces-account-links check /)]);
    expect(spec.env).toEqual({ variables: { NPM_CONFIG_FUND: 'false' } });
    expect(checkProject(template).Properties.VpcConfig.Subnets).toHaveLength(2);
    expect(checkRoleStatements(template)).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['codeartifact:GetAuthorizationToken']) }));
  });

  test('an endpoint override holds for its own Region only: a link checked in another Region is refused at synth', () => {
    expect(() => privateStep({ env: { AWS_ENDPOINT_URL_WORKSPACES: ENDPOINT }, region: 'eu-central-1' })).toThrow(
      `AccountLinkCheckStep CheckByolLink: env AWS_ENDPOINT_URL_WORKSPACES (${ENDPOINT}) is an endpoint in eu-west-1, but the checks run in eu-central-1`);
    expect(() => privateStep({
      env: { AWS_ENDPOINT_URL_STS: 'https://sts.internal.example' },
      links: [{ linkId: 'link-1a2b3c4d' }, { linkId: 'link-5e6f7a8b', region: 'eu-central-1' }],
    })).toThrow(/env AWS_ENDPOINT_URL_STS \(https:\/\/sts\.internal\.example\) serves every check, but the checks run in the build's Region and eu-central-1/);
    expect(() => privateStep({ env: { AWS_ENDPOINT_URL_WORKSPACES: ENDPOINT }, region: 'eu-west-1' })).not.toThrow();
  });
});
