/**
 * The contract between the constructs and the Lambda handler: resource types, resource
 * property names and attribute names. Both sides import this module, so a name is
 * written once. It must not import aws-cdk-lib: the handler bundle includes it.
 */

/** CloudFormation resource types of the custom resources. */
export const ResourceType = {
  ACCOUNT_LINK: 'Custom::WorkSpacesAccountLink',
  ACCOUNT_LINKS: 'Custom::WorkSpacesAccountLinks',
  /** Source side: CreateAccountLinkInvitation (DeleteAccountLinkInvitation on Delete). */
  INVITATION: 'Custom::WorkSpacesAccountLinkInvitation',
  /** Target side: AcceptAccountLinkInvitation or RejectAccountLinkInvitation. */
  ACCEPTANCE: 'Custom::WorkSpacesAccountLinkAcceptance',
  /** Source side, many targets: invites (and accepts, through a role in each) a set of accounts, paced. */
  TARGETS: 'Custom::WorkSpacesAccountLinkTargets',
} as const;

/** Resource property names: the WorkSpaces API's own field names, then the gate's and ours. */
export const Property = {
  LINK_ID: 'LinkId',
  LINKED_ACCOUNT_ID: 'LinkedAccountId',
  LINK_STATUS_FILTER: 'LinkStatusFilter',
  /** The status the link must have for the resource to succeed. */
  REQUIRED_STATUS: 'RequiredStatus',
  /** How long to wait for a pending link to reach REQUIRED_STATUS, in whole seconds. */
  WAIT_TIMEOUT_SECONDS: 'WaitTimeoutSeconds',
  /** Time between two reads while waiting, in whole seconds. */
  POLL_INTERVAL_SECONDS: 'PollIntervalSeconds',
  /** Changes on every synthesis when re-reading on every deployment; the handler ignores its value. */
  READ_NONCE: 'ReadNonce',
  /** The role the handler assumes before calling WorkSpaces (another account). */
  ASSUME_ROLE_ARN: 'AssumeRoleArn',
  /** The external id the role's trust policy requires. */
  EXTERNAL_ID: 'ExternalId',
  /** The WorkSpaces Region to call. */
  REGION: 'Region',
  /** The account invited (CreateAccountLinkInvitation's field). */
  TARGET_ACCOUNT_ID: 'TargetAccountId',
  /** The inviting account, to find the invitation by (instead of LinkId). */
  SOURCE_ACCOUNT_ID: 'SourceAccountId',
  /** "true": reject the invitation instead of accepting it. */
  REJECT: 'Reject',
  /** The accounts to link (a list). */
  TARGET_ACCOUNT_IDS: 'TargetAccountIds',
  /** Organizational units whose accounts are linked too, read from AWS Organizations at deploy time (a list). */
  ORGANIZATIONAL_UNIT_IDS: 'OrganizationalUnitIds',
  /** "true": the accounts of the units' descendants too. */
  INCLUDE_NESTED_UNITS: 'IncludeNestedUnits',
  /** Accounts never linked, whatever the lists and units hold (a list). */
  EXCLUDE_ACCOUNT_IDS: 'ExcludeAccountIds',
  /** The role, of this name in each target, that the handler assumes to accept the invitation. */
  ACCEPT_ROLE_NAME: 'AcceptRoleName',
  /** The WorkSpaces calls a second the resource spends at most. */
  CALLS_PER_SECOND: 'CallsPerSecond',
  /** "true": the template references the list attributes, so the answer must hold them. */
  ANSWER_LISTS: 'AnswerLists',
  /**
   * The ledger table that holds the resource's books (AccountLinkTargets): a property as well
   * as the function's environment (LEDGER_TABLE_ENV), so that the Delete of the last
   * AccountLinkTargets of a stack, which comes after the function lost the variable, still
   * finds them.
   */
  LEDGER_TABLE: 'LedgerTable',
  /** The value of the METRIC_DIMENSION of the resource's metrics (AccountLinkTargets): `<stack name>/<logical id>`. */
  METRIC_RESOURCE: 'MetricResource',
  /** "false": the resource sends no ACCOUNT_LINK_CHANGED event (AccountLinkTargets; they are sent by default). */
  PUBLISH_EVENTS: 'PublishEvents',
} as const;

