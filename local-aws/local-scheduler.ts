import { randomBytes, randomUUID } from 'node:crypto';
import { accessKeyOf, LocalCloudFormation, REGION, SimulatedResource } from './cloudformation/local-cloudformation';
import { LocalLambda } from './local-lambda';
import { BusEvent, matchesPattern, RuleTarget, targetInput } from './scheduler/rule-delivery';
import { occurrencesBetween, parseScheduleExpression, ScheduleExpression } from './scheduler/schedule-expression';

/**
 * The keywords EventBridge Scheduler replaces in a target's input at each invocation
 * (EventBridge Scheduler User Guide, "Adding context attributes").
 */
export const SCHEDULER_CONTEXT = {
  SCHEDULE_ARN: '<aws.scheduler.schedule-arn>',
  /** The time the occurrence was due, to the second (`2022-03-22T18:59:43Z`): the same for each attempt of it. */
  SCHEDULED_TIME: '<aws.scheduler.scheduled-time>',
  /** An id of each attempt (`d32c5kddcf5bb8c3`). */
  EXECUTION_ID: '<aws.scheduler.execution-id>',
  /** 1 for the first attempt of an occurrence, 2 for the next, ... */
  ATTEMPT_NUMBER: '<aws.scheduler.attempt-number>',
} as const;

const SCHEDULE_TYPE = 'AWS::Scheduler::Schedule';
const RULE_TYPE = 'AWS::Events::Rule';

/** A schedule, or a rule, of a deployed stack that invokes functions. */
export interface LocalSchedule {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: typeof SCHEDULE_TYPE | typeof RULE_TYPE;
  readonly arn: string;
  /** Its schedule expression; undefined for a rule of an event pattern (sendEvent() runs those). */
  readonly expression?: ScheduleExpression;
  /** A rule's event pattern. */
  readonly eventPattern?: Record<string, unknown>;
  readonly enabled: boolean;
  /** Since when it is due: its StartDate, else when the deployment created it. */
  readonly start: Date;
  readonly resource: SimulatedResource;
}

/** One invocation a schedule or rule started. */
export interface ScheduledDelivery {
  /** `<stack name>/<logical id>` of the schedule or rule. */
  readonly source: string;
  readonly functionArn: string;
  /** When the occurrence was due (a rule's event's time, for an event). */
  readonly scheduledTime: string;
  /** Scheduler's attempt number (1 for a rule). */
  readonly attempt: number;
  /** Which of Lambda's deliveries of the invocation this is: 1, or 2 for a copy. */
  readonly copy: number;
  readonly payload: unknown;
}

export interface FireOptions {
  /** When the occurrence is due. @default its next occurrence after the scheduler's clock (an `at` schedule's time) */
  readonly at?: Date;
  /** How many times Lambda delivers each invocation of the function (its at-least-once delivery of asynchronous events). @default 1 */
  readonly copies?: number;
  /** How many attempts Scheduler makes of the occurrence, each with its own execution id and attempt number. @default 1 */
  readonly attempts?: number;
}

/**
 * EventBridge Scheduler and EventBridge rules, locally, for the stacks a LocalCloudFormation
 * deployed: their AWS::Scheduler::Schedule and AWS::Events::Rule resources (with properties
 * resolved at deployment, the custom resources' physical ids among them) invoke their
 * target functions asynchronously through LocalLambda, as the services do: a schedule's
 * input with the Scheduler context attributes put in; a rule's input (constant, a path, or a
 * transformer's template) from a Scheduled Event or from an event sendEvent() puts on the
 * bus. Time is the scheduler's own: `advance()` fast-forwards it, firing every occurrence
 * due on the way; `fire()` fires one at any time. A schedule is gone once its stack is
 * destroyed.
 */
export class LocalScheduler {
  /** Every invocation started so far. */
  public readonly deliveries: ScheduledDelivery[] = [];
  private clock: Date;

  constructor(private readonly cloudformation: LocalCloudFormation, private readonly lambda: LocalLambda, options: { readonly now?: Date } = {}) {
    this.clock = options.now ?? new Date();
  }

  /** The scheduler's clock: occurrences up to it have been fired by advance(). */
  public get now(): Date {
    return this.clock;
  }

  /** The schedules and rules of a deployed stack, in the order they were created. */
  public schedules(stackName: string): LocalSchedule[] {
    return this.cloudformation.simulatedResources(stackName)
      .filter((r) => r.type === SCHEDULE_TYPE || r.type === RULE_TYPE)
      .map((r) => toSchedule(r));
  }

