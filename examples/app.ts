import { App } from 'aws-cdk-lib';
import { ByolSourceStack, ByolTargetStack, ExampleStack, RejectedLinkStack } from './example-stack';

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
target.addDependency(source);
app.synth();
