/**
 * The demo after the deployment: the organization changes under the deployed stack (an
 * account joins the business unit, through the emulator's own HTTP call, as another process
 * would make it), the next run of the AccountLinkTargets' reconcile schedule is brought
 * forward to now, and what the run did is read back: the new
 * account's link, the run's metric lines (CloudWatch's embedded metric format) from the
 * function's log, and the Account Link Changed events EventBridge received.
 */
import { BETWEEN_DEPLOYMENTS } from './expectations';
import { LocalCloudFormation } from '../../local-aws/cloudformation/local-cloudformation';
import { LocalLambda } from '../../local-aws/local-lambda';
import { LocalScheduler } from '../../local-aws/local-scheduler';
import { ACCOUNT_LINK_CHANGED, EVENT_SOURCE, METRIC_NAMESPACE } from '../../src/contract';
import { changeOrganization, receivedEvents } from '../../src/emulator/control-client';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import type { ReceivedEvent } from '../../src/emulator/event-bus';

/** What the run between deployments came to. */
export interface BetweenDeployments {
  /** The change made to the organization: the account that joined, and its unit. */
  readonly joined: { readonly accountId: string; readonly unitId: string };
  /** `<stack name>/<logical id>` of the schedule that ran. */
  readonly schedule: string;
  /** Its schedule expression, as the template has it (reconcileEvery). */
  readonly expression: string;
  /** When the run was due, on the scheduler's clock (an interval after the schedule was created). */
  readonly scheduledTime?: string;
  /** The function's invocations the schedule started. */
  readonly invocations: number;
  /** The new account's link from the source, after the run. */
  readonly link?: { readonly AccountLinkId: string; readonly AccountLinkStatus: string };
  /** The run's metric lines, as the function logged them. */
  readonly metricLines: Array<Record<string, unknown>>;
  /** Their values by metric name (the last line's, where several name one). */
  readonly metrics: Record<string, number>;
  /** The Account Link Changed events the run sent. */
  readonly events: ReceivedEvent[];
}

/** Makes the change, runs the schedule once, and reads back what the run did. */
export async function runBetweenDeployments(
  emulator: AccountLinksEmulator, lambda: LocalLambda, cloudformation: LocalCloudFormation, progress: (line: string) => void,
): Promise<BetweenDeployments> {
  const { stackName, sourceAccountId, joiner, unitId } = BETWEEN_DEPLOYMENTS;
  const schedule = new LocalScheduler(cloudformation, lambda).schedules(stackName).find((s) => s.type === 'AWS::Scheduler::Schedule');
  if (schedule?.expression?.kind !== 'rate') throw new Error(`${stackName} has no reconcile schedule at a rate: give its AccountLinkTargets reconcileEvery`);
  const scheduler = new LocalScheduler(cloudformation, lambda);

  const joined = await changeOrganization(emulator.endpoint, { action: 'addAccount', accountId: joiner, parentId: unitId });
  progress(`account ${joined.accountId} joined ${joined.parentId} (POST /_emulator/organization)`);
  const logsBefore = lambda.logs.length;
  const eventsBefore = (await receivedEvents(emulator.endpoint)).length;
  // The schedule's first run (an interval after it was created) brought forward to now: the handler's clock is the real
  // one, and a run due later than now acts on nothing (run-fence.ts).
  progress(`bringing the schedule's next run (${schedule.expression.text}) forward to now`);
  const deliveries = await scheduler.fire(schedule, { at: new Date() });
  progress(`${deliveries.length} reconcile run(s) of ${stackName}/${schedule.logicalId}${deliveries.map((d) => ` due at ${d.scheduledTime}`).join(',')}`);

  const link = emulator.snapshot().find((l) => l.SourceAccountId === sourceAccountId && l.TargetAccountId === joiner);
  const metricLines = lambda.logs.slice(logsBefore).flatMap(metricLine);
  const events = (await receivedEvents(emulator.endpoint)).slice(eventsBefore)
    .filter((e) => e.source === EVENT_SOURCE && e['detail-type'] === ACCOUNT_LINK_CHANGED);
  return {
    joined: { accountId: joiner, unitId },
    schedule: `${stackName}/${schedule.logicalId}`,
    expression: schedule.expression.text,
    scheduledTime: deliveries[0]?.scheduledTime,
    invocations: deliveries.length,
    link: link && { AccountLinkId: link.AccountLinkId, AccountLinkStatus: link.AccountLinkStatus },
    metricLines,
    metrics: Object.assign({}, ...metricLines.map(metricValues)),
    events,
  };
}

/**
 * The embedded-metric-format line of the library's namespace a log line holds: the line
 * itself (written to stdout as it is), or the message of a record of Lambda's JSON log
 * format (an object, or a JSON string).
 */
function metricLine(line: string): Array<Record<string, unknown>> {
  const candidates: unknown[] = [];
  try {
    const parsed = JSON.parse(line);
    candidates.push(parsed, parsed?.message);
    if (typeof parsed?.message === 'string') candidates.push(JSON.parse(parsed.message));
  } catch {
    // Not JSON, or a message that is not: no metric line.
  }
  const emf = candidates.find((c): c is Record<string, any> => typeof c === 'object' && c !== null
    && (c as Record<string, any>)._aws?.CloudWatchMetrics?.some((m: { Namespace?: string }) => m.Namespace === METRIC_NAMESPACE));
  return emf ? [emf] : [];
}

/** The metric values a metric line holds: each metric it declares, by name. */
function metricValues(line: Record<string, any>): Record<string, number> {
  const names: string[] = line._aws.CloudWatchMetrics.flatMap((m: { Metrics: Array<{ Name: string }> }) => m.Metrics.map((metric) => metric.Name));
  return Object.fromEntries(names.filter((name) => typeof line[name] === 'number').map((name) => [name, line[name]]));
}

/** The run, as the demo prints it. */
export function renderBetweenDeployments(run: BetweenDeployments): string {
  const lines = [
    `Between deployments (the reconcile schedule's ${run.expression}, its next run brought forward to now):`,
    `  account ${run.joined.accountId} joined ${run.joined.unitId} (POST /_emulator/organization)`,
    `  ${run.schedule} ran at ${run.scheduledTime ?? '(never)'} (${run.invocations} invocation${run.invocations === 1 ? '' : 's'})`,
    `  the link to ${run.joined.accountId}: ${run.link ? `${run.link.AccountLinkId} ${run.link.AccountLinkStatus}` : 'none'}`,
    ...run.metricLines.map((line) => `  metrics (EMF, from the function's log): ${JSON.stringify(line)}`),
    ...run.events.map((event) => `  event ${event['detail-type']} (${event.source}): ${JSON.stringify(event.detail)}`),
  ];
  return lines.join('\n');
}
