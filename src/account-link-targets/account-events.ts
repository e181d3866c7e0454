import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { reconcilePayload, ReconcileTarget } from './reconcile-request';
import { AccountLinksProvider } from '../account-links-provider';

/** The construct id of a resource's rule of organization account events. */
export const ACCOUNT_EVENTS_RULE_ID = 'ReconcileOnAccountEvents';

/**
 * The events after which an organization's accounts may have changed, as CloudTrail
 * delivers them to EventBridge (EventBridge Events Reference, "AWS Organizations events" and
 * "AWS Control Tower events"; EventBridge User Guide, "AWS service events delivered via AWS
 * CloudTrail"):
 * - AWS Organizations: `MoveAccount` (an API call: `AWS API Call via CloudTrail`) and
 *   `CreateAccountResult`, the end of an asynchronous CreateAccount (a service event:
 *   `AWS Service Event via CloudTrail`);
 * - AWS Control Tower lifecycle events `CreateManagedAccount` and `UpdateManagedAccount`
 *   (service events, source `aws.controltower`), recorded once Account Factory has created
 *   an account or moved it to another unit.
 * Each event source has its own names, so matching the lists of both is as narrow as
 * matching each pair.
 */
export function accountEventPattern(): events.EventPattern {
  return {
    source: ['aws.organizations', 'aws.controltower'],
    detailType: ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
    detail: {
      eventSource: ['organizations.amazonaws.com', 'controltower.amazonaws.com'],
      eventName: ['CreateAccountResult', 'MoveAccount', 'CreateManagedAccount', 'UpdateManagedAccount'],
    },
  };
}

/**
 * A rule on the stack's default event bus that starts a reconcile run of `target` on each
 * account event: its run is the event's id (every delivery of one event carries it), its
 * time the event's. The rule's target adds the function's permission for
 * `events.amazonaws.com` from this rule alone (its ARN as the source).
 */
export function accountEventsRule(scope: Construct, provider: AccountLinksProvider, target: ReconcileTarget): events.Rule {
  return new events.Rule(scope, ACCOUNT_EVENTS_RULE_ID, {
    description: 'Reconciles a WorkSpaces AccountLinkTargets resource when the organization creates or moves an account',
    eventPattern: accountEventPattern(),
    targets: [new eventsTargets.LambdaFunction(provider.function, {
      event: events.RuleTargetInput.fromObject(reconcilePayload(target, events.EventField.eventId, events.EventField.time, 'account-event')),
    })],
  });
}
