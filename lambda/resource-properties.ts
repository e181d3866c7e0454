import type { AccountLinkLookup, Gate } from '../core/domain';
import { AccountLinkStatus } from '../src/account-link-status';
import {
  ACCOUNT_ID_PATTERN, AccessSettings, checkWait, CLOUDFORMATION_PROPERTY_NAMES, DEFAULT_CALLS_PER_SECOND, DEFAULT_POLL_INTERVAL_SECONDS,
  EXTERNAL_ID_PATTERN, LINK_ID_PATTERN, MAX_CALLS_PER_SECOND, MIN_CALLS_PER_SECOND, ORGANIZATIONAL_PARENT_ID_PATTERN, Property, REGION_PATTERN,
  RESOURCE_PROPERTY_NAMES, RESOURCE_WAIT_LIMITS, ResourceType, ResourceTypeName, ROLE_ARN_PATTERN, ROLE_NAME_PATTERN, WaitSetting,
} from '../src/contract';

/** A property value CloudFormation delivered that the handler cannot use. */
export class InvalidPropertiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPropertiesError';
  }
}

/** Properties of `Custom::WorkSpacesAccountLink`. */
export interface AccountLinkProperties {
  readonly lookup: AccountLinkLookup;
  readonly gate?: Gate;
  readonly access: AccessSettings;
}

/** Properties of `Custom::WorkSpacesAccountLinkInvitation`. */
export interface InvitationProperties {
  readonly targetAccountId: string;
  readonly access: AccessSettings;
}

/** Properties of `Custom::WorkSpacesAccountLinkAcceptance`. */
export interface AcceptanceProperties {
  /** The invitation: by its link id, or by the account that sent it. */
  readonly invitation: { readonly linkId: string } | { readonly sourceAccountId: string };
  readonly reject: boolean;
  readonly access: AccessSettings;
}

/** Properties of `Custom::WorkSpacesAccountLinkTargets`. */
export interface TargetsProperties {
  /** The accounts named, each once, in the order given. */
  readonly targetAccountIds: string[];
  readonly organizationalUnitIds: string[];
  readonly includeNestedUnits: boolean;
  readonly excludeAccountIds: string[];
  readonly acceptRoleName?: string;
  readonly gate?: Gate;
  readonly callsPerSecond: number;
  /** The template references the list attributes: an answer without them fails. */
  readonly answerLists: boolean;
  /** The ledger table that holds the resource's books, when its properties name it. */
  readonly ledgerTable?: string;
  /** The metrics' dimension value (`<stack name>/<logical id>`), when its properties name it. */
  readonly metricResource?: string;
  /** Whether a target's change of status is sent as an event (the default). */
  readonly publishEvents: boolean;
  readonly access: AccessSettings;
}

export interface AccountLinksQuery {
  /** Empty means every status. */
  readonly statusFilter: AccountLinkStatus[];
  readonly access: AccessSettings;
}

const STATUSES = new Set<string>(Object.values(AccountLinkStatus));

type RawProperties = Record<string, unknown> | undefined;

/**
 * Reads `Custom::WorkSpacesAccountLink` properties. Values may come from tokens resolved at
 * deploy time, so they are checked here as the construct checks literals at synth time.
 */
export function parseAccountLinkProperties(raw: RawProperties): AccountLinkProperties {
  const props = checkKnown(raw, ResourceType.ACCOUNT_LINK);
  const linkId = optionalString(props, Property.LINK_ID);
  const linkedAccountId = optionalString(props, Property.LINKED_ACCOUNT_ID);
  if ((linkId === undefined) === (linkedAccountId === undefined)) {
    throw new InvalidPropertiesError(`exactly one of ${Property.LINK_ID} and ${Property.LINKED_ACCOUNT_ID} is required`);
  }
  const lookup: AccountLinkLookup = linkId !== undefined
    ? { linkId: matching(Property.LINK_ID, linkId, LINK_ID_PATTERN) }
    : { linkedAccountId: matching(Property.LINKED_ACCOUNT_ID, linkedAccountId!, ACCOUNT_ID_PATTERN) };
  return { lookup, gate: parseGate(props), access: parseAccess(props) };
}

/** Reads `Custom::WorkSpacesAccountLinkInvitation` properties. */
export function parseInvitationProperties(raw: RawProperties): InvitationProperties {
  const props = checkKnown(raw, ResourceType.INVITATION);
  const target = optionalString(props, Property.TARGET_ACCOUNT_ID);
  if (target === undefined) {
    throw new InvalidPropertiesError(`${Property.TARGET_ACCOUNT_ID} is required`);
  }
  return { targetAccountId: matching(Property.TARGET_ACCOUNT_ID, target, ACCOUNT_ID_PATTERN), access: parseAccess(props) };
}