/** The resource types, as a type. */
export type ResourceTypeName = typeof ResourceType[keyof typeof ResourceType];

/** Where and as whom the handler calls WorkSpaces: properties every resource type takes. */
export interface AccessResourceProperties {
  readonly [Property.ASSUME_ROLE_ARN]?: string;
  readonly [Property.EXTERNAL_ID]?: string;
  readonly [Property.REGION]?: string;
}

/** Properties of `Custom::WorkSpacesAccountLink`, as the construct writes them. */
export interface AccountLinkResourceProperties extends AccessResourceProperties {
  readonly [Property.LINK_ID]?: string;
  readonly [Property.LINKED_ACCOUNT_ID]?: string;
  readonly [Property.REQUIRED_STATUS]?: string;
  readonly [Property.WAIT_TIMEOUT_SECONDS]?: number;
  readonly [Property.POLL_INTERVAL_SECONDS]?: number;
  readonly [Property.READ_NONCE]?: string;
}

/** Properties of `Custom::WorkSpacesAccountLinks`. */
export interface AccountLinksResourceProperties extends AccessResourceProperties {
  readonly [Property.LINK_STATUS_FILTER]?: string[];
  readonly [Property.READ_NONCE]?: string;
}

/** Properties of `Custom::WorkSpacesAccountLinkInvitation`. */
export interface InvitationResourceProperties extends AccessResourceProperties {
  readonly [Property.TARGET_ACCOUNT_ID]: string;
}

/** Properties of `Custom::WorkSpacesAccountLinkAcceptance`. */
export interface AcceptanceResourceProperties extends AccessResourceProperties {
  readonly [Property.LINK_ID]?: string;
  readonly [Property.SOURCE_ACCOUNT_ID]?: string;
  readonly [Property.REJECT]?: 'true' | 'false';
}

/** Properties of `Custom::WorkSpacesAccountLinkTargets`. */
export interface TargetsResourceProperties extends AccessResourceProperties {
  readonly [Property.TARGET_ACCOUNT_IDS]?: string[];
  readonly [Property.ORGANIZATIONAL_UNIT_IDS]?: string[];
  readonly [Property.INCLUDE_NESTED_UNITS]?: 'true' | 'false';
  readonly [Property.EXCLUDE_ACCOUNT_IDS]?: string[];
  readonly [Property.ACCEPT_ROLE_NAME]?: string;
  readonly [Property.REQUIRED_STATUS]?: string;
  readonly [Property.WAIT_TIMEOUT_SECONDS]?: number;
  readonly [Property.POLL_INTERVAL_SECONDS]?: number;
  readonly [Property.CALLS_PER_SECOND]?: string;
  readonly [Property.ANSWER_LISTS]?: 'true' | 'false';
  readonly [Property.READ_NONCE]?: string;
  readonly [Property.LEDGER_TABLE]?: string;
  readonly [Property.METRIC_RESOURCE]?: string;
  readonly [Property.PUBLISH_EVENTS]?: 'true' | 'false';
}

/** The properties of each resource type: what its construct writes and its handler reads. */
export interface ResourceProperties {
  [ResourceType.ACCOUNT_LINK]: AccountLinkResourceProperties;
  [ResourceType.ACCOUNT_LINKS]: AccountLinksResourceProperties;
  [ResourceType.INVITATION]: InvitationResourceProperties;
  [ResourceType.ACCEPTANCE]: AcceptanceResourceProperties;
  [ResourceType.TARGETS]: TargetsResourceProperties;
}

/** Every property name of T, each once: the compiler rejects a list that misses one or adds one. */
type AllNames<T> = { readonly [K in keyof Required<T>]: true };
const namesOf = <T>(all: AllNames<T>): readonly string[] => Object.keys(all);
const ACCESS_NAMES: AllNames<AccessResourceProperties> = {
  [Property.ASSUME_ROLE_ARN]: true,
  [Property.EXTERNAL_ID]: true,
  [Property.REGION]: true,
};

