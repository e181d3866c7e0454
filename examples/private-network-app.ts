import { App } from 'aws-cdk-lib';
import { PrivateNetworkStack } from './private-network-stack';

// `npx cdk synth --app "npx ts-node --prefer-ts-exts private-network-app.ts"` in examples/:
// the ids are the platform team's network (these are placeholders).
const app = new App();
new PrivateNetworkStack(app, 'WorkSpacesAccountLinksPrivateNetwork', {
  env: { account: '111122223333', region: 'us-east-1' },
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidrBlock: '10.20.0.0/16',
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  isolatedSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
  linkReaderRoleArn: 'arn:aws:iam::444455556666:role/workspaces-link-reader',
});
app.synth();
