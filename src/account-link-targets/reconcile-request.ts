import { Aws, CfnResource, CustomResource } from 'aws-cdk-lib';
import { RECONCILE_KEY, ReconcileRequest, ReconcileTrigger } from '../contract';

/** What every reconcile run of one resource carries, whatever starts it: which resource, and where its books are. */
export type ReconcileTarget = Pick<ReconcileRequest, 'stackId' | 'logicalResourceId' | 'physicalResourceId' | 'ledgerTable'>;

/**
 * The resource a schedule or a rule reconciles. Its physical id is the custom resource's
 * `Ref`, which also makes the schedule (or rule) depend on the resource: CloudFormation
 * creates it after the resource and deletes it before, so no run starts for a resource that
 * does not exist yet, or any longer.
 */
export function reconcileTarget(resource: CustomResource, ledgerTable: string): ReconcileTarget {
  return {
    stackId: Aws.STACK_ID,
    logicalResourceId: (resource.node.defaultChild as CfnResource).logicalId,
    physicalResourceId: resource.ref,
    ledgerTable,
  };
}

/**
 * The payload the provider function is invoked with for one run: `run` and `time` are what
 * the invoking service puts in at each occurrence (a Scheduler context attribute, or an
 * input transformer's path into the event).
 */
export function reconcilePayload(
  target: ReconcileTarget, run: string, time: string, trigger: ReconcileTrigger,
): { [RECONCILE_KEY]: ReconcileRequest } {
  return { [RECONCILE_KEY]: { ...target, run, time, trigger } };
}