/** The property names of each resource type, derived from its interface: the handler rejects any other. */
export const RESOURCE_PROPERTY_NAMES: { readonly [T in ResourceTypeName]: readonly string[] } = {
  [ResourceType.ACCOUNT_LINK]: namesOf<AccountLinkResourceProperties>({
    ...ACCESS_NAMES,
    [Property.LINK_ID]: true,
    [Property.LINKED_ACCOUNT_ID]: true,
    [Property.REQUIRED_STATUS]: true,
    [Property.WAIT_TIMEOUT_SECONDS]: true,
    [Property.POLL_INTERVAL_SECONDS]: true,
    [Property.READ_NONCE]: true,
  }),
  [ResourceType.ACCOUNT_LINKS]: namesOf<AccountLinksResourceProperties>({
    ...ACCESS_NAMES, [Property.LINK_STATUS_FILTER]: true, [Property.READ_NONCE]: true,
  }),
  [ResourceType.INVITATION]: namesOf<InvitationResourceProperties>({ ...ACCESS_NAMES, [Property.TARGET_ACCOUNT_ID]: true }),
  [ResourceType.ACCEPTANCE]: namesOf<AcceptanceResourceProperties>({
    ...ACCESS_NAMES, [Property.LINK_ID]: true, [Property.SOURCE_ACCOUNT_ID]: true, [Property.REJECT]: true,
  }),
  [ResourceType.TARGETS]: namesOf<TargetsResourceProperties>({
    ...ACCESS_NAMES,
    [Property.TARGET_ACCOUNT_IDS]: true,
    [Property.ORGANIZATIONAL_UNIT_IDS]: true,
    [Property.INCLUDE_NESTED_UNITS]: true,
    [Property.EXCLUDE_ACCOUNT_IDS]: true,
    [Property.ACCEPT_ROLE_NAME]: true,
    [Property.REQUIRED_STATUS]: true,
    [Property.WAIT_TIMEOUT_SECONDS]: true,
    [Property.POLL_INTERVAL_SECONDS]: true,
    [Property.CALLS_PER_SECOND]: true,
    [Property.ANSWER_LISTS]: true,
    [Property.LEDGER_TABLE]: true,
    [Property.METRIC_RESOURCE]: true,
    [Property.PUBLISH_EVENTS]: true,
    [Property.READ_NONCE]: true,
  }),
};

/** Properties CloudFormation itself adds to every custom resource's event. */
export const CLOUDFORMATION_PROPERTY_NAMES: readonly string[] = ['ServiceToken', 'ServiceTimeout'];