  /** The one schedule (or rule) of the stack whose logical id starts with `prefix` (CDK adds a hash to construct paths). */
  public schedule(stackName: string, prefix: string): LocalSchedule {
    const found = this.schedules(stackName).filter((s) => s.logicalId.startsWith(prefix));
    if (found.length !== 1) {
      throw new Error(`${stackName}: ${found.length} schedules or rules have a logical id starting with ${prefix}: ${this.schedules(stackName).map((s) => s.logicalId).join(', ') || 'none'}`);
    }
    return found[0];
  }

  /**
   * Fires one occurrence of a schedule (or a scheduled rule), at `options.at` or its next
   * time after the clock, and waits until the invocations it started, and those they
   * started in turn, have ended. Returns them. A disabled schedule fires nothing.
   */
  public async fire(schedule: LocalSchedule, options: FireOptions = {}): Promise<ScheduledDelivery[]> {
    const live = this.schedules(schedule.stackName).find((s) => s.logicalId === schedule.logicalId);
    if (!live) throw new Error(`${schedule.stackName}/${schedule.logicalId} no longer exists: its stack was destroyed`);
    if (!live.expression) throw new Error(`${live.stackName}/${live.logicalId} is a rule of an event pattern: sendEvent() delivers events to it`);
    const at = options.at ?? nextAfter(live, this.clock);
    const started = live.enabled ? this.start(live, at, options) : [];
    await this.settle();
    return started;
  }

  /**
   * Moves the clock on by `ms`, firing each occurrence of every enabled schedule and
   * scheduled rule of the deployed stacks (or of `stackNames`) due on the way, in time
   * order, each run to its end before the next. Cron expressions are not computed: fire()
   * those.
   */
  public async advance(ms: number, options: Omit<FireOptions, 'at'> & { readonly stackNames?: string[] } = {}): Promise<ScheduledDelivery[]> {
    const to = new Date(this.clock.getTime() + ms);
    const due = (options.stackNames ?? this.cloudformation.deployedStackNames()).flatMap((stackName) => this.schedules(stackName))
      .filter((s) => s.enabled && s.expression !== undefined && s.expression.kind !== 'cron')
      .flatMap((s) => occurrencesBetween(s.expression!, s.start, this.clock, to).map((time) => ({ schedule: s, time })))
      .sort((a, b) => a.time.getTime() - b.time.getTime());
    const delivered: ScheduledDelivery[] = [];
    for (const { schedule, time } of due) {
      this.clock = time;
      delivered.push(...await this.fire(schedule, { ...options, at: time }));
    }
    this.clock = to;
    return delivered;
  }

  /**
   * Puts an event on the default bus of `stackName`'s account: every enabled rule of the
   * stack whose event pattern it matches invokes its targets. Returns the invocations, once
   * they have ended.
   */
  public async sendEvent(stackName: string, event: Partial<BusEvent> & Pick<BusEvent, 'source' | 'detail-type' | 'detail'>, options: Omit<FireOptions, 'at' | 'attempts'> = {}): Promise<ScheduledDelivery[]> {
    const rules = this.schedules(stackName).filter((s) => s.enabled && s.eventPattern !== undefined);
    const account = rules[0]?.resource.account ?? this.cloudformation.simulatedResources(stackName)[0]?.account;
    const full: BusEvent = {
      version: '0', id: randomUUID(), account: account ?? '', time: isoSeconds(this.clock), region: REGION, resources: [], ...event,
    };
    const started = rules.filter((rule) => matchesPattern(rule.eventPattern!, full as unknown as Record<string, unknown>))
      .flatMap((rule) => this.deliverToRule(rule, full, options.copies ?? 1));
    await this.settle();
    return started;
  }

  private start(schedule: LocalSchedule, at: Date, options: FireOptions): ScheduledDelivery[] {
    if (schedule.type === RULE_TYPE) {
      const event: BusEvent = {
        'version': '0',
        'id': randomUUID(),
        'detail-type': 'Scheduled Event',
        'source': 'aws.events',
        'account': schedule.resource.account,
        'time': isoSeconds(at),
        'region': REGION,
        'resources': [schedule.arn],
        'detail': {},
      };
      return this.deliverToRule(schedule, event, options.copies ?? 1);
    }
    const target = schedule.resource.properties!.Target as { Arn: string; Input?: string };
    const delivered: ScheduledDelivery[] = [];
    for (let attempt = 1; attempt <= (options.attempts ?? 1); attempt++) {
      const input = (target.Input ?? '{}')
        .split(SCHEDULER_CONTEXT.SCHEDULE_ARN).join(schedule.arn)
        .split(SCHEDULER_CONTEXT.SCHEDULED_TIME).join(isoSeconds(at))
        .split(SCHEDULER_CONTEXT.EXECUTION_ID).join(executionId())
        .split(SCHEDULER_CONTEXT.ATTEMPT_NUMBER).join(String(attempt));
      delivered.push(...this.invoke(schedule, target.Arn, JSON.parse(input), isoSeconds(at), attempt, options.copies ?? 1));
    }
    return delivered;
  }

