import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AccountLink, AccountLinks, AccountLinksProvider, AccountLinkStatus } from '../src';

/** The platform team's network: a VPC with isolated subnets only (no NAT, no internet gateway). */
export interface PrivateNetworkStackProps extends StackProps {
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  readonly availabilityZones: string[];
  readonly isolatedSubnetIds: string[];
  readonly isolatedSubnetRouteTableIds: string[];
  /** The role in the target account that the gate reads the link through. */
  readonly linkReaderRoleArn: string;
}

/** Placeholders for the platform team's network and the target account's reader role: the app's and the test's. */
export const EXAMPLE_NETWORK: PrivateNetworkStackProps = {
  env: { account: '111122223333', region: 'us-east-1' },
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidrBlock: '10.20.0.0/16',
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  isolatedSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
  linkReaderRoleArn: 'arn:aws:iam::444455556666:role/workspaces-link-reader',
};

/**
 * The provider in private subnets with no route to the internet (docs/locked-down-accounts.md,
 * "In a private network"): the function reaches WorkSpaces, Lambda (for a gate's hand-over) and STS (for
 * `assumeRoleArn`) through interface endpoints in the Region of the read, and
 * CloudFormation's pre-signed response URL (S3) through a gateway endpoint. Its logs are
 * kept a year, encrypted with a key of the stack, and retained; its concurrency is
 * reserved. The stack passes all four compliance packs (test/examples/private-network.test.ts).
 */
export class PrivateNetworkStack extends Stack {
  constructor(scope: Construct, id: string, props: PrivateNetworkStackProps) {
    super(scope, id, props);
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: props.vpcId,
      vpcCidrBlock: props.vpcCidrBlock,
      availabilityZones: props.availabilityZones,
      isolatedSubnetIds: props.isolatedSubnetIds,
      isolatedSubnetRouteTableIds: props.isolatedSubnetRouteTableIds,
    });
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    // Interface endpoints with private DNS: the SDK's default hosts resolve to them.
    for (const [name, service] of Object.entries({
      WorkSpaces: ec2.InterfaceVpcEndpointAwsService.WORKSPACES,
      Lambda: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
      Sts: ec2.InterfaceVpcEndpointAwsService.STS,
    })) {
      vpc.addInterfaceEndpoint(`${name}Endpoint`, { service, subnets });
    }
    // The response URL is an S3 pre-signed URL: a gateway endpoint routes to it.
    vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [subnets] });

    // HTTPS out, which in these subnets reaches only the endpoints above.
    const securityGroup = new ec2.SecurityGroup(this, 'ProviderSecurityGroup', {
      vpc, allowAllOutbound: false, description: 'WorkSpaces account-links provider: HTTPS to the VPC endpoints',
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the interface and S3 gateway endpoints');

    const logKey = new kms.Key(this, 'LogKey', {
      description: 'Encrypts the WorkSpaces account-links provider\'s logs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Before any construct of the library in the stack.
    AccountLinksProvider.configure(this, {
      vpc,
      vpcSubnets: subnets,
      securityGroups: [securityGroup],
      encryptionKey: logKey,
      logRetention: logs.RetentionDays.ONE_YEAR,
      logRemovalPolicy: RemovalPolicy.RETAIN,
      reservedConcurrentExecutions: 5,
    });

    new AccountLink(this, 'ByolLink', {
      linkedAccountId: '444455556666',
      requiredStatus: AccountLinkStatus.LINKED,
      waitTimeout: Duration.minutes(30),
      assumeRoleArn: props.linkReaderRoleArn,
    });
    new AccountLinks(this, 'AllLinks');
  }
}