/** Pattern of an IAM role ARN. */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Pattern of an AWS Region name. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Pattern of an STS external id (AssumeRole's ExternalId). */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;

/** Where and as whom WorkSpaces is called: the constructs', the step's and the check command's access settings. */
export interface AccessSettings {
  readonly assumeRoleArn?: string;
  readonly externalId?: string;
  readonly region?: string;
}

/**
 * The first problem with `access`, naming each setting as the caller knows it (`names`),
 * or undefined. The constructs, the pipeline step and the check command check access
 * settings with this one rule; values known only at deploy time (`isUnresolved`, for CDK
 * tokens) are left to the handler.
 */
export function accessProblem(
  access: AccessSettings,
  names: { readonly [K in keyof AccessSettings]-?: string },
  isUnresolved: (value: string) => boolean = () => false,
): string | undefined {
  const known = (value: string | undefined): value is string => value !== undefined && !isUnresolved(value);
  const { assumeRoleArn, externalId, region } = access;
  if (known(assumeRoleArn) && !ROLE_ARN_PATTERN.test(assumeRoleArn)) {
    return `${names.assumeRoleArn} ${JSON.stringify(assumeRoleArn)} is not an IAM role ARN`;
  }
  if (externalId !== undefined && assumeRoleArn === undefined) return `${names.externalId} needs ${names.assumeRoleArn}`;
  if (known(externalId) && !EXTERNAL_ID_PATTERN.test(externalId)) {
    return `${names.externalId} ${JSON.stringify(externalId)} is not an external id (2 to 1224 characters of A-Z, a-z, 0-9 and +=,.@:/-)`;
  }
  if (known(region) && !REGION_PATTERN.test(region)) {
    return `${names.region} ${JSON.stringify(region)} is not a Region name`;
  }
  return undefined;
}

/** Context key that pins READ_NONCE, so that snapshot tests stay deterministic. */
export const READ_NONCE_CONTEXT_KEY = 'cdk-workspaces-account-links:readNonce';

/**
 * The key of a wait handed over to a new invocation: the payload of the handler's
 * asynchronous invocation of itself is `{ [HANDOVER_KEY]: WaitHandover }`.
 */
export const HANDOVER_KEY = 'WorkSpacesAccountLinksWaitHandover';

/**
 * The environment variable that names the provider's ledger table (a DynamoDB table the
 * provider creates when its stack has an AccountLinkTargets): where AccountLinkTargets keeps
 * its targets, the invitations it created and the requests it started and answered.
 */
export const LEDGER_TABLE_ENV = 'ACCOUNT_LINKS_LEDGER_TABLE';

/** The ledger table's key: a partition key and a sort key, both strings. */
export const LEDGER_KEY = { partition: 'pk', sort: 'sk' } as const;

/**
 * The key of a reconcile run of an AccountLinkTargets resource: the payload its schedule
 * (or its rule of organization account events) invokes the provider function with is
 * `{ [RECONCILE_KEY]: ReconcileRequest }`.
 */
export const RECONCILE_KEY = 'WorkSpacesAccountLinksReconcile';

/**
 * What a reconcile run is for: the resource (its ledger key is `<stackId>|<physicalResourceId>`),
 * the table its books are in, and which occurrence it is. Every delivery of one occurrence
 * (a schedule's time, an event's id) carries the same `run`: the ledger lets it act once.
 */
export interface ReconcileRequest {
  readonly stackId: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId: string;
  readonly ledgerTable: string;
  /** The occurrence: the schedule's scheduled time, or the organization event's id. */
  readonly run: string;
  /** When it was due (ISO 8601): the schedule's scheduled time, or the event's time. An older run than the last one acts on nothing. */
  readonly time: string;
  readonly trigger: ReconcileTrigger;
}

/** What started a reconcile run. */
export type ReconcileTrigger = 'schedule' | 'account-event';

/** How often AccountLinkTargets' reconcileEvery may run, in whole minutes: from 15 minutes to a day. */
export const RECONCILE_MINUTES = { min: 15, max: 24 * 60 } as const;

/** The CloudWatch namespace of AccountLinkTargets' metrics (embedded metric format lines in the function's log). */
export const METRIC_NAMESPACE = 'WorkSpacesAccountLinks';

/** The metrics' one dimension: the resource, as `<stack name>/<logical id>` (Property.METRIC_RESOURCE). */
export const METRIC_DIMENSION = 'Resource';

/** The metrics each run and each deployment of an AccountLinkTargets writes (all of unit Count). */
export const TargetsMetric = {
  /** Accounts the resource wants linked. */
  TARGET_COUNT: 'TargetCount',
  /** Of those, the LINKED ones. */
  LINKED_COUNT: 'LinkedCount',
  /** Of those, the ones whose invitation waits for the target to accept. */
  PENDING_COUNT: 'PendingCount',
  /** Of those, the ones neither linked nor pending (rejected, failed, not found, not invited). */
  NOT_LINKED_COUNT: 'NotLinkedCount',
  /** Invitations the run or deployment created. */
  INVITED: 'Invited',
  /** Pending invitations it deleted (accounts no longer wanted). */
  RELEASED: 'Released',
  /** WorkSpaces calls the API answered throttled. */
  THROTTLED: 'Throttled',
} as const;

/** The `source` of the events AccountLinkTargets sends to the default event bus. */
export const EVENT_SOURCE = 'cdk-workspaces-account-links';

/** The `detail-type` of the event sent for each target whose link changed status. */
export const ACCOUNT_LINK_CHANGED = 'Account Link Changed';

/** The `detail` of an ACCOUNT_LINK_CHANGED event. */
export interface AccountLinkChangedDetail {
  readonly sourceAccountId: string;
  readonly targetAccountId: string;
  /** The link's id, when it has (or had) one. */
  readonly accountLinkId?: string;
  /** The status last seen, absent for an account seen for the first time. */
  readonly oldStatus?: string;
  /** The status now: one of the API's AccountLinkStatus values. */
  readonly newStatus: string;
  /** The resource: `<stack name>/<logical id>` (METRIC_DIMENSION's value), its stack id and physical id. */
  readonly resource: string;
  readonly stackId: string;
  readonly physicalResourceId: string;
  /** What saw the change: a deployment (CloudFormation request) or a reconcile run. */
  readonly observedBy: 'deployment' | ReconcileTrigger;
}

/**
 * The fewest WorkSpaces calls a second AccountLinkTargets may be set to: the call pacer's
 * floor (one call in 10 s), so that every invocation's window holds several turns.
 */
export const MIN_CALLS_PER_SECOND = 0.1;

/** Time between two reads of a gate's wait when none is given: the constructs', the step's and the check command's default. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 15;

/** The longest wait CloudFormation allows a custom resource (its ServiceTimeout maximum). */
export const MAX_SERVICE_TIMEOUT_SECONDS = 3600;

/**
 * Kept between the end of a wait and the custom resource's ServiceTimeout: the last read,
 * the response with its retries (29.5 s at worst) and the start of handed-over invocations.
 */
export const SERVICE_TIMEOUT_MARGIN_SECONDS = 180;

/** How long a wait and its poll interval may be, for whoever runs the wait. */
export interface WaitLimits {
  readonly maxWaitSeconds: number;
  readonly maxPollSeconds: number;
  /** Why the wait has that bound, said in the message. */
  readonly why?: string;
}

/** A custom resource's wait: within CloudFormation's ServiceTimeout. */
export const RESOURCE_WAIT_LIMITS: WaitLimits = {
  maxWaitSeconds: MAX_SERVICE_TIMEOUT_SECONDS,
  maxPollSeconds: MAX_SERVICE_TIMEOUT_SECONDS,
  why: 'CloudFormation\'s limit for a custom resource',
};

/** Time the check command keeps beyond the wait (or alone, without one) for its reads and retries: its --timeout default. */
export const CHECK_TIMEOUT_MARGIN_SECONDS = 60;

/** The check command's wait (and the pipeline step's): longer than any build step should wait, well inside node's timers. */
export const CHECK_WAIT_LIMITS: WaitLimits = { maxWaitSeconds: 8 * 3600, maxPollSeconds: 3600 };

/** A wait setting as the caller gave it: its length in seconds, and how to show it. */
export interface WaitSetting {
  readonly seconds: number;
  /** As the user wrote it (`10 minutes`, `10m`). */
  readonly shown: string;
}

/** A valid wait: whole seconds, the poll interval shorter than the wait. */
export interface CheckedWait {
  readonly waitSeconds: number;
  readonly pollSeconds: number;
}

/**
 * The one rule for a wait, for the constructs, the pipeline step, the check command and
 * the handler: a poll interval needs a wait; both are whole seconds from 1 to the limits;
 * the poll interval (DEFAULT_POLL_INTERVAL_SECONDS unless given) is shorter than the wait.
 * Returns the checked wait, undefined for none, or the first problem, naming each setting
 * as the caller knows it (`names`).
 */
export function checkWait(
  wait: WaitSetting | undefined, poll: WaitSetting | undefined, limits: WaitLimits, names: { readonly wait: string; readonly poll: string },
): CheckedWait | undefined | { readonly problem: string } {
  if (wait === undefined) {
    return poll === undefined ? undefined : { problem: `${names.poll} needs ${names.wait}: without a wait, the link is read once` };
  }
  const pollSetting = poll ?? { seconds: DEFAULT_POLL_INTERVAL_SECONDS, shown: `${DEFAULT_POLL_INTERVAL_SECONDS} seconds, the default` };
  const outOfRange = (name: string, setting: WaitSetting, max: number) => (
    !Number.isInteger(setting.seconds) || setting.seconds < 1 || setting.seconds > max
      ? `${name} (${setting.shown}) must be a whole number of seconds from 1 to ${max}${limits.why ? ` (${limits.why})` : ''}`
      : undefined);
  const problem = outOfRange(names.wait, wait, limits.maxWaitSeconds)
    ?? outOfRange(names.poll, pollSetting, limits.maxPollSeconds)
    ?? (pollSetting.seconds >= wait.seconds
      ? `${names.poll} (${pollSetting.shown}) must be shorter than ${names.wait} (${wait.shown})`
      : undefined);
  return problem !== undefined ? { problem } : { waitSeconds: wait.seconds, pollSeconds: pollSetting.seconds };
}

/** Attributes of `Custom::WorkSpacesAccountLink`: the API's `AccountLink` field names. */
export const LinkAttribute = {
  ACCOUNT_LINK_ID: 'AccountLinkId',
  ACCOUNT_LINK_STATUS: 'AccountLinkStatus',
  SOURCE_ACCOUNT_ID: 'SourceAccountId',
  TARGET_ACCOUNT_ID: 'TargetAccountId',
} as const;

/**
 * Attributes of `Custom::WorkSpacesAccountLinks`: comma-joined lists in the API's order,
 * aligned by index, plus the number of links.
 */
export const LinksAttribute = {
  COUNT: 'Count',
  ACCOUNT_LINK_IDS: 'AccountLinkIds',
  ACCOUNT_LINK_STATUSES: 'AccountLinkStatuses',
  SOURCE_ACCOUNT_IDS: 'SourceAccountIds',
  TARGET_ACCOUNT_IDS: 'TargetAccountIds',
} as const;

/**
 * Attributes of `Custom::WorkSpacesAccountLinkTargets`: the counts always; the two lists,
 * aligned by index (sorted by account id), only while the answer stays under 4096 bytes.
 */
export const TargetsAttribute = {
  TARGET_COUNT: 'TargetCount',
  LINKED_COUNT: 'LinkedCount',
  TARGET_ACCOUNT_IDS: 'TargetAccountIds',
  ACCOUNT_LINK_IDS: 'AccountLinkIds',
} as const;

/**
 * WorkSpaces calls a second an AccountLinkTargets spends when none is given: well under
 * what an account's API quota takes, so that other callers of the account keep their share.
 */
export const DEFAULT_CALLS_PER_SECOND = 2;

/** The most calls a second an AccountLinkTargets may be given. */
export const MAX_CALLS_PER_SECOND = 50;

/** Pattern of an organizational unit id (AWS Organizations' service model). */
export const ORGANIZATIONAL_UNIT_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** Pattern of an organization's root id (AWS Organizations' service model, shape RootId: `^r-[0-9a-z]{4,32}$`). */
export const ROOT_ID_PATTERN = /^r-[0-9a-z]{4,32}$/;

/**
 * Pattern of what AccountLinkTargets' `organizationalUnitIds` and the accept roles'
 * StackSet take: an organizational unit or the root, the parents ListAccountsForParent
 * and a StackSet's deployment targets accept (Organizations' shape ParentId,
 * `^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$`, anchored here around both).
 */
export const ORGANIZATIONAL_PARENT_ID_PATTERN = new RegExp(`^(?:${ROOT_ID_PATTERN.source.slice(1, -1)}|${ORGANIZATIONAL_UNIT_ID_PATTERN.source.slice(1, -1)})$`);

/** Pattern of an IAM role name (a path is not part of it). */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

/** Separator of the list attributes (account ids, link ids and statuses never contain it). */
export const LIST_SEPARATOR = ',';

/** `LinkId` pattern from the WorkSpaces service model. */
export const LINK_ID_PATTERN = /^link-.{8,24}$/;

/** AWS account id pattern from the WorkSpaces service model. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
