import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeFindings } from '../compliance-findings';
import { LEDGER_KEY } from '../contract';

/** The ledger's construct id, under the provider: fixed, because a new logical id would replace the table and lose the books. */
const LEDGER_ID = 'Ledger';

/**
 * The provider's ledger: the DynamoDB table where AccountLinkTargets keeps its books (its
 * targets, the invitations it created, the requests it started and answered), one per
 * stack. Its settings:
 * - on-demand capacity: a few items per target, written in bursts during deployments and
 *   idle in between, so no capacity to provision (nor to scale);
 * - point-in-time recovery: 35 days of per-second restores of the books;
 * - encryption under `encryptionKey` (the provider's customer managed key) when there is
 *   one, else under the AWS managed key `aws/dynamodb`, in the account, whose use
 *   CloudTrail records (the AWS owned default key is neither): what AWS Config's
 *   dynamodb-table-encrypted-kms asks of a table;
 * - removed with the stack: the books describe the stack's own custom resources, whose
 *   Deletes run before the table goes (each depends on it), so once they are gone the books
 *   have no reader, and a retained table would never be found again (a new stack makes a
 *   table of a new name).
 */
export function ledgerTable(scope: Construct, encryptionKey: kms.IKey | undefined): dynamodb.Table {
  const table = new dynamodb.Table(scope, LEDGER_ID, {
    partitionKey: { name: LEDGER_KEY.partition, type: dynamodb.AttributeType.STRING },
    sortKey: { name: LEDGER_KEY.sort, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: encryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
    encryptionKey,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Point-in-time recovery on the CloudFormation resource itself: the Table's own setting is
  // `pointInTimeRecovery` on aws-cdk-lib 2.176.0 and a deprecated one (which prints a warning
  // at every synthesis) on the newer versions, whose `pointInTimeRecoverySpecification` the
  // floor lacks.
  const cfnTable = table.node.defaultChild as dynamodb.CfnTable;
  cfnTable.pointInTimeRecoverySpecification = { pointInTimeRecoveryEnabled: true };
  acknowledgeLedgerFindings(cfnTable);
  return table;
}

/**
 * The compliance packs' findings on the ledger that no setting of the table removes: the
 * packs ask for an AWS Backup plan in the same stack that selects the table. Acknowledged
 * on this table alone (a user's tables keep the finding), with the reason.
 */
function acknowledgeLedgerFindings(table: CfnResource): void {
  const reason = 'The table holds only the books of this stack\'s AccountLinkTargets (their targets, the invitations they created, '
    + 'the requests they answered), which live as long as those resources do and are removed with them; point-in-time '
    + 'recovery keeps 35 days of per-second restores. A backup plan is the account\'s own policy: AWS Backup can select the '
    + 'table (AWS::DynamoDB::Table) by ARN or tag in a plan outside this stack';
  acknowledgeFindings(table,
    { rule: 'NIST.800.53.R5-DynamoDBInBackupPlan', reason },
    { rule: 'HIPAA.Security-DynamoDBInBackupPlan', reason },
  );
}
