import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AccountLink, AccountLinksProvider, AccountLinkTargets } from '../../src';
import { LEDGER_ACTIONS, LEDGER_KEY_ACTIONS } from '../../src/account-links-provider/permissions';
import { LEDGER_KEY, LEDGER_TABLE_ENV } from '../../src/contract';
import { nagApp } from '../support/nag';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const OU = 'ou-ab12-34cd56ef';

const stackIn = (app: App = nagApp()) => new Stack(app, 'Source', { env: ENV });

/** Every statement of the stack's IAM managed policies. */
function statementsOf(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

/** The logical id of the stack's one table. */
function tableId(template: Template): string {
  const ids = Object.keys(template.findResources('AWS::DynamoDB::Table'));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('the provider\'s ledger table', () => {
  test('an AccountLinkTargets makes it: string key pk/sk, on demand, point-in-time recovery, the AWS managed key, removed with the stack', () => {
    const stack = stackIn();
    new AccountLinkTargets(stack, 'Targets', { organizationalUnitIds: [OU] });
    const template = Template.fromStack(stack);

    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: LEDGER_KEY.partition, KeyType: 'HASH' }, { AttributeName: LEDGER_KEY.sort, KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        ProvisionedThroughput: Match.absent(),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // SSEEnabled without a key: the AWS managed key aws/dynamodb (not the AWS owned default).
        SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  test('its name reaches the function through the environment, and the resource outlives neither it nor its Delete', () => {
    const stack = stackIn();
    new AccountLinkTargets(stack, 'Targets', { targetAccountIds: ['444455556666'] });
    const template = Template.fromStack(stack);
    const table = tableId(template);

    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [LEDGER_TABLE_ENV]: { Ref: table } } } });
    template.hasResource('Custom::WorkSpacesAccountLinkTargets', { DependsOn: Match.arrayWith([table]) });
  });

  test('one table per provider, whatever the number of AccountLinkTargets; none without one', () => {
    const stack = stackIn();
    new AccountLinkTargets(stack, 'A', { targetAccountIds: ['444455556666'] });
    new AccountLinkTargets(stack, 'B', { organizationalUnitIds: [OU] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(statementsOf(template).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'))).toHaveLength(1);

    const without = stackIn();
    new AccountLink(without, 'Link', { linkId: 'link-1a2b3c4d' });
    const plain = Template.fromStack(without);
    plain.resourceCountIs('AWS::DynamoDB::Table', 0);
    plain.hasResourceProperties('AWS::Lambda::Function', { Environment: Match.absent() });
    expect(JSON.stringify(statementsOf(plain))).not.toContain('dynamodb:');
  });

  test('the handler\'s DynamoDB permissions name the table\'s ARN and nothing else', () => {
    const stack = stackIn();
    new AccountLinkTargets(stack, 'Targets', { organizationalUnitIds: [OU], acceptRoleName: 'Accept' });
    const template = Template.fromStack(stack);

    const dynamodb = statementsOf(template).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamodb).toEqual([{ Action: LEDGER_ACTIONS, Effect: 'Allow', Resource: { 'Fn::GetAtt': [tableId(template), 'Arn'] } }]);
    // No wildcard action either (no dynamodb:*, no Scan, no index, no update or deletion in place).
    expect(LEDGER_ACTIONS).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });

  test('the last AccountLinkTargets to leave the stack still reads its books on Delete: its own policy, and the table named in its properties', () => {
    const stack = stackIn();
    new AccountLinkTargets(stack, 'Targets', { targetAccountIds: ['444455556666'] });
    const template = Template.fromStack(stack);

    // The grant is a policy of its own that the resource depends on, as it does on the table: CloudFormation removes
    // both only after the resource's Delete, while the function's variable and main policy change before it.
    const [policyId] = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
      .find(([, p]: [string, any]) => JSON.stringify(p.Properties.PolicyDocument).includes('dynamodb:'))!;
    expect(policyId).toMatch(/LedgerPolicy/);
    template.hasResource('Custom::WorkSpacesAccountLinkTargets', {
      Properties: { LedgerTable: { Ref: tableId(template) } },
      DependsOn: Match.arrayWith([tableId(template), policyId]),
    });
  });

  test('with the provider\'s encryptionKey: the table under that key, and the role may use it (and no other key)', () => {
    const stack = stackIn();
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    AccountLinksProvider.configure(stack, { encryptionKey });
    new AccountLinkTargets(stack, 'Targets', { organizationalUnitIds: [OU] });
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] };

    template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn } });
    const kmsStatements = statementsOf(template).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kmsStatements).toEqual([{ Action: LEDGER_KEY_ACTIONS, Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } }]);
  });

  test('with a role of your own: nothing is added to it, and the info annotation lists the table\'s statement', () => {
    const app = new App();
    const stack = stackIn(app);
    AccountLinksProvider.configure(stack, { role: iam.Role.fromRoleArn(stack, 'Own', 'arn:aws:iam::111122223333:role/platform/links') });
    new AccountLinkTargets(stack, 'Targets', { organizationalUnitIds: [OU] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);

    const info = app.synth().getStackByName('Source').messages.find((m) => m.level === 'info' && /must allow/.test(String(m.entry.data)));
    const allowed = JSON.parse(/must allow: (.*)$/.exec(String(info?.entry.data))![1]);
    expect(allowed.Statement).toContainEqual({ Action: LEDGER_ACTIONS, Effect: 'Allow', Resource: { 'Fn::GetAtt': [tableId(template), 'Arn'] } });
  });

  test('under Role.customizeRoles: the policy report lists the table\'s actions', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-customize-roles-'));
    try {
      const stack = stackIn(new App({ outdir }));
      iam.Role.customizeRoles(stack, { usePrecreatedRoles: { 'Source/WorkSpacesAccountLinksHandler/Role': 'platform-links' } });
      new AccountLinkTargets(stack, 'Targets', { organizationalUnitIds: [OU] });
      const template = Template.fromStack(stack);

      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      const report = fs.readFileSync(path.join(outdir, 'iam-policy-report.json'), 'utf8');
      for (const action of LEDGER_ACTIONS) expect(report).toContain(action);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
