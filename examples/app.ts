import { App } from 'aws-cdk-lib';
import { ExampleStack, RejectedLinkStack } from './example-stack';

const app = new App();
new ExampleStack(app, 'WorkSpacesAccountLinksExample');
new RejectedLinkStack(app, 'WorkSpacesAccountLinksRejected');
app.synth();