  private deliverToRule(rule: LocalSchedule, event: BusEvent, copies: number): ScheduledDelivery[] {
    const targets = (rule.resource.properties!.Targets ?? []) as RuleTarget[];
    const ruleName = { arn: rule.arn, name: rule.resource.physicalId };
    return targets.flatMap((target) => this.invoke(rule, target.Arn, targetInput(target, event, ruleName), event.time, 1, copies));
  }

  private invoke(
    source: LocalSchedule, functionArn: string, payload: unknown, scheduledTime: string, attempt: number, copies: number,
  ): ScheduledDelivery[] {
    if (!functionArn.startsWith('arn:aws:lambda:')) {
      throw new Error(`${source.stackName}/${source.logicalId}: its target ${functionArn} is not a Lambda function, which is all the local scheduler invokes`);
    }
    // The function's process starts with this environment: it signs as its stack's account, as after a deployment.
    process.env.AWS_ACCESS_KEY_ID = accessKeyOf(source.resource.account);
    const delivered: ScheduledDelivery[] = [];
    for (let copy = 1; copy <= copies; copy++) {
      this.lambda.invoke(functionArn, payload);
      delivered.push({ source: `${source.stackName}/${source.logicalId}`, functionArn, scheduledTime, attempt, copy, payload });
    }
    this.deliveries.push(...delivered);
    return delivered;
  }

  /** Waits until no invocation runs any more (an invocation may start others). */
  private async settle(): Promise<void> {
    for (let before = -1; before !== this.lambda.invocations;) {
      before = this.lambda.invocations;
      await this.lambda.idle();
    }
  }
}

/** A schedule or rule as the local scheduler runs it, from what the deployment kept of it. */
function toSchedule(resource: SimulatedResource): LocalSchedule {
  const where = `${resource.stackName}/${resource.logicalId}`;
  const properties = resource.properties;
  if (!properties) throw new Error(`${where}: its properties could not be resolved at deployment: ${resource.unresolved}`);
  const expression = typeof properties.ScheduleExpression === 'string' ? parseScheduleExpression(properties.ScheduleExpression) : undefined;
  if (resource.type === SCHEDULE_TYPE) {
    if (!expression) throw new Error(`${where}: a schedule needs a ScheduleExpression`);
    const group = (properties.GroupName as string | undefined) ?? 'default';
    const name = (properties.Name as string | undefined) ?? resource.physicalId;
    return {
      stackName: resource.stackName,
      logicalId: resource.logicalId,
      type: SCHEDULE_TYPE,
      arn: `arn:aws:scheduler:${REGION}:${resource.account}:schedule/${group}/${name}`,
      expression,
      enabled: (properties.State ?? 'ENABLED') === 'ENABLED',
      start: typeof properties.StartDate === 'string' ? new Date(properties.StartDate) : resource.createdAt,
      resource,
    };
  }
  const eventPattern = properties.EventPattern as Record<string, unknown> | undefined;
  if (!expression && !eventPattern) throw new Error(`${where}: a rule needs a ScheduleExpression or an EventPattern`);
  return {
    stackName: resource.stackName,
    logicalId: resource.logicalId,
    type: RULE_TYPE,
    arn: `arn:aws:events:${REGION}:${resource.account}:rule/${(properties.Name as string | undefined) ?? resource.physicalId}`,
    expression,
    eventPattern,
    enabled: (properties.State ?? 'ENABLED') === 'ENABLED',
    start: resource.createdAt,
    resource,
  };
}

/** A schedule's next time after `after`: an `at` schedule's time; a cron schedule's needs FireOptions.at. */
function nextAfter(schedule: LocalSchedule, after: Date): Date {
  const expression = schedule.expression!;
  switch (expression.kind) {
    case 'at':
      return expression.time;
    case 'cron':
      throw new Error(`${schedule.stackName}/${schedule.logicalId}: ${expression.text}: give the time to fire it at (FireOptions.at)`);
    case 'rate': {
      const horizon = new Date(Math.max(after.getTime(), schedule.start.getTime()) + expression.everyMs);
      return occurrencesBetween(expression, schedule.start, after, horizon)[0];
    }
  }
}

/** Scheduler's execution ids: 16 lowercase letters and digits. */
function executionId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A time as Scheduler and EventBridge write it: ISO 8601 to the second. */
function isoSeconds(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}
