import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AccountLink, AccountLinkAcceptance, AccountLinkAcceptRole, AccountLinkInvitation, AccountLinks, AccountLinksProvider, AccountLinksProviderProps,
  AccountLinkStatus, AccountLinkTargets,
} from '../../src';
import { FINDINGS_REMOVED_BY_OPTION, nagApp, nagFindings } from '../support/nag';

const ENV = { account: '111122223333', region: 'us-east-1' };
type Option = keyof typeof FINDINGS_REMOVED_BY_OPTION;

/** A stack in an app that runs all four packs and acknowledges nothing, its provider set up with `options`, and every construct. */
function stackWith(options: readonly Option[]): Stack {
  const stack = new Stack(nagApp({ acknowledgeProviderDefaults: false }), 'Links', { env: ENV });
  const props: { -readonly [K in keyof AccountLinksProviderProps]: AccountLinksProviderProps[K] } = {};
  if (options.includes('vpc')) {
    props.vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'],
    });
  }
  if (options.includes('encryptionKey')) props.encryptionKey = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
  if (options.includes('reservedConcurrentExecutions')) props.reservedConcurrentExecutions = 10;
  // The default provider is the one the constructs create on first use.
  if (options.length > 0) AccountLinksProvider.configure(stack, props);
  new AccountLink(stack, 'Gate', {
    linkId: 'link-1a2b3c4d',
    requiredStatus: AccountLinkStatus.LINKED,
    waitTimeout: Duration.minutes(10),
    assumeRoleArn: 'arn:aws:iam::444455556666:role/workspaces-link-reader',
  });
  new AccountLinks(stack, 'All');
  new AccountLinkInvitation(stack, 'Invite', { targetAccountId: '444455556666' });
  new AccountLinkAcceptance(stack, 'Accept', { sourceAccountId: '999988887777' });
  // The ledger table, and the accept role in every account of a unit (its role in this stack too); the reconcile
  // schedule and its role, the rule of account events, and the events' policy.
  new AccountLinkTargets(stack, 'Targets', {
    targetAccountIds: ['444455556666'],
    organizationalUnitIds: ['ou-ab12-34cd56ef'],
    acceptRoleName: AccountLinkAcceptRole.DEFAULT_ROLE_NAME,
    reconcileEvery: Duration.hours(1),
    reconcileOnAccountEvents: true,
  });
  const trustedRoleArn = 'arn:aws:iam::111122223333:role/links-handler';
  AccountLinkAcceptRole.stackSet(stack, 'AcceptRoles', { organizationalUnitIds: ['ou-ab12-34cd56ef'], trustedRoleArn });
  new AccountLinkAcceptRole(stack, 'AcceptRole', { trustedRoleArn, roleName: 'AcceptHere' });
  return stack;
}

function findings(stack: Stack): string[] {
  return nagFindings(() => (stack.node.root as any).synth()).map((f) => `${f.path} ${f.id}`).sort();
}

const ALL_OPTIONS = Object.keys(FINDINGS_REMOVED_BY_OPTION) as Option[];
const FUNCTION = 'Links/WorkSpacesAccountLinksHandler/Function/Resource';
const LOG_GROUP = 'Links/WorkSpacesAccountLinksHandler/LogGroup/Resource';

/** Where each finding stands: on the function, or on its log group. */
function expected(options: readonly Option[]): string[] {
  return options.flatMap((option) => FINDINGS_REMOVED_BY_OPTION[option].map((id) => `${option === 'encryptionKey' ? LOG_GROUP : FUNCTION} ${id}`)).sort();
}

describe('cdk-nag AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 over every construct', () => {
  test('the default provider: only the findings a provider option removes (no inline policy, no DLQ finding, no wildcard left unexplained)', () => {
    expect(findings(stackWith([]))).toEqual(expected(ALL_OPTIONS));
  });

  test.each(ALL_OPTIONS)('%s removes its findings and no other', (option) => {
    expect(findings(stackWith([option]))).toEqual(expected(ALL_OPTIONS.filter((o) => o !== option)));
  });

  test('with every option: no finding at all', () => {
    expect(findings(stackWith(ALL_OPTIONS))).toEqual([]);
  });

  test('a finding on a resource of the user\'s is never hidden: the rules the library acknowledges on its own still flag it', () => {
    const stack = stackWith(ALL_OPTIONS);
    const theirs = new lambda.Function(stack, 'Theirs', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    theirs.addToRolePolicy(new iam.PolicyStatement({ actions: ['workspaces:GetAccountLink'], resources: ['*'] }));
    new dynamodb.Table(stack, 'TheirTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    });

    const found = findings(stack);
    expect(found).toEqual(expect.arrayContaining([
      'Links/Theirs/Resource HIPAA.Security::HIPAA.Security-LambdaDLQ',
      'Links/Theirs/Resource NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ',
      'Links/Theirs/ServiceRole/DefaultPolicy/Resource AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'Links/TheirTable/Resource HIPAA.Security::HIPAA.Security-DynamoDBInBackupPlan',
      'Links/TheirTable/Resource NIST.800.53.R5::NIST.800.53.R5-DynamoDBInBackupPlan',
    ]));
    expect(found.filter((finding) => !finding.startsWith('Links/Theirs/') && !finding.startsWith('Links/TheirTable/'))).toEqual([]);
  });
});
