import { CfnResource, CustomResource, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { accessProperties, roleAccount } from '../access';
import { AccountLinkAccessOptions } from '../access-options';
import { AccountLinkStatus } from '../account-link-status';
import { AccountLinksProvider } from '../account-links-provider';
import {
  ACCOUNT_ID_PATTERN, DEFAULT_CALLS_PER_SECOND, LIST_SEPARATOR, MAX_CALLS_PER_SECOND, MAX_SERVICE_TIMEOUT_SECONDS, MIN_CALLS_PER_SECOND,
  ORGANIZATIONAL_PARENT_ID_PATTERN, Property, RESOURCE_WAIT_LIMITS, ResourceType, ROLE_NAME_PATTERN, SERVICE_TIMEOUT_MARGIN_SECONDS,
  TargetsAttribute,
} from '../contract';
import { linkResource } from '../link-resource';
import { readNonce } from '../read-nonce';
import { PropChecks } from '../synth-checks';

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
   * Between deployments nothing happens: the units are read only when CloudFormation sends
   * the resource a request, so an account that joins a unit is linked at the next
   * deployment. Adds a property that changes on every synthesis; pin it with the context
   * key `cdk-workspaces-account-links:readNonce` for deterministic snapshots.
   *
   * @default false
   */
  readonly readOnEveryDeployment?: boolean;
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
  /** How many targets the resource links (attribute `TargetCount`). */
  public readonly targetCount: number;
  /** How many of them are LINKED (attribute `LinkedCount`). */
  public readonly linkedCount: number;

  /** The underlying `Custom::WorkSpacesAccountLinkTargets` resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AccountLinkTargetsProps) {
    super(scope, id);
    const check = new PropChecks(`AccountLinkTargets ${this.node.path}`);
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
        ...accessProperties(check, provider, props),
      },
    });
    // The work outlasts an invocation: the handler hands it over to a new one.
    this.resource.node.addDependency(provider._grantSelfInvoke());
    // Its Delete reads the books: the table goes only after it, whether the stack is deleted
    // or the resource leaves it (the function's dependency on the table is no longer in
    // the template then).
    this.resource.node.addDependency(ledger.table, ledger.grant);
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
