import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct, IConstruct } from 'constructs';
import { reconcilePayload, ReconcileTarget } from './reconcile-request';
import { AccountLinksProvider } from '../account-links-provider';
import { RECONCILE_MINUTES } from '../contract';
import { PropChecks } from '../synth-checks';

/** The construct id of a resource's schedule (a Scheduler schedule, or the rule that stands in for one). */
export const RECONCILE_SCHEDULE_ID = 'ReconcileSchedule';

/**
 * The Scheduler context attribute that Scheduler replaces, in a target's input, with the
 * time the schedule was due (EventBridge Scheduler User Guide, "Adding context attributes"):
 * the same for every attempt of one occurrence, unlike `<aws.scheduler.execution-id>`.
 */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

/**
 * The partitions whose Regions have EventBridge Scheduler: the AWS Regions, the China
 * Regions and AWS GovCloud (US) (the AWS SDKs' endpoint list names Scheduler in every Region
 * of these three, as EventBridge; the China Regions' EventBridge guide documents Scheduler's
 * endpoints there, and the GovCloud (US) guide no longer lists Scheduler as unavailable).
 */
export const SCHEDULER_PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov'];

/** `reconcileEvery`: a Duration of whole minutes within RECONCILE_MINUTES, known at synth; undefined for none. */
export function checkReconcileEvery(check: PropChecks, value: unknown): Duration | undefined {
  const every = check.duration('reconcileEvery', value);
  if (every === undefined) return undefined;
  const range = `a whole number of minutes from ${RECONCILE_MINUTES.min} to ${RECONCILE_MINUTES.max} (a day)`;
  if (every.isUnresolved()) check.fail(`reconcileEvery must be known at synth (${range}): it sets the schedule and the metrics' period`);
  const minutes = every.toSeconds({ integral: false }) / 60;
  if (!Number.isInteger(minutes) || minutes < RECONCILE_MINUTES.min || minutes > RECONCILE_MINUTES.max) {
    check.fail(`reconcileEvery (${every.toHumanString()}) must be ${range}`);
  }
  return every;
}

/**
 * Invokes the provider function every `every` with a reconcile request for `target`:
 * an EventBridge Scheduler schedule, or an EventBridge rule where the stack's partition has
 * no Scheduler.
 */
export function reconcileSchedule(scope: Construct, provider: AccountLinksProvider, target: ReconcileTarget, every: Duration): IConstruct {
  return schedulerIn(Stack.of(scope)) ? schedule(scope, provider, target, every) : scheduledRule(scope, provider, target, every);
}

/**
 * Whether the stack's partition has EventBridge Scheduler, decided at synth from the
 * stack's Region. A stack of no Region (or one aws-cdk-lib does not know) gets the schedule:
 * every partition where WorkSpaces has the account-link APIs has Scheduler, so the rule
 * is for partitions outside SCHEDULER_PARTITIONS, whose stacks name their Region; a
 * condition on `AWS::Partition` instead would put both, and the rule's permission, in every
 * template.
 */
function schedulerIn(stack: Stack): boolean {
  if (Token.isUnresolved(stack.region)) return true;
  const partition = RegionInfo.get(stack.region).partition;
  return partition === undefined || SCHEDULER_PARTITIONS.includes(partition);
}

/**
 * The Scheduler schedule: at a fixed rate, no flexible window (a run is due when it says),
 * invoking the function through the provider's one schedule role. Its retries stop when the
 * next occurrence is due: a later delivery would be older than the next run, which the
 * ledger lets act instead.
 */
function schedule(scope: Construct, provider: AccountLinksProvider, target: ReconcileTarget, every: Duration): scheduler.CfnSchedule {
  const { role, policy } = provider._reconcileScheduleRole();
  const cfnSchedule = new scheduler.CfnSchedule(scope, RECONCILE_SCHEDULE_ID, {
    description: 'Reconciles a WorkSpaces AccountLinkTargets resource between deployments',
    scheduleExpression: `rate(${every.toMinutes()} minutes)`,
    flexibleTimeWindow: { mode: 'OFF' },
    state: 'ENABLED',
    target: {
      arn: provider.function.functionArn,
      roleArn: role.roleArn,
      input: Stack.of(scope).toJsonString(reconcilePayload(target, SCHEDULED_TIME, SCHEDULED_TIME, 'schedule')),
      retryPolicy: { maximumEventAgeInSeconds: every.toSeconds() },
    },
  });
  // No occurrence before its role may invoke the function.
  cfnSchedule.node.addDependency(policy);
  return cfnSchedule;
}

/**
 * The rule that stands in for the schedule. Each occurrence is one event, whose id every
 * delivery of it carries (EventBridge's retries of the target, Lambda's of the invocation):
 * the run. Its time is the event's.
 */
function scheduledRule(scope: Construct, provider: AccountLinksProvider, target: ReconcileTarget, every: Duration): events.Rule {
  return new events.Rule(scope, RECONCILE_SCHEDULE_ID, {
    description: 'Reconciles a WorkSpaces AccountLinkTargets resource between deployments',
    schedule: events.Schedule.rate(every),
    targets: [new eventsTargets.LambdaFunction(provider.function, {
      event: events.RuleTargetInput.fromObject(reconcilePayload(target, events.EventField.eventId, events.EventField.time, 'schedule')),
      maxEventAge: every,
    })],
  });
}
