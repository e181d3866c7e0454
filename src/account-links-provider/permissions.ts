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

/** Reading the accounts of organizational units (AccountLinkTargets' organizationalUnitIds). */
export const ORGANIZATIONS_READ_ACTIONS = ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'];

/** Why the provider's policy names "*": for policy-validation plugins such as cdk-nag (AwsSolutions-IAM5). */
export const WILDCARD_REASON = 'The WorkSpaces account-link actions (GetAccountLink, ListAccountLinks and, where granted, the invitation actions) '
  + 'have no resource types, and neither do the EC2 network-interface actions a VPC-attached function needs: "*" is the only resource they accept. '
  + 'Where granted, the Organizations listings of organizational units are named on "*" too: the units are known at deploy time';

/** Why an AccountLinkTargets with organizational units may assume its accept role in any account. */
export const ACCEPT_ROLE_WILDCARD_REASON = 'AccountLinkTargets accepts each invitation through a role of one name in each target account, '
  + 'and the accounts of its organizational units are known only at deploy time: the role is named in any account, and each '
  + 'target\'s role trusts this function\'s role alone (AccountLinkAcceptRole)';

/**
 * The statements a provider's function needs, each added once: what the library's own
 * policy holds, and what a role of the user's must allow.
 */
export class RequiredStatements {
  private readonly byKey = new Map<string, iam.PolicyStatement>();

  /** Adds `actions` on `resource` unless they are there already; returns the statement when it is new. */
  public add(actions: string[], resource: string): iam.PolicyStatement | undefined {
    const key = `${actions.join(',')} on ${resource}`;
    if (this.byKey.has(key)) return undefined;
    const statement = new iam.PolicyStatement({ actions, resources: [resource] });
    this.byKey.set(key, statement);
    return statement;
  }

  public get all(): iam.PolicyStatement[] {
    return [...this.byKey.values()];
  }
}
