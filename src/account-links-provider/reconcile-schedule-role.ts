import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** The role's construct id under the provider (one role for every schedule of the stack). */
const ROLE_ID = 'ReconcileScheduleRole';

/** The one role of every AccountLinkTargets schedule of a provider, and the policy that lets it invoke the function. */
export interface ReconcileScheduleRole {
  readonly role: iam.IRole;
  /** What the schedules depend on: the policy, so that no schedule fires before its role may invoke the function. */
  readonly policy: iam.ManagedPolicy;
}

/**
 * The execution role EventBridge Scheduler assumes to run AccountLinkTargets' reconcile
 * schedules: trusted by `scheduler.amazonaws.com` only for schedules of this account
 * (`aws:SourceAccount`) in the default schedule group of this account and Region
 * (`aws:SourceArn`), as the Scheduler User Guide's "Confused deputy prevention" recommends
 * (it asks for the schedule group's ARN, never a schedule's), and allowed nothing but
 * `lambda:InvokeFunction` on the provider's function. A customer managed policy rather than
 * an inline one, as for the function's own role (the compliance packs flag inline policies).
 */
export function reconcileScheduleRole(scope: Construct, fn: lambda.IFunction): ReconcileScheduleRole {
  const role = new iam.Role(scope, ROLE_ID, {
    description: 'Lets EventBridge Scheduler start the reconcile runs of AccountLinkTargets',
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnEquals: { 'aws:SourceArn': `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule-group/default` },
      },
    }),
  });
  const policy = new iam.ManagedPolicy(scope, `${ROLE_ID}Policy`, {
    description: 'Lets the AccountLinkTargets reconcile schedules invoke the WorkSpaces account-links provider',
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] })],
  });
  return { role, policy };
}