/** Reads `Custom::WorkSpacesAccountLinkAcceptance` properties. */
export function parseAcceptanceProperties(raw: RawProperties): AcceptanceProperties {
  const props = checkKnown(raw, ResourceType.ACCEPTANCE);
  const linkId = optionalString(props, Property.LINK_ID);
  const source = optionalString(props, Property.SOURCE_ACCOUNT_ID);
  if ((linkId === undefined) === (source === undefined)) {
    throw new InvalidPropertiesError(`exactly one of ${Property.LINK_ID} and ${Property.SOURCE_ACCOUNT_ID} is required`);
  }
  const reject = optionalString(props, Property.REJECT) ?? 'false';
  if (reject !== 'true' && reject !== 'false') {
    throw new InvalidPropertiesError(`${Property.REJECT} must be "true" or "false", got ${JSON.stringify(reject)}`);
  }
  return {
    invitation: linkId !== undefined
      ? { linkId: matching(Property.LINK_ID, linkId, LINK_ID_PATTERN) }
      : { sourceAccountId: matching(Property.SOURCE_ACCOUNT_ID, source!, ACCOUNT_ID_PATTERN) },
    reject: reject === 'true',
    access: parseAccess(props),
  };
}

function parseAccess(props: Record<string, unknown>): AccessSettings {
  const assumeRoleArn = optionalString(props, Property.ASSUME_ROLE_ARN);
  const externalId = optionalString(props, Property.EXTERNAL_ID);
  const region = optionalString(props, Property.REGION);
  if (externalId !== undefined && assumeRoleArn === undefined) {
    throw new InvalidPropertiesError(`${Property.EXTERNAL_ID} needs ${Property.ASSUME_ROLE_ARN}`);
  }
  return {
    assumeRoleArn: assumeRoleArn === undefined ? undefined : matching(Property.ASSUME_ROLE_ARN, assumeRoleArn, ROLE_ARN_PATTERN),
    externalId: externalId === undefined ? undefined : matching(Property.EXTERNAL_ID, externalId, EXTERNAL_ID_PATTERN),
    region: region === undefined ? undefined : matching(Property.REGION, region, REGION_PATTERN),
  };
}

function parseGate(props: Record<string, unknown>): Gate | undefined {
  const requiredStatus = optionalString(props, Property.REQUIRED_STATUS);
  const wait = checkWait(optionalSeconds(props, Property.WAIT_TIMEOUT_SECONDS), optionalSeconds(props, Property.POLL_INTERVAL_SECONDS),
    RESOURCE_WAIT_LIMITS, { wait: Property.WAIT_TIMEOUT_SECONDS, poll: Property.POLL_INTERVAL_SECONDS });
  if (wait && 'problem' in wait) throw new InvalidPropertiesError(wait.problem);
  if (requiredStatus === undefined) {
    if (wait) throw new InvalidPropertiesError(`${Property.WAIT_TIMEOUT_SECONDS} needs ${Property.REQUIRED_STATUS}`);
    return undefined;
  }
  if (!STATUSES.has(requiredStatus)) {
    throw new InvalidPropertiesError(`${Property.REQUIRED_STATUS} ${JSON.stringify(requiredStatus)} is not one of ${[...STATUSES].join(', ')}`);
  }
  return {
    requiredStatus: requiredStatus as AccountLinkStatus,
    waitTimeoutSeconds: wait?.waitSeconds ?? 0,
    pollIntervalSeconds: wait?.pollSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS,
  };
}

/** Reads `Custom::WorkSpacesAccountLinks` properties. */
export function parseAccountLinksProperties(raw: RawProperties): AccountLinksQuery {
  const props = checkKnown(raw, ResourceType.ACCOUNT_LINKS);
  const filter = props[Property.LINK_STATUS_FILTER];
  if (filter === undefined) {
    return { statusFilter: [], access: parseAccess(props) };
  }
  if (!Array.isArray(filter)) {
    throw new InvalidPropertiesError(`${Property.LINK_STATUS_FILTER} must be a list of statuses`);
  }
  const unknown = filter.filter((s) => typeof s !== 'string' || !STATUSES.has(s));
  if (unknown.length > 0) {
    throw new InvalidPropertiesError(
      `${Property.LINK_STATUS_FILTER} has unknown status ${unknown.map((s) => JSON.stringify(s)).join(', ')}; expected ${[...STATUSES].join(', ')}`);
  }
  // Each status once: a repeated one changes neither the listing nor the physical id.
  return { statusFilter: [...new Set(filter as AccountLinkStatus[])], access: parseAccess(props) };
}

