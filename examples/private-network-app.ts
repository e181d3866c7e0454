import { App } from 'aws-cdk-lib';
import { EXAMPLE_NETWORK, PrivateNetworkStack } from './private-network-stack';

// `npx cdk synth --app "npx ts-node --prefer-ts-exts private-network-app.ts"` in examples/.
// Replace EXAMPLE_NETWORK's placeholders with the platform team's network.
const app = new App();
new PrivateNetworkStack(app, 'WorkSpacesAccountLinksPrivateNetwork', EXAMPLE_NETWORK);
app.synth();
