import { Match, Template } from 'aws-cdk-lib/assertions';
import { EXAMPLE_NETWORK, PrivateNetworkStack } from '../../examples/private-network-stack';
import { nagApp, nagFindings } from '../support/nag';

const NETWORK = EXAMPLE_NETWORK;

describe('the private-network example', () => {
  // All four packs, and no finding acknowledged by the test: the example fixes them all.
  const app = nagApp({ acknowledgeProviderDefaults: false });
  const stack = new PrivateNetworkStack(app, 'Private', NETWORK);

  test('synthesizes with no finding of AwsSolutions, NIST 800-53 R5, HIPAA Security or PCI DSS 3.2.1', () => {
    expect(nagFindings(() => app.synth())).toEqual([]);
  });

  const template = Template.fromStack(stack);

  test('the function runs in the isolated subnets, behind a security group that allows HTTPS out only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: NETWORK.isolatedSubnetIds, SecurityGroupIds: [{ 'Fn::GetAtt': [expectId('ProviderSecurityGroup'), 'GroupId'] }] },
      ReservedConcurrentExecutions: 5,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'WorkSpaces account-links provider: HTTPS to the VPC endpoints',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: Match.anyValue() }],
    });
  });

  test('what the function calls has an endpoint: WorkSpaces, Lambda and STS interface endpoints, S3 through a gateway', () => {
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => ({
      service: JSON.stringify(e.Properties.ServiceName), type: e.Properties.VpcEndpointType, privateDns: e.Properties.PrivateDnsEnabled,
    }));
    expect(services).toEqual(expect.arrayContaining([
      { service: expect.stringContaining('.workspaces'), type: 'Interface', privateDns: true },
      { service: expect.stringContaining('.lambda'), type: 'Interface', privateDns: true },
      { service: expect.stringContaining('.sts'), type: 'Interface', privateDns: true },
      { service: expect.stringContaining('.s3'), type: 'Gateway', privateDns: undefined },
    ]));
    expect(services).toHaveLength(4);
  });

  test('the logs are kept a year, encrypted with the stack\'s key, and retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [expectId('LogKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });
});

function expectId(prefix: string) {
  return Match.stringLikeRegexp(`^${prefix}`);
}
