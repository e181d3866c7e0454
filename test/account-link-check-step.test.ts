import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { AccountLinkCheckStep, AccountLinkCheckStepProps, AccountLinkStatus } from '../src';

const ENV = { account: '111122223333', region: 'eu-west-1' };

/** A pipeline whose Prod stage has the step as a `pre` step. */
function pipelineWith(props: AccountLinkCheckStepProps): Template {
  const app = new App();
  const stack = new Stack(app, 'Pipeline', { env: ENV });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('owner/repo', 'main', {
        connectionArn: 'arn:aws:codeconnections:eu-west-1:111122223333:connection/0000',
      }),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  const prod = new Stage(app, 'Prod', { env: ENV });
  new sqs.Queue(new Stack(prod, 'Workload'), 'Queue');
  pipeline.addStage(prod, { pre: [new AccountLinkCheckStep('CheckByolLink', props)] });
  return Template.fromStack(stack);
}

/** The buildspec of the CodeBuild project that runs the step. */
function checkBuildSpec(template: Template): any {
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project'))
    .map((p: any) => JSON.parse(p.Properties.Source.BuildSpec))
    .filter((spec) => JSON.stringify(spec).includes('workspaces-account-links check'));
  expect(projects).toHaveLength(1);
  return projects[0];
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
  // Two links may each wait 10 minutes; 10 more for the install.
  const project = Object.values(template.findResources('AWS::CodeBuild::Project'))
    .find((p: any) => p.Properties.Source.BuildSpec.includes('workspaces-account-links check')) as any;
  expect(project.Properties.TimeoutInMinutes).toBe(30);
});

test('the version defaults to the one that synthesized the pipeline', () => {
  const template = pipelineWith({ links: [{ linkId: 'link-1a2b3c4d' }], requiredStatus: AccountLinkStatus.LINKED });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = require('../package.json').version;

  expect(checkBuildSpec(template).phases.build.commands).toEqual([
    `npx --yes --package cdk-workspaces-account-links@${version} workspaces-account-links check --link-id link-1a2b3c4d --require LINKED`,
  ]);
});

test('the step\'s role may call workspaces:GetAccountLink and no other WorkSpaces action', () => {
  const template = pipelineWith({ links: [{ linkId: 'link-1a2b3c4d' }] });
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  const workspaces = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('workspaces:')));

  expect(workspaces).toEqual([{ Action: 'workspaces:GetAccountLink', Effect: 'Allow', Resource: '*' }]);
});

test.each([
  ['no links', { links: [] }, /links is empty/],
  ['a bad link id', { links: [{ linkId: 'link-1' }] }, /linkId "link-1" does not match/],
  ['both lookups', { links: [{ linkId: 'link-1a2b3c4d', linkedAccountId: '444455556666' }] }, /exactly one of linkId and linkedAccountId/],
  ['a poll not shorter than the wait', { links: [{ linkId: 'link-1a2b3c4d' }], waitTimeout: Duration.minutes(1), pollInterval: Duration.minutes(1) },
    /pollInterval must be shorter than waitTimeout/],
  ['a poll without a wait', { links: [{ linkId: 'link-1a2b3c4d' }], pollInterval: Duration.seconds(5) }, /pollInterval needs waitTimeout/],
])('rejects %s at synth time', (_name, props, message) => {
  expect(() => new AccountLinkCheckStep('Check', props as AccountLinkCheckStepProps)).toThrow(message);
});
