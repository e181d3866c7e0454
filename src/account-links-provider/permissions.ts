import * as iam from 'aws-cdk-lib/aws-iam';

/** What every lookup needs. Like the invitation actions, they have no resource types: "*" is the only resource they accept. */
export const READ_ACTIONS = ['workspaces:GetAccountLink', 'workspaces:ListAccountLinks'];

/** Writes to the function's log group (what `ILogGroup.grantWrite` grants, as a statement of the provider's policy). */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * What Lambda needs of the execution role to attach a function to a VPC: the actions of
 * the AWS managed policy AWSLambdaVPCAccessExecutionRole, granted by the provider's own
 * policy instead (no AWS managed policy on the role). EC2 accepts no narrower resource for
 * the Describe actions, and Lambda creates the interfaces in subnets it chooses.
 */
export const VPC_ACCESS_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * Reading the accounts of organizational units (AccountLinkTargets' organizationalUnitIds),
 * and the organization's management account (DescribeOrganization), which StackSets never
 * deploy an accept role to.
 */
export const ORGANIZATIONS_READ_ACTIONS = [
  'organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent', 'organizations:DescribeOrganization',
];

/**
 * What the handler does with the ledger table (AccountLinkTargets' books), on that table's
 * ARN alone: read an item (consistently), write one whole (a conditional PutItem: the
 * handler fences its writes), and read a resource's items (Query on its partition key; no
 * Scan, no index, no item is ever updated in place or deleted).
 */
export const LEDGER_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'];

/**
 * What a caller of a table under a customer managed key needs of that key, DynamoDB using it
 * on the caller's behalf: aws-cdk-lib's own table grants (aws-dynamodb perms: KEY_READ_ACTIONS,
 * KEY_WRITE_ACTIONS) without their wildcards, which item reads and writes do not use.
 */
export const LEDGER_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/**
 * The condition on `sts:AssumeRole` in any account (AccountLinkTargets with organizational
 * units): only a role of an account in the function's own organization. Both are IAM global
 * condition keys, the second used as a policy variable: `aws:ResourceOrgID` is the
 * organization of the account that owns the role, `aws:PrincipalOrgID` that of the role
 * asking (IAM User Guide, "AWS global condition context keys").
 */
export const SAME_ORGANIZATION_CONDITION = { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } };

/** Why the provider's policy names "*": for policy-validation plugins such as cdk-nag (AwsSolutions-IAM5). */
export const WILDCARD_REASON = 'The WorkSpaces account-link actions (GetAccountLink, ListAccountLinks and, where granted, the invitation actions) '
  + 'have no resource types, and neither do the EC2 network-interface actions a VPC-attached function needs: "*" is the only resource they accept. '
  + 'Where granted, the Organizations listings of organizational units are named on "*" too: the units are known at deploy time';

/** Why an AccountLinkTargets with organizational units (or targets known at deploy time) may assume its accept role in any account. */
export const ACCEPT_ROLE_WILDCARD_REASON = 'AccountLinkTargets accepts each invitation through a role of one name in each target account, '
  + 'and the accounts of its organizational units (or of a target list resolved at deploy time) are known only at deploy time: '
  + 'the role is named in any account (for organizational units, on the condition that the account is in the function\'s own '
  + 'organization, aws:ResourceOrgID), and each target\'s role trusts this function\'s role alone (AccountLinkAcceptRole)';

/**
 * The statements a provider's function needs, each added once: what the library's own
 * policy holds, and what a role of the user's must allow.
 */
export class RequiredStatements {
  private readonly byKey = new Map<string, iam.PolicyStatement>();

  /** Adds `actions` on `resource` (under `conditions`) unless they are there already; returns the statement when it is new. */
  public add(actions: string[], resource: string, conditions?: Record<string, Record<string, string>>): iam.PolicyStatement | undefined {
    const key = `${actions.join(',')} on ${resource}${conditions ? ` if ${JSON.stringify(conditions)}` : ''}`;
    if (this.byKey.has(key)) return undefined;
    const statement = new iam.PolicyStatement({ actions, resources: [resource], conditions });
    this.byKey.set(key, statement);
    return statement;
  }

  public get all(): iam.PolicyStatement[] {
    return [...this.byKey.values()];
  }
}

/**
 * Sending AccountLinkTargets' events (ACCOUNT_LINK_CHANGED), on the function's own account
 * and Region's default event bus alone, and only with the library's `source`: the condition
 * key `events:source` filters PutEvents by the `source` of the events sent (Service
 * Authorization Reference, Amazon EventBridge).
 */
export const PUBLISH_EVENTS_ACTIONS = ['events:PutEvents'];
