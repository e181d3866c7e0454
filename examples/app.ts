import { App } from 'aws-cdk-lib';
import { ByolOrganizationStack, ByolSourceStack, ByolTargetStack, ExampleStack, RejectedLinkStack } from './example-stack';
import { ExamplePipelineStack } from './pipeline-stack';

const SOURCE = '111122223333';
const NEW_TARGET = '666677778888';

const app = new App();
new ExampleStack(app, 'WorkSpacesAccountLinksExample');
new RejectedLinkStack(app, 'WorkSpacesAccountLinksRejected');

// The handshake, one stack in each account: the target deploys after the source.
const source = new ByolSourceStack(app, 'WorkSpacesAccountLinksSource', {
  env: { account: SOURCE, region: 'eu-west-1' },
  targetAccountId: NEW_TARGET,
});
const target = new ByolTargetStack(app, 'WorkSpacesAccountLinksTarget', {
  env: { account: NEW_TARGET, region: 'eu-west-1' },
  sourceAccountId: SOURCE,
});
// A construct dependency between stacks is a stack dependency, on every aws-cdk-lib of the
// range (Stack.addDependency is deprecated on the newest, addStackDependency new there).
target.node.addDependency(source);

// The same gate before a pipeline stage: the check step runs before Prod deploys.
new ExamplePipelineStack(app, 'WorkSpacesAccountLinksPipeline', {
  env: { account: SOURCE, region: 'eu-west-1' },
  connectionArn: `arn:aws:codeconnections:eu-west-1:${SOURCE}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`,
});
// A whole business unit of the organization (examples/links.json holds its tree): one resource, paced.
new ByolOrganizationStack(app, 'WorkSpacesAccountLinksOrganization', {
  env: { account: SOURCE, region: 'eu-west-1' },
  organizationalUnitId: 'ou-ab12-business',
});
app.synth();