/** Reads `Custom::WorkSpacesAccountLinkTargets` properties. */
export function parseTargetsProperties(raw: RawProperties): TargetsProperties {
  const props = checkKnown(raw, ResourceType.TARGETS);
  const targetAccountIds = idList(props, Property.TARGET_ACCOUNT_IDS, ACCOUNT_ID_PATTERN);
  const organizationalUnitIds = idList(props, Property.ORGANIZATIONAL_UNIT_IDS, ORGANIZATIONAL_PARENT_ID_PATTERN);
  if (targetAccountIds.length === 0 && organizationalUnitIds.length === 0) {
    throw new InvalidPropertiesError(`${Property.TARGET_ACCOUNT_IDS} or ${Property.ORGANIZATIONAL_UNIT_IDS} must name at least one target`);
  }
  const acceptRoleName = optionalString(props, Property.ACCEPT_ROLE_NAME);
  const rate = optionalString(props, Property.CALLS_PER_SECOND);
  const callsPerSecond = rate === undefined ? DEFAULT_CALLS_PER_SECOND : Number(rate);
  if (!/^\d+(\.\d+)?$/.test(rate ?? '1') || !(callsPerSecond >= MIN_CALLS_PER_SECOND && callsPerSecond <= MAX_CALLS_PER_SECOND)) {
    throw new InvalidPropertiesError(`${Property.CALLS_PER_SECOND} must be a number from ${MIN_CALLS_PER_SECOND} (one call in 10 s) `
      + `to ${MAX_CALLS_PER_SECOND}, got ${JSON.stringify(rate)}`);
  }
  return {
    targetAccountIds,
    organizationalUnitIds,
    includeNestedUnits: flag(props, Property.INCLUDE_NESTED_UNITS),
    excludeAccountIds: idList(props, Property.EXCLUDE_ACCOUNT_IDS, ACCOUNT_ID_PATTERN),
    acceptRoleName: acceptRoleName === undefined ? undefined : matching(Property.ACCEPT_ROLE_NAME, acceptRoleName, ROLE_NAME_PATTERN),
    gate: parseGate(props),
    callsPerSecond,
    answerLists: flag(props, Property.ANSWER_LISTS),
    ledgerTable: optionalString(props, Property.LEDGER_TABLE),
    metricResource: optionalString(props, Property.METRIC_RESOURCE),
    publishEvents: props[Property.PUBLISH_EVENTS] === undefined || flag(props, Property.PUBLISH_EVENTS),
    access: parseAccess(props),
  };
}

/** A list of ids, each matching `pattern`, each once (the first place counts); none when absent. */
function idList(props: Record<string, unknown>, name: string, pattern: RegExp): string[] {
  const value = props[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidPropertiesError(`${name} must be a list, got ${JSON.stringify(value)}`);
  value.forEach((id, index) => {
    if (typeof id !== 'string') throw new InvalidPropertiesError(`${name}[${index}] must be a string, got ${JSON.stringify(id)}`);
    matching(`${name}[${index}]`, id, pattern);
  });
  return [...new Set(value as string[])];
}

/** "true" or "false" (absent is false). */
function flag(props: Record<string, unknown>, name: string): boolean {
  const value = optionalString(props, name) ?? 'false';
  if (value !== 'true' && value !== 'false') throw new InvalidPropertiesError(`${name} must be "true" or "false", got ${JSON.stringify(value)}`);
  return value === 'true';
}

/** Physical id of a `Custom::WorkSpacesAccountLink`: the same lookup always gives the same id (the gate does not count). */
export function accountLinkPhysicalId(lookup: AccountLinkLookup): string {
  return lookup.linkId !== undefined
    ? `${Property.LINK_ID}=${lookup.linkId}`
    : `${Property.LINKED_ACCOUNT_ID}=${lookup.linkedAccountId}`;
}

/** Physical id of a `Custom::WorkSpacesAccountLinks`: the same filter always gives the same id. */
export function accountLinksPhysicalId(query: AccountLinksQuery): string {
  const filter = query.statusFilter.length > 0 ? [...query.statusFilter].sort().join('|') : '*';
  return `${Property.LINK_STATUS_FILTER}=${filter}`;
}

/** The properties, if every one is a property of `type` (its contract interface) or one CloudFormation adds. */
function checkKnown(raw: RawProperties, type: ResourceTypeName): Record<string, unknown> {
  const props: unknown = raw ?? {};
  if (typeof props !== 'object' || props === null || Array.isArray(props)) {
    throw new InvalidPropertiesError(`ResourceProperties must be an object, got ${Array.isArray(props) ? 'a list' : `a ${typeof props}`}`);
  }
  const own = RESOURCE_PROPERTY_NAMES[type];
  const allowed = new Set([...CLOUDFORMATION_PROPERTY_NAMES, ...own]);
  const unknown = Object.keys(props).filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    throw new InvalidPropertiesError(`unknown properties ${unknown.join(', ')}; expected ${own.join(', ')}`);
  }
  return props as Record<string, unknown>;
}

/** A number of seconds; CloudFormation delivers numbers as strings. The wait rule checks its range. */
function optionalSeconds(props: Record<string, unknown>, name: string): WaitSetting | undefined {
  const value = props[name];
  if (value === undefined) {
    return undefined;
  }
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
  if (Number.isNaN(seconds)) {
    throw new InvalidPropertiesError(`${name} must be a whole number of seconds, got ${JSON.stringify(value)}`);
  }
  return { seconds, shown: `${JSON.stringify(value)} s` };
}

function optionalString(props: Record<string, unknown>, name: string): string | undefined {
  const value = props[name];
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InvalidPropertiesError(`${name} must be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function matching(name: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) {
    throw new InvalidPropertiesError(`${name} ${JSON.stringify(value)} does not match ${pattern.source}`);
  }
  return value;
}
