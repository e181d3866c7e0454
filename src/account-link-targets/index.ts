import { CfnResource, CustomResource, Duration, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { accountEventPattern, accountEventsRule } from './account-events';
import { DEFAULT_METRIC_PERIOD, notLinkedAlarm, targetsMetric } from './metrics';
import { NotLinkedAlarmOptions } from './not-linked-alarm-options';
import { reconcileTarget } from './reconcile-request';
import { checkReconcileEvery, reconcileSchedule } from './reconcile-schedule';
import { accessProperties, roleAccount } from '../access';
import { AccountLinkAccessOptions } from '../access-options';
import { AccountLinkStatus } from '../account-link-status';
import { AccountLinksProvider } from '../account-links-provider';
import {
  ACCOUNT_ID_PATTERN, DEFAULT_CALLS_PER_SECOND, LIST_SEPARATOR, MAX_CALLS_PER_SECOND, MAX_SERVICE_TIMEOUT_SECONDS, MIN_CALLS_PER_SECOND,
  ORGANIZATIONAL_PARENT_ID_PATTERN, Property, RECONCILE_MINUTES, RESOURCE_WAIT_LIMITS, ResourceType, ROLE_NAME_PATTERN,
  SERVICE_TIMEOUT_MARGIN_SECONDS, TargetsAttribute, TargetsMetric,
} from '../contract';
import { linkResource } from '../link-resource';
import { readNonce } from '../read-nonce';
import { PropChecks } from '../synth-checks';

export * from './not-linked-alarm-options';

/** Properties of AccountLinkTargets: the targets (named, or the accounts of organizational units), and how to link them. */
export interface AccountLinkTargetsProps extends AccountLinkAccessOptions {
  /**
   * Accounts to link, by their 12-digit ids.
   *
   * @default - none: the accounts of `organizationalUnitIds` only
   */
  readonly targetAccountIds?: string[];

  /**
   * Organizational units (`ou-…`), or the organization's root (`r-…`, every account of the
   * organization), whose ACTIVE accounts are linked too, read from AWS Organizations when
   * CloudFormation sends the resource a request: on each deployment that changes it, or on
   * every deployment with `readOnEveryDeployment`. The source account must be able to list
   * them: the organization's management account or a delegated administrator. The source
   * account itself is skipped when a unit holds it. With `acceptRoleName`, the handler may
   * assume that role in accounts of the source account's own organization only (the
   * condition `aws:ResourceOrgID` = `${aws:PrincipalOrgID}` on its `sts:AssumeRole`).
   *
   * @default - none: `targetAccountIds` only
   */
  readonly organizationalUnitIds?: string[];

  /**
   * Link the accounts of the units' descendant units too.
   *
   * @default false
   */
  readonly includeNestedOrganizationalUnits?: boolean;

  /**
   * Accounts never linked, whatever `targetAccountIds` and the units hold.
   *
   * @default - none
   */
  readonly excludeAccountIds?: string[];

  /**
   * The name of a role in each target account that the handler assumes to accept the
   * invitation there (AccountLinkAcceptRole makes it, one stack or a StackSet over the
   * units). Without it, each target accepts on its own (an AccountLinkAcceptance in its stack).
   *
   * @default - the targets accept on their own
   */
  readonly acceptRoleName?: string;

  /**
   * Fail the deployment unless every target's link has this status; the reason names each
   * target that does not, and why.
   *
   * @default - no gate: the resource succeeds once every target is invited (and accepted, with `acceptRoleName`)
   */
  readonly requiredStatus?: AccountLinkStatus;

  /**
   * How long to wait, while targets are pending, for all of them to reach
   * `requiredStatus`. A target whose link gets another status fails the wait at once. At
   * most 57 minutes: the wait, the invitations included, ends 3 minutes before the
   * resource's 1-hour ServiceTimeout.
   *
   * @default - no wait
   */
  readonly waitTimeout?: Duration;

  /**
   * Time between two reads of the links while waiting (one ListAccountLinks for all targets).
   *
   * @default Duration.seconds(15)
   */
  readonly pollInterval?: Duration;

  /**
   * The most WorkSpaces calls a second the resource makes, in the source and the target
   * accounts together.
   *
   * From 0.1 (one call in 10 seconds, the call pacer's floor) to 50. It halves its rate
   * on each throttled answer and wins it back slowly, so it shares the account's quota
   * with its other callers.
   *
   * @default 2
   */
  readonly callsPerSecond?: number;

  /**
   * Read the organizational units and the targets' links again on every deployment.
   *
   * CloudFormation runs a custom resource only when its properties change, so without this
   * the units are read when the resource is created or its properties change. With it,
   * every deployment runs the resource: an account that joined a unit since is invited
   * (and accepted, with `acceptRoleName`), the pending invitation of an account that left
   * is deleted, and `requiredStatus` is checked again, without a change to the template.
   * Between deployments, `reconcileEvery` and `reconcileOnAccountEvents` do the same. Adds
   * a property that changes on every synthesis; pin it with the context key
   * `cdk-workspaces-account-links:readNonce` for deterministic snapshots.
   *
   * @default false
   */
  readonly readOnEveryDeployment?: boolean;

  /**
   * Reconcile the targets between deployments, at this interval: each run reads the
   * organizational units again, invites (and accepts, with `acceptRoleName`) the accounts
   * that joined, deletes the pending invitations of accounts that left, and writes the
   * metrics and events, as a deployment would, without one. Whole minutes from 15 to 1440 (a
   * day). Each run makes WorkSpaces calls (paced at `callsPerSecond`, in the source
   * account's quota), so choose the longest interval by which a new account should be
   * linked. An EventBridge Scheduler schedule invokes the stack's provider function (an
   * EventBridge rule, in a partition without Scheduler); it is also the period of the
   * metrics and of `alarmWhenNotLinked`.
   *
   * @default - no schedule: the resource runs when CloudFormation sends it a request
   */
  readonly reconcileEvery?: Duration;

  /**
   * Reconcile the targets when AWS Organizations creates an account or moves one to
   * another unit (`CreateAccountResult`, `MoveAccount`), or AWS Control Tower creates or
   * updates a managed account (`CreateManagedAccount`, `UpdateManagedAccount`): a rule on
   * the default event bus of the stack's account and Region. Those events reach the
   * management account's default bus (Organizations': in us-east-1); unless this stack is
   * there, forward them to this bus (see `accountEventPattern()`). Needs
   * `organizationalUnitIds`: named targets do not change when accounts do.
   *
   * @default false
   */
  readonly reconcileOnAccountEvents?: boolean;

  /**
   * Send an `Account Link Changed` event (source `cdk-workspaces-account-links`) to the
   * default event bus of the stack's account and Region for each target whose link changes
   * status, at a deployment or a reconcile run. The provider's function may put events on
   * that bus with that source alone.
   *
   * @default true
   */
  readonly publishEvents?: boolean;
}

/**
 * Links a source account (the one with the BYOL hardware) to many target accounts through
 * one custom resource: invites each target (once, under retries and duplicate deliveries),
 * accepts in each through `acceptRoleName` when given, and optionally waits until every
 * target has `requiredStatus`. Its WorkSpaces calls are paced (`callsPerSecond`). An Update
 * reconciles: it invites the targets added and deletes its pending invitations to the
 * targets removed; links already LINKED stay (the API cannot unlink) and are reported.
 * Delete removes its invitations that are still pending. It keeps its books (its targets,
 * the invitations it created, the requests it answered) in the stack's ledger table, which
 * its provider makes (see AccountLinksProvider).
 *
 * @example
 * import { CfnOutput, Duration, Stack, Token } from 'aws-cdk-lib';
 * import { AccountLinkStatus, AccountLinkTargets } from 'cdk-workspaces-account-links';
 *
 * declare const sourceStack: Stack;
 *
 * const targets = new AccountLinkTargets(sourceStack, 'BusinessUnit', {
 *   organizationalUnitIds: ['ou-ab12-34cd56ef'],
 *   acceptRoleName: 'WorkSpacesAccountLinkAccept',
 *   requiredStatus: AccountLinkStatus.LINKED,
 *   waitTimeout: Duration.minutes(30),
 * });
 * new CfnOutput(sourceStack, 'Linked', { value: Token.asString(targets.linkedCount) });
 */
export class AccountLinkTargets extends Construct {
  /**
   * The events `reconcileOnAccountEvents` reacts to (AWS Organizations' `CreateAccountResult`
   * and `MoveAccount`, AWS Control Tower's `CreateManagedAccount` and `UpdateManagedAccount`,
   * as CloudTrail delivers them): the pattern of a rule that forwards them from the
   * management account to the source account's default event bus.
   */
  public static accountEventPattern(): events.EventPattern {
    return accountEventPattern();
  }

  /** How many targets the resource links (attribute `TargetCount`). */
  public readonly targetCount: number;
  /** How many of them are LINKED (attribute `LinkedCount`). */
  public readonly linkedCount: number;

  /** The underlying `Custom::WorkSpacesAccountLinkTargets` resource. */
  public readonly resource: CustomResource;

  /** The value of the metrics' `Resource` dimension: `<stack name>/<logical id>` of the resource. */
  public readonly metricResource: string;

  private readonly reconcileEvery?: Duration;
  private readonly check: PropChecks;

  constructor(scope: Construct, id: string, props: AccountLinkTargetsProps) {
    super(scope, id);
    const check = new PropChecks(`AccountLinkTargets ${this.node.path}`);
    this.check = check;
    props = check.props(props, true);
    const targets = idList(check, 'targetAccountIds', props.targetAccountIds, ACCOUNT_ID_PATTERN);
    const units = idList(check, 'organizationalUnitIds', props.organizationalUnitIds, ORGANIZATIONAL_PARENT_ID_PATTERN);
    idList(check, 'excludeAccountIds', props.excludeAccountIds, ACCOUNT_ID_PATTERN);
    const listTokens = [props.targetAccountIds, props.organizationalUnitIds].some((list) => list !== undefined && Token.isUnresolved(list));
    if (targets.length === 0 && units.length === 0 && !listTokens) {
      check.fail('set targetAccountIds or organizationalUnitIds (or both): there is no target');
    }
    const source = roleAccount(props.assumeRoleArn) ?? (props.assumeRoleArn === undefined ? Stack.of(this).account : undefined);
    if (source !== undefined && !Token.isUnresolved(source) && targets.includes(source)) check.fail(`account ${source} cannot invite itself`);
    const nested = check.boolean('includeNestedOrganizationalUnits', props.includeNestedOrganizationalUnits);
    if (nested && units.length === 0) check.fail('includeNestedOrganizationalUnits needs organizationalUnitIds');
    const acceptRoleName = check.string('acceptRoleName', props.acceptRoleName, ROLE_NAME_PATTERN);
    const requiredStatus = check.status('requiredStatus', props.requiredStatus);
    const wait = check.wait(check.duration('waitTimeout', props.waitTimeout), check.duration('pollInterval', props.pollInterval),
      RESOURCE_WAIT_LIMITS);
    if (wait && requiredStatus === undefined) check.fail('waitTimeout needs requiredStatus: the status to wait for');
    const callsPerSecond = checkCallsPerSecond(check, props.callsPerSecond);
    const readOnEveryDeployment = check.boolean('readOnEveryDeployment', props.readOnEveryDeployment);
    this.reconcileEvery = checkReconcileEvery(check, props.reconcileEvery);
    const onAccountEvents = check.boolean('reconcileOnAccountEvents', props.reconcileOnAccountEvents);
    if (onAccountEvents && units.length === 0 && !Token.isUnresolved(props.organizationalUnitIds)) {
      check.fail('reconcileOnAccountEvents needs organizationalUnitIds: named targets do not change when accounts are created or moved');
    }
    const publishEvents = check.boolean('publishEvents', props.publishEvents) ?? true;
    // `<stack name>/<logical id>`, read when the template is written (the logical id may be overridden until then).
    this.metricResource = Lazy.string({
      produce: () => `${Stack.of(this).stackName}/${(this.resource.node.defaultChild as CfnResource).logicalId}`,
    });

    const provider = AccountLinksProvider.of(this);
    provider._grantWorkSpacesActions('CreateAccountLinkInvitation', 'DeleteAccountLinkInvitation');
    if (units.length > 0 || Token.isUnresolved(props.organizationalUnitIds)) provider._grantOrganizationsRead();
    if (acceptRoleName !== undefined) grantAcceptRole(provider, acceptRoleName, props.targetAccountIds, props.organizationalUnitIds);
    // The books of its targets, invitations and requests (removed only after the resource's Delete).
    const ledger = provider._ledger();

    this.resource = linkResource(this, provider, {
      resourceType: ResourceType.TARGETS,
      // The invitations of many targets, paced, and the wait: CloudFormation's longest.
      serviceTimeout: Duration.seconds(MAX_SERVICE_TIMEOUT_SECONDS),
      properties: {
        [Property.TARGET_ACCOUNT_IDS]: nonEmpty(props.targetAccountIds),
        [Property.ORGANIZATIONAL_UNIT_IDS]: nonEmpty(props.organizationalUnitIds),
        [Property.INCLUDE_NESTED_UNITS]: nested ? 'true' : undefined,
        [Property.EXCLUDE_ACCOUNT_IDS]: nonEmpty(props.excludeAccountIds),
        [Property.ACCEPT_ROLE_NAME]: acceptRoleName,
        [Property.REQUIRED_STATUS]: requiredStatus,
        [Property.WAIT_TIMEOUT_SECONDS]: wait && Math.min(wait.waitSeconds, MAX_SERVICE_TIMEOUT_SECONDS - SERVICE_TIMEOUT_MARGIN_SECONDS),
        [Property.POLL_INTERVAL_SECONDS]: wait?.pollSeconds,
        [Property.CALLS_PER_SECOND]: callsPerSecond === undefined || callsPerSecond === DEFAULT_CALLS_PER_SECOND
          ? undefined : Token.isUnresolved(callsPerSecond) ? Token.asString(callsPerSecond) : String(callsPerSecond),
        [Property.READ_NONCE]: readOnEveryDeployment ? readNonce(this) : undefined,
        [Property.LEDGER_TABLE]: ledger.table.tableName,
        [Property.METRIC_RESOURCE]: this.metricResource,
        [Property.PUBLISH_EVENTS]: publishEvents ? undefined : 'false',
        ...accessProperties(check, provider, props),
      },
    });
    // The work outlasts an invocation: the handler hands it over to a new one.
    this.resource.node.addDependency(provider._grantSelfInvoke());
    // Its Delete reads the books: the table goes only after it, whether the stack is deleted
    // or the resource leaves it (the function's dependency on the table is no longer in
    // the template then).
    this.resource.node.addDependency(ledger.table, ledger.grant);
    // Its Delete may send events too: the grant goes only after it.
    if (publishEvents) this.resource.node.addDependency(provider._grantPublishEvents());
    const target = reconcileTarget(this.resource, ledger.table.tableName);
    if (this.reconcileEvery) reconcileSchedule(this, provider, target, this.reconcileEvery);
    if (onAccountEvents) accountEventsRule(this, provider, target);
    this.targetCount = Token.asNumber(this.resource.getAtt(TargetsAttribute.TARGET_COUNT));
    this.linkedCount = Token.asNumber(this.resource.getAtt(TargetsAttribute.LINKED_COUNT));
  }

  /**
   * The targets' account ids, sorted (attribute `TargetAccountIds`, comma-joined), aligned
   * with `accountLinkIds`. Referencing it makes the resource answer the lists: past the
   * targets a 4096-byte answer holds (78 at the least; see the README), the deployment fails
   * with a reason that says so, rather than answering a list cut short.
   */
  public get targetAccountIds(): string[] {
    return this.list(TargetsAttribute.TARGET_ACCOUNT_IDS);
  }

  /** The targets' link ids (attribute `AccountLinkIds`, comma-joined), aligned with `targetAccountIds`. See `targetAccountIds`. */
  public get accountLinkIds(): string[] {
    return this.list(TargetsAttribute.ACCOUNT_LINK_IDS);
  }

  /**
   * A metric the resource's runs and deployments write (namespace `WorkSpacesAccountLinks`,
   * dimension `Resource` = `metricResource`), by default over `reconcileEvery` (an hour
   * without it), with the Maximum of a count of targets and the Sum of what runs did.
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return targetsMetric(metricName, this.metricResource, this.reconcileEvery ?? DEFAULT_METRIC_PERIOD, props);
  }

  /** How many accounts the resource wants linked (Maximum). */
  public metricTargetCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(TargetsMetric.TARGET_COUNT, props);
  }

  /** How many of its targets are LINKED (Maximum). */
  public metricLinkedCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(TargetsMetric.LINKED_COUNT, props);
  }

  /** How many of its targets have an invitation waiting for the target to accept (Maximum). */
  public metricPendingCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(TargetsMetric.PENDING_COUNT, props);
  }

  /** How many of its targets are neither linked nor pending: rejected, failed, not found, not invited (Maximum). */
  public metricNotLinkedCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(TargetsMetric.NOT_LINKED_COUNT, props);
  }

  /** Invitations the runs and deployments created (Sum). */
  public metricInvited(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(TargetsMetric.INVITED, props);
  }

  /** Pending invitations they deleted, of accounts no longer wanted (Sum). */
  public metricReleased(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(TargetsMetric.RELEASED, props);
  }

  /** WorkSpaces calls the API answered throttled (Sum). */
  public metricThrottled(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(TargetsMetric.THROTTLED, props);
  }

  /**
   * An alarm that fires when some target has not been linked for two reconcile runs in a
   * row: NotLinkedCount above 0 in 2 of 2 periods of `reconcileEvery`. Periods without a run's
   * data neither raise nor clear it. Needs `reconcileEvery`; one alarm per resource. Add
   * its actions: `alarmWhenNotLinked().addAlarmAction(new SnsAction(topic))`.
   */
  public alarmWhenNotLinked(options?: NotLinkedAlarmOptions): cloudwatch.Alarm {
    if (this.reconcileEvery === undefined) {
      this.check.fail(`alarmWhenNotLinked needs reconcileEvery (${RECONCILE_MINUTES.min} minutes to a day): `
        + 'the alarm counts runs, and without a schedule the resource runs only at deployments');
    }
    if (this.node.tryFindChild('NotLinkedAlarm')) this.check.fail('alarmWhenNotLinked makes one alarm: call it once and keep the alarm it returns');
    return notLinkedAlarm(this, this.metricNotLinkedCount(), this.metricResource, options);
  }

  private list(attribute: string): string[] {
    (this.resource.node.defaultChild as CfnResource).addPropertyOverride(Property.ANSWER_LISTS, 'true');
    return Fn.split(LIST_SEPARATOR, this.resource.getAttString(attribute));
  }
}

/** The rate, a number from MIN_CALLS_PER_SECOND to MAX_CALLS_PER_SECOND (a token is checked at deploy time). */
function checkCallsPerSecond(check: PropChecks, callsPerSecond: unknown): number | undefined {
  if (callsPerSecond === undefined || (typeof callsPerSecond === 'number' && Token.isUnresolved(callsPerSecond))) return callsPerSecond;
  if (typeof callsPerSecond !== 'number' || !(callsPerSecond >= MIN_CALLS_PER_SECOND && callsPerSecond <= MAX_CALLS_PER_SECOND)) {
    check.fail(`callsPerSecond must be a number from ${MIN_CALLS_PER_SECOND} to ${MAX_CALLS_PER_SECOND}, got ${JSON.stringify(callsPerSecond)} `
      + `(${MIN_CALLS_PER_SECOND} is one call in ${1 / MIN_CALLS_PER_SECOND} seconds, the call pacer's floor: a slower rate would leave `
      + 'an invocation\'s window without enough turns to make progress)');
  }
  return callsPerSecond;
}

/**
 * Lets the handler assume the accept role where the targets are: in each named account;
 * with organizational units, in any account of the source's organization; with a target
 * list known only at deploy time, in any account (its trust policy decides).
 */
function grantAcceptRole(provider: AccountLinksProvider, roleName: string, targetAccountIds?: string[], units?: string[]): void {
  const targets = targetAccountIds ?? [];
  if (Token.isUnresolved(targetAccountIds) || targets.some((t) => Token.isUnresolved(t))) {
    provider._grantAssumeRoleInAnyAccount(roleName);
  } else {
    provider._grantAssumeRoleIn(roleName, targets);
  }
  if (Token.isUnresolved(units) || (units ?? []).length > 0) provider._grantAssumeRoleInOrganization(roleName);
}

/** The list, unless it is empty (a list token passes as it is). */
function nonEmpty(list: string[] | undefined): string[] | undefined {
  return list !== undefined && (list.length > 0 || Token.isUnresolved(list)) ? list : undefined;
}

/** A list of ids, each literal one matching `pattern`, none twice; a list token passes (checked at deploy time). */
function idList(check: PropChecks, name: string, value: unknown, pattern: RegExp): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) check.fail(`${name} must be a list, got ${JSON.stringify(value)}`);
  if (Token.isUnresolved(value)) return [];
  value.forEach((id, index) => check.string(`${name}[${index}]`, id, pattern));
  const twice = value.filter((id, index) => !Token.isUnresolved(id) && value.indexOf(id) !== index);
  if (twice.length > 0) check.fail(`${name} lists ${[...new Set(twice)].join(', ')} more than once`);
  return value as string[];
}
